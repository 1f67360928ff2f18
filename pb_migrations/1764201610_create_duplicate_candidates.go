package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		returnees, err := app.FindCollectionByNameOrId("returnees")
		if err != nil {
			return err
		}
		// deleting a person deletes their pairs; a merge first rewrites the
		// pair it settles (candidate emptied, merged_from keeps the id)
		person := func(name string, required bool) *core.RelationField {
			return &core.RelationField{Name: name, Required: required, MaxSelect: 1,
				CollectionId: returnees.Id, CascadeDelete: true}
		}
		c := synced(core.NewBaseCollection("duplicate_candidates", "pbc_duplicate_candidates"),
			person("returnee", true),
			person("candidate", false),
			integer("score", false, 0, 100),
			&core.JSONField{Name: "reasons", MaxSize: 4000},
			choice("status", true, catalog.DuplicateStatuses.Codes()...),
			text("merged_from", false, 15),
		)
		// a merged pair has no candidate any more: it is not a pair of the index
		c.AddIndex("idx_duplicate_candidates_pair", true, "returnee, candidate", "candidate != ''")
		c.AddIndex("idx_duplicate_candidates_candidate", false, "candidate", "")
		read := or(
			isFieldWorker+` && (returnee.reception_point = @request.auth.reception_point || candidate.reception_point = @request.auth.reception_point)`,
			coordinatorScope("returnee."),
			coordinatorScope("candidate."),
		)
		// writes: only superusers create and delete; staff in scope update,
		// and a hook (package dedup) lets them only dismiss an open pair
		readUpdate(c, read)
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, "duplicate_candidates")
	})
}
