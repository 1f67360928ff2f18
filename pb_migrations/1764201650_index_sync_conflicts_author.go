package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The sync engine bounds the refusal records one user adds in an hour
// (devicesync.Config.MaxRefusalsPerHour): each push that refuses something
// counts its user's records of the last hour, a range of this index; garbage
// collection drops records past the retention period by created.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sync_conflicts")
		if err != nil {
			return err
		}
		c.AddIndex("idx_sync_conflicts_author", false, "auth_id, created", "")
		c.AddIndex("idx_sync_conflicts_created", false, "created", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("sync_conflicts")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_sync_conflicts_author")
		c.RemoveIndex("idx_sync_conflicts_created")
		return app.Save(c)
	})
}
