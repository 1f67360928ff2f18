package hooks

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/curp"
)

// returneeEditable are the fields a returnee may change in their own record:
// contact, destination and skills.
var returneeEditable = []string{"phone", "destination_state", "destination_municipality", "skills"}

func bindReturnees(app core.App) {
	app.OnRecordValidate("returnees").BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			checkCURP(c, e.Record)
			who := actor.Of(e.Context, e.Record)
			switch role(who) {
			case "field_worker":
				if e.Record.GetString("reception_point") != who.GetString("reception_point") {
					c.add("reception_point", "outside_scope", "Solo puede registrar personas en su propio punto de recepción.")
				}
			case "returnee":
				onlyFields(c, e.Record, returneeEditable...)
			}
		})
	})
}

// checkCURP normalises the record's CURP and refuses an invalid one, or one
// whose birth date disagrees with the record's.
func checkCURP(c checks, record *core.Record) {
	value := curp.Normalize(record.GetString("curp"))
	record.Set("curp", value)
	if value == "" {
		return
	}
	if err := curp.Validate(value); err != nil {
		var ce *curp.Error
		if errors.As(err, &ce) {
			c.add("curp", ce.Code, ce.Message)
		} else {
			c.add("curp", "invalid_curp", err.Error())
		}
		return
	}
	born, err := curp.BirthDate(value)
	if err == nil && record.GetString("birth_date") != "" && born.Format("2006-01-02") != record.GetString("birth_date") {
		c.add("curp", "birth_date_mismatch", "La fecha de nacimiento de la CURP no coincide con la fecha de nacimiento registrada.")
	}
}

// role names what who acts as: a staff role, "returnee", "superuser", or ""
// for a system write.
func role(who *core.Record) string {
	switch {
	case who == nil:
		return ""
	case who.IsSuperuser():
		return "superuser"
	case who.Collection().Name == "staff":
		return who.GetString("role")
	case who.Collection().Name == "returnee_accounts":
		return "returnee"
	}
	return "other"
}
