package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Who may switch a staff account off or on again (package accounts): a
// coordinator the accounts of their state they could import (a field worker
// of one of its reception points, NODESS staff of a node whose states are all
// theirs; coordinators are the superusers'), never their own, and only that
// field (a model hook refuses any other); superusers anyone. Each switch is
// audited as deactivate or reactivate.
func init() {
	const (
		deactivate = "deactivate"
		reactivate = "reactivate"
	)
	m.Register(func(app core.App) error {
		if err := changeCollection(app, catalog.Staff, func(c *core.Collection) {
			c.UpdateRule = rule(isCoordinator + ` && id != @request.auth.id && role != "coordinator" && (` +
				`(reception_point != "" && reception_point.state = @request.auth.state) || ` +
				`(nodess != "" && nodess.states:each = @request.auth.state))`)
		}); err != nil {
			return err
		}
		return changeCollection(app, catalog.AuditLog, func(c *core.Collection) {
			addChoice(c, "action", deactivate)
			addChoice(c, "action", reactivate)
		})
	}, func(app core.App) error {
		if err := changeCollection(app, catalog.Staff, func(c *core.Collection) { c.UpdateRule = nil }); err != nil {
			return err
		}
		return changeCollection(app, catalog.AuditLog, func(c *core.Collection) {
			removeChoice(c, "action", deactivate)
			removeChoice(c, "action", reactivate)
		})
	})
}
