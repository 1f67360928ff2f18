package hooks

import (
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/records"
)

// clockSkew is how far ahead of the server's clock a device's registered_at
// may be and still count as now.
const clockSkew = 5 * time.Minute

// returnDerived are the fields of a returnee that their returns decide, once
// they have any: the point and date of the latest return, and the latest
// other point before it.
var returnDerived = []string{"reception_point", "repatriation_date", "previous_point"}

// bindReturns checks return events and keeps each person's point, previous
// point and repatriation date in step with their returns, in the return's
// transaction: a new return at another point is a write on the person, and
// every device that gains or loses the person learns it from that write.
func bindReturns(app core.App) {
	app.OnRecordCreate(catalog.Returns).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetDateTime("registered_at").IsZero() {
			e.Record.Set("registered_at", types.NowDateTime())
		}
		return e.Next()
	})
	app.OnRecordValidate(catalog.Returns).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) { checkReturn(c, e.Record, actor.Of(e.Context, e.Record)) })
	})

	hookorder.Hook{ID: "retorno_return_fields", Priority: hookorder.ReturnFields,
		Func: afterWrite("returnee", refreshReturnFields)}.OnWrite(app, catalog.Returns)

	app.OnRecordCreate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("previous_point", "") // no returns yet
		return e.Next()
	})
	app.OnRecordValidate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		if who := actor.Of(e.Context, e.Record); e.Record.IsNew() || who == nil || who.IsSuperuser() {
			// system writes (migrations, seeders, merges) set what they mean;
			// a superuser's correction stands until the person's next return
			return e.Next()
		}
		return validate(e, func(c checks) {
			changed := changedFields(e.Record)
			if slices.Contains(changed, "previous_point") {
				c.add("previous_point", "not_editable", "Este dato se calcula a partir de los retornos de la persona.")
			}
			if !slices.Contains(changed, "reception_point") && !slices.Contains(changed, "repatriation_date") {
				return
			}
			var n int
			if err := e.App.DB().Select("count(*)").From(catalog.Returns).
				Where(dbx.HashExp{"returnee": e.Record.Id}).Row(&n); err != nil || n == 0 {
				return
			}
			for _, f := range []string{"reception_point", "repatriation_date"} {
				if slices.Contains(changed, f) {
					c.add(f, "set_by_returns", "Para cambiar el punto de recepción o la fecha de repatriación, registra un nuevo retorno.")
				}
			}
		})
	})
}

// checkReturn checks a return written by who (nil for a system write): a
// field worker registers returns at their own point only; the repatriation
// date is required from staff, and the device's time of the registration
// cannot be in the future nor before the repatriation day.
func checkReturn(c checks, r *core.Record, who *core.Record) {
	if role(who) == "field_worker" && r.GetString("reception_point") != who.GetString("reception_point") {
		c.add("reception_point", "outside_scope", "Solo puedes registrar retornos en tu propio punto de recepción.")
	}
	date := r.GetString("repatriation_date")
	if who != nil && date == "" {
		c.add("repatriation_date", "validation_required", "Indica la fecha de repatriación.")
	}
	at := r.GetDateTime("registered_at")
	if at.IsZero() || !slices.Contains(changedFields(r), "registered_at") {
		return
	}
	if at.Time().After(time.Now().Add(clockSkew)) {
		c.add("registered_at", "future_date", "La hora del registro no puede estar en el futuro.")
	} else if date != "" && at.Time().UTC().Format(time.DateOnly) < date {
		// a calendar day in Mexico never runs ahead of UTC's
		c.add("registered_at", "before_repatriation", "El registro no puede ser anterior a la fecha de repatriación.")
	}
}

// refreshReturnFields saves returnee id again with the point, previous point
// and date of their returns, if they have returns and those changed.
func refreshReturnFields(app core.App, id string) error {
	found, err := records.FindReturneeIfAny(app, id)
	if err != nil || found == nil {
		return err // deleted, its returns with it
	}
	person := found.ProxyRecord()
	var rows []struct {
		Point string `db:"reception_point"`
		Date  string `db:"repatriation_date"`
	}
	err = app.DB().Select("reception_point", "repatriation_date").From(catalog.Returns).
		Where(dbx.HashExp{"returnee": id}).
		OrderBy("repatriation_date DESC", "registered_at DESC", "id DESC").All(&rows)
	if err != nil || len(rows) == 0 {
		return err // none left: the person's own values stand
	}
	previous := ""
	for _, r := range rows[1:] {
		if r.Point != rows[0].Point {
			previous = r.Point
			break
		}
	}
	want := []string{rows[0].Point, rows[0].Date, previous}
	same := true
	for i, f := range returnDerived {
		same = same && person.GetString(f) == want[i]
		person.Set(f, want[i])
	}
	if same {
		return nil
	}
	return app.SaveNoValidate(person)
}
