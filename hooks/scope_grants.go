package hooks

import (
	"database/sql"
	"errors"
	"fmt"
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

// Knowing a person's CURP (or their record's id) must not quietly open their
// record: a return that a field worker registers for someone their point
// could not see grants that point the person's scope, and leaves a
// scope_grants record for the coordinator of the point's state to review.
// One account may gain at most MaxScopeGains people in ScopeGainWindow: a
// busy point registers a few hundred people a day, of whom some were
// registered elsewhere before; an account harvesting records by CURP stops
// there, and its coordinator sees every one.
const (
	MaxScopeGains   = 100
	ScopeGainWindow = 24 * time.Hour
)

// bindScopeGrants records the scope a return grants, bounds it per account,
// keeps a grant's identity_confirmed in step with its return's, and lets a
// coordinator change only a grant's review.
func bindScopeGrants(app core.App) {
	app.OnRecordValidate(catalog.Returns).BindFunc(func(e *core.RecordEvent) error {
		who := actor.Of(e.Context, e.Record)
		return validate(e, func(c checks) {
			if !e.Record.IsNew() || !gainsScope(e.App, e.Record, who) {
				return
			}
			var n int
			err := e.App.DB().Select("count(*)").From(catalog.ScopeGrants).
				Where(dbx.HashExp{"granted_by": who.Id}).
				AndWhere(dbx.NewExp("created > {:since}", dbx.Params{"since": types.NowDateTime().Add(-ScopeGainWindow).String()})).
				Row(&n)
			if err == nil && n >= MaxScopeGains {
				c.add("returnee", "scope_gain_limit", fmt.Sprintf(
					"Ya registraste hoy %d retornos de personas registradas en otros puntos: pide a tu coordinación que revise antes de seguir.", MaxScopeGains))
			}
		})
	})
	// whether the return gains scope is read before ReturnFields moves the
	// person to its point
	hookorder.Hook{
		ID: "retorno_scope_grant", Priority: hookorder.ScopeGrant,
		Func: func(e *core.RecordEvent) error {
			return inTransaction(e, func() error {
				who := actor.Of(e.Context, e.Record)
				gained := gainsScope(e.App, e.Record, who)
				if err := e.Next(); err != nil || !gained {
					return err
				}
				return grantScope(e.App, e.Record, who)
			})
		},
	}.OnCreate(app, catalog.Returns)
	app.OnRecordUpdate(catalog.Returns).BindFunc(func(e *core.RecordEvent) error {
		confirmed := slices.Contains(changedFields(e.Record), "identity_confirmed") // before the save makes it the original
		if err := e.Next(); err != nil || !confirmed {
			return err
		}
		grant, err := e.App.FindFirstRecordByData(catalog.ScopeGrants, "return_event", e.Record.Id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the return granted nothing
		}
		if err != nil {
			return err
		}
		grant.Set("identity_confirmed", e.Record.GetBool("identity_confirmed"))
		actor.Set(grant, actor.Of(e.Context, e.Record))
		return e.App.Save(grant)
	})

	app.OnRecordValidate(catalog.ScopeGrants).BindFunc(func(e *core.RecordEvent) error {
		who := actor.Of(e.Context, e.Record)
		if role(who) != "coordinator" {
			return e.Next()
		}
		if slices.Contains(changedFields(e.Record), "reviewed") {
			e.Record.Set("reviewed_by", who.Id)
		}
		return validate(e, func(c checks) {
			onlyFields(c, e.Record, "reviewed", "review_note", "reviewed_by")
		})
	})
}

// gainsScope reports whether the new return r, written by who, brings its
// person into the scope of who's point: who is a field worker, and neither
// of the person's last two points is theirs.
func gainsScope(app core.App, r *core.Record, who *core.Record) bool {
	if role(who) != "field_worker" {
		return false
	}
	person, err := records.FindReturnee(app, r.GetString("returnee"))
	if err != nil {
		return false // no such person: the relation's validation answers
	}
	point := records.AsStaff(who).ReceptionPoint()
	return person.ReceptionPoint() != point && person.GetString("previous_point") != point
}

// grantScope records that the return r by who granted who's point its
// person's scope.
func grantScope(app core.App, r *core.Record, who *core.Record) error {
	col, err := app.FindCachedCollectionByNameOrId(catalog.ScopeGrants)
	if err != nil {
		return err
	}
	point, err := app.FindRecordById(catalog.ReceptionPoints, r.GetString("reception_point"))
	if err != nil {
		return err
	}
	grant := core.NewRecord(col)
	grant.Set("returnee", r.GetString("returnee"))
	grant.Set("return_event", r.Id)
	grant.Set("reception_point", point.Id)
	grant.Set("state", point.GetString("state"))
	grant.Set("identity_confirmed", r.GetBool("identity_confirmed"))
	actor.Set(grant, who) // its stamp, granted_by, and its audit entry
	return app.Save(grant)
}
