package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// GET /api/returnees/check-duplicate leaves an audit entry per call (package
// dedup): the action check_duplicate, which names no record (who and when
// only, never the query), and an index on (actor_id, action, created) for
// the per-account limit, which counts an account's checks of the last hour.
func init() {
	const action = "check_duplicate"
	m.Register(func(app core.App) error {
		return changeCollection(app, "audit_log", func(c *core.Collection) {
			addChoice(c, "action", action)
			if f, ok := c.Fields.GetByName("record_id").(*core.TextField); ok {
				f.Required = false
			}
			c.AddIndex("idx_audit_log_actor", false, "actor_id, action, created", "")
		})
	}, func(app core.App) error {
		return changeCollection(app, "audit_log", func(c *core.Collection) {
			removeChoice(c, "action", action)
			if f, ok := c.Fields.GetByName("record_id").(*core.TextField); ok {
				f.Required = true
			}
			c.RemoveIndex("idx_audit_log_actor")
		})
	})
}
