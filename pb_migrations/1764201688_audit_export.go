package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// GET /api/exports/{collection} leaves an audit entry per download (package
// exports): the action export, naming the collection and the columns.
func init() {
	const action = "export"
	m.Register(func(app core.App) error {
		return changeCollection(app, "audit_log", func(c *core.Collection) { addChoice(c, "action", action) })
	}, func(app core.App) error {
		return changeCollection(app, "audit_log", func(c *core.Collection) { removeChoice(c, "action", action) })
	})
}
