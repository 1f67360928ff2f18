package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		states, err := app.FindCollectionByNameOrId("states")
		if err != nil {
			return err
		}
		c := synced(core.NewBaseCollection("sync_conflicts", "pbc_sync_conflicts"),
			choice("kind", true, catalog.ConflictKinds.Codes()...),
			text("client_id", true, 64),
			text("mutation_id", true, 64),
			text("auth_collection", true, 100),
			text("auth_id", true, 50),
			text("collection_name", true, 100),
			text("record_id", true, 50),
			text("op", false, 10),
			integer("base_rev", false, 0, 1e12),
			text("field", false, 100),
			&core.JSONField{Name: "yours", MaxSize: 1 << 20},
			&core.JSONField{Name: "kept", MaxSize: 1 << 20},
			&core.JSONField{Name: "lost", MaxSize: 1 << 20},
			text("policy", false, 30),
			text("code", false, 50),
			text("message", false, 1000),
			&core.JSONField{Name: "details", MaxSize: 1 << 16},
			relation("state", false, states),
			&core.BoolField{Name: "resolved"},
			text("resolution_note", false, 1000),
		)
		c.AddIndex("idx_sync_conflicts_state", false, "state, resolved", "")
		c.AddIndex("idx_sync_conflicts_record", false, "collection_name, record_id", "")
		readUpdate(c, ownState(""))
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "sync_conflicts")
	})
}
