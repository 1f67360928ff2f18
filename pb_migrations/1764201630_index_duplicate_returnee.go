package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Duplicate pairs of one person are looked up on every registration and
// change (returnee = ? OR candidate = ?); the pair index is partial
// (candidate != ”), so it cannot serve the returnee side and the lookup
// scanned the whole table.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("duplicate_candidates")
		if err != nil {
			return err
		}
		c.AddIndex("idx_duplicate_candidates_returnee", false, "returnee", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("duplicate_candidates")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_duplicate_candidates_returnee")
		return app.Save(c)
	})
}
