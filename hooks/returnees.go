package hooks

import (
	"errors"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/records"
)

// ReturneeEditable are the fields a returnee may change in their own record:
// contact, destination and skills.
var ReturneeEditable = []string{"phone", "destination_state", "destination_municipality", "skills"}

func bindReturnees(app core.App) {
	app.OnRecordValidate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			checkCURP(c, e.App, e.Record)
			checkPhone(c, e.Record, e.Record.IsNew() || slices.Contains(changedFields(e.Record), "phone"))
			who := actor.Of(e.Context, e.Record)
			switch role(who) {
			case "field_worker":
				// a person of the worker's scope may be at another point now
				// (previous_point): only a point the write sets is checked
				if (e.Record.IsNew() || slices.Contains(changedFields(e.Record), "reception_point")) &&
					e.Record.GetString("reception_point") != who.GetString("reception_point") {
					c.add("reception_point", "outside_scope", "Solo puedes registrar personas en tu propio punto de recepción.")
				}
			case "returnee":
				onlyFields(c, e.Record, ReturneeEditable...)
			}
		})
	})
}

// checkCURP normalises the record's CURP and refuses an invalid one, or one
// that contradicts the record's birth date or, unless the worker confirmed
// it (curp_confirmed), its letters (checkCURPLetters).
func checkCURP(c checks, app core.App, record *core.Record) {
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
	// checked when the write sets one of them, so that a record stored
	// before these checks stays editable by someone who may not fix it
	if !record.IsNew() && !slices.ContainsFunc(changedFields(record), func(f string) bool {
		return slices.Contains(curpLetterFields, f)
	}) {
		return
	}
	if !record.GetBool("curp_confirmed") {
		checkCURPLetters(c, app, record, value)
	}
}

// curpLetterFields are the fields a CURP's letters are checked against, the
// CURP and the worker's confirmation of it.
var curpLetterFields = []string{"curp", "given_names", "first_surname", "second_surname", "sex", "birth_state", "curp_confirmed"}

// checkCURPLetters refuses a valid CURP whose letters contradict the record:
// the name letters (positions 1-4, by RENAPO's rules), the sex letter
// (position 11) or the state of birth (positions 12-13, NE for born abroad).
func checkCURPLetters(c checks, app core.App, record *core.Record, value string) {
	if !curp.NameLettersMatch(value, record.GetString("first_surname"), record.GetString("second_surname"), record.GetString("given_names")) {
		c.add("curp", "name_mismatch", "Las letras de la CURP (posiciones 1 a 4) no coinciden con los apellidos y el nombre registrados.")
	}
	if sex := record.GetString("sex"); (sex == "H" || sex == "M") && curp.Sex(value) != sex {
		// X (non-binary) contradicts no CURP: a key keeps the letter it
		// was issued with
		c.add("curp", "sex_mismatch", "El sexo de la CURP (posición 11) no coincide con el sexo registrado.")
	}
	if id := record.GetString("birth_state"); id != "" {
		// a CURP of someone born abroad (NE) contradicts any state; no
		// birth state (unknown, or abroad) contradicts no CURP
		state, err := app.FindRecordById(catalog.States, id)
		if err == nil && state.GetString("curp_code") != curp.StateCode(value) {
			c.add("curp", "birth_state_mismatch",
				"La entidad de nacimiento de la CURP (posiciones 12 y 13) no coincide con la entidad de nacimiento registrada.")
		}
	}
}

// role names what who acts as (records.Role).
var role = records.Role
