package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		states := core.NewBaseCollection("states", "pbc_states")
		publicRead(states)
		states.Fields.Add(
			pattern("inegi_code", true, 2, `^\d{2}$`),
			pattern("curp_code", true, 2, `^[A-Z]{2}$`),
			text("name", true, 100),
			choice("nodess_region", false, catalog.NodessRegions.Codes()...),
		)
		addSyncFields(states)
		states.AddIndex("idx_states_inegi_code", true, "inegi_code", "")
		states.AddIndex("idx_states_curp_code", true, "curp_code", "")
		if err := app.Save(states); err != nil {
			return err
		}

		points := core.NewBaseCollection("reception_points", "pbc_reception_points")
		publicRead(points)
		points.Fields.Add(
			text("name", true, 150),
			text("city", true, 100),
			relation("state", true, states),
			&core.BoolField{Name: "active"},
			date("opened_on", false),
			date("closed_on", false),
			text("notes", false, 500),
		)
		addSyncFields(points)
		points.AddIndex("idx_reception_points_name", true, "name", "")
		if err := app.Save(points); err != nil {
			return err
		}

		nodess := core.NewBaseCollection("nodess", "pbc_nodess")
		publicRead(nodess)
		nodess.Fields.Add(
			text("name", true, 200),
			choice("region", true, catalog.NodessRegions.Codes()...),
			&core.RelationField{Name: "states", Required: true, MaxSelect: 32, CollectionId: states.Id},
			text("institution", false, 200),
			&core.URLField{Name: "website"},
		)
		addSyncFields(nodess)
		nodess.AddIndex("idx_nodess_name", true, "name", "")
		return app.Save(nodess)
	}, func(app core.App) error {
		return deleteCollections(app, "nodess", "reception_points", "states")
	})
}

// deleteCollections deletes the named collections, in order, if they exist.
func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
