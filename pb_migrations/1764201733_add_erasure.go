package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Erasure and rectification in the audit (privacy/erase.go,
// privacy/rectification.go): returnees.erased_at marks a person whose
// personal values were erased (the record stays, blank, so that memberships
// and ledgers keep pointing at it); audit_log gains the actions erase and
// rectify and a reason (why a person was erased: never a value of theirs).
func init() {
	m.Register(func(app core.App) error {
		err := changeCollection(app, catalog.Returnees, func(c *core.Collection) {
			c.Fields.Add(&core.DateField{Name: "erased_at",
				Help: "When a superuser erased the person's data (the record is a blank shell); set by the server."})
		})
		if err != nil {
			return err
		}
		return changeCollection(app, catalog.AuditLog, func(c *core.Collection) {
			addChoice(c, "action", "erase")
			addChoice(c, "action", "rectify")
			c.Fields.Add(text("reason", false, 1000))
		})
	}, func(app core.App) error {
		err := changeCollection(app, catalog.AuditLog, func(c *core.Collection) {
			removeChoice(c, "action", "erase")
			removeChoice(c, "action", "rectify")
			c.Fields.RemoveByName("reason")
		})
		if err != nil {
			return err
		}
		return changeCollection(app, catalog.Returnees, func(c *core.Collection) { c.Fields.RemoveByName("erased_at") })
	})
}
