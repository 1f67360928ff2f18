package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Outcomes: how a person is doing some time after their return (work,
// income band, savings group, cooperative, whether they are still at their
// destination and whether they mean to migrate again). NODESS staff record
// them for the people in their reach (as they read them: the share_nodess
// consent holds), and a returnee for themselves; the person's field workers
// and coordinator read them. Whoever recorded an outcome corrects it (NODESS
// staff those of their node's staff, the person their own); nobody but
// superusers deletes one.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.Returnees, catalog.Staff)
		if err != nil {
			return err
		}
		people, staff := found[0], found[1]

		outcomes := synced(core.NewBaseCollection(catalog.Outcomes, "pbc_outcomes"),
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true},
			&core.TextField{Name: "recorded_on", Required: true, Max: 10, Pattern: datePattern, Presentable: true},
			choice("employment", true, catalog.Employments.Codes()...),
			choice("income_band", false, catalog.IncomeBands.Codes()...),
			&core.BoolField{Name: "in_savings_group"},
			&core.BoolField{Name: "in_cooperative"},
			&core.BoolField{Name: "still_at_destination"},
			&core.BoolField{Name: "intends_to_migrate_again"},
			relation("recorded_by", false, staff),
		)
		outcomes.AddIndex("idx_outcomes_returnee", false, "returnee, recorded_on", "")
		readWrite(outcomes,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), nodessScope("returnee."), ownReturnee), false),
			// whom NODESS staff may record for is the relation scope's check
			// (hooks/relations.go): a person out of reach reads as missing
			or(isNodessStaff, isReturnee),
			or(nodessScope("returnee.")+` && recorded_by.nodess = @request.auth.nodess`, ownReturnee+` && recorded_by = ""`),
		)
		return app.Save(outcomes)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.Outcomes)
	})
}
