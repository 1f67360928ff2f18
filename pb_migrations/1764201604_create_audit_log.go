package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		audit := core.NewBaseCollection("audit_log", "pbc_audit_log")
		// nil rules: superusers only; hooks refuse updates and deletes.
		audit.Fields.Add(
			text("actor_collection", false, 100),
			text("actor_id", false, 50),
			choice("action", true, catalog.AuditActions.Codes()...),
			text("collection_name", true, 100),
			text("record_id", true, 50),
			&core.JSONField{Name: "fields", MaxSize: 10_000},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		audit.AddIndex("idx_audit_log_record", false, "collection_name, record_id", "")
		audit.AddIndex("idx_audit_log_created", false, "created", "")
		return app.Save(audit)
	}, func(app core.App) error {
		return deleteCollections(app, "audit_log")
	})
}
