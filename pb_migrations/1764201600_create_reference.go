package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		states := synced(core.NewBaseCollection("states", "pbc_states"),
			pattern("inegi_code", true, 2, `^\d{2}$`),
			pattern("curp_code", true, 2, `^[A-Z]{2}$`),
			text("name", true, 100),
			choice("nodess_region", false, catalog.NodessRegions.Codes()...),
		)
		states.AddIndex("idx_states_inegi_code", true, "inegi_code", "")
		states.AddIndex("idx_states_curp_code", true, "curp_code", "")

		points := synced(core.NewBaseCollection("reception_points", "pbc_reception_points"),
			text("name", true, 150),
			text("city", true, 100),
			relation("state", true, states),
			&core.BoolField{Name: "active"},
			date("opened_on", false),
			date("closed_on", false),
			text("notes", false, 500),
		)
		points.AddIndex("idx_reception_points_name", true, "name", "")

		nodess := synced(core.NewBaseCollection("nodess", "pbc_nodess"),
			text("name", true, 200),
			choice("region", true, catalog.NodessRegions.Codes()...),
			&core.RelationField{Name: "states", Required: true, MaxSelect: 32, CollectionId: states.Id},
			text("institution", false, 200),
			&core.URLField{Name: "website"},
		)
		nodess.AddIndex("idx_nodess_name", true, "name", "")

		publicRead(states, points, nodess)
		return saveAll(app, states, points, nodess)
	}, func(app core.App) error {
		return deleteCollections(app, "nodess", "reception_points", "states")
	})
}
