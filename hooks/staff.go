package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// scopeFieldOfRole is the staff field that scopes each role.
var scopeFieldOfRole = map[string]string{
	"field_worker": "reception_point",
	"nodess_staff": "nodess",
	"coordinator":  "state",
}

// bindStaff requires each staff member's scope (a field worker's reception
// point, a NODESS staff member's node, a coordinator's state), creates every
// account active and lets staff (a coordinator, whom the update rule lets
// through) switch only that, never for their own account; and keeps a
// returnee account tied to its own person.
func bindStaff(app core.App) {
	// a bool field has no default, and an account made off by omission would
	// look broken, not deactivated (package accounts)
	app.OnRecordCreate(catalog.Staff).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("active", true)
		return e.Next()
	})
	app.OnRecordValidate(catalog.Staff).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			who := actor.Of(e.Context, e.Record)
			if e.Record.IsNew() || who == nil || who.IsSuperuser() {
				return
			}
			onlyFields(c, e.Record, "active")
			if who.Id == e.Record.Id && e.Record.GetBool("active") != e.Record.Original().GetBool("active") {
				c.add("active", "own_account", "No puedes activar ni desactivar tu propia cuenta.")
			}
		})
	})
	app.OnRecordValidate(catalog.Staff).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			field, ok := scopeFieldOfRole[e.Record.GetString("role")]
			if ok && e.Record.GetString(field) == "" {
				c.add(field, "required_for_role", "Este campo es obligatorio para el rol elegido.")
			}
		})
	})
	app.OnRecordValidate(catalog.ReturneeAccounts).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			who := actor.Of(e.Context, e.Record)
			if e.Record.IsNew() || who == nil || who.IsSuperuser() {
				return
			}
			if e.Record.GetString("returnee") != e.Record.Original().GetString("returnee") {
				c.add("returnee", "not_editable", "No puedes modificar este campo.")
			}
		})
	})
}
