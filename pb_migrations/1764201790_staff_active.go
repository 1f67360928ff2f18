package pb_migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Lost and shared devices (package accounts): a staff account can be
// switched off. This migration adds staff.active and turns every existing
// account on; an account is created active (hooks/staff.go), and while it is
// off its tokens are refused on every route and its sign-in too.
func init() {
	m.Register(func(app core.App) error {
		if err := changeCollection(app, catalog.Staff, addActive); err != nil {
			return err
		}
		// raw SQL: no hook has anything to say about turning the existing accounts on
		_, err := app.DB().Update(catalog.Staff, dbx.Params{"active": true}, nil).Execute()
		return err
	}, func(app core.App) error {
		return changeCollection(app, catalog.Staff, func(c *core.Collection) { c.Fields.RemoveByName("active") })
	})
}

// addActive adds the switch to the staff collection c.
func addActive(c *core.Collection) {
	c.Fields.Add(&core.BoolField{Name: "active",
		Help: "Off: the account's tokens and sign-in are refused, and its devices erase their copy. New accounts are on."})
}
