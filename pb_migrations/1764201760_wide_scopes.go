package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/listrule"
)

// Wide scopes as index ranges (internal/listrule splits a rule into
// branches, each paged in id order):
//   - a coordinator's branch "going to the state" and a NODESS's "going to
//     one of the node's states with consent" read (destination_state, id),
//     the latter only among the people who share their data with NODESS
//     (partial index), as the field workers' branches read
//     (reception_point, id);
//   - "referred to the node" reads the membership table of
//     returnees.referred_nodess (value, record), kept by triggers, instead
//     of every person's JSON list.
func init() {
	up, down := replaceIndexes(catalog.Returnees,
		[]index{{"idx_returnees_destination_state", false, "destination_state", ""}},
		[]index{{"idx_returnees_destination_id", false, "destination_state, id", ""},
			{"idx_returnees_nodess_destination_id", false, "destination_state, id", "nodess_consent = 1"}},
	)
	m.Register(func(app core.App) error {
		if err := up(app); err != nil {
			return err
		}
		return listrule.CreateMemberTable(app, catalog.Returnees, "referred_nodess")
	}, func(app core.App) error {
		if err := listrule.DropMemberTable(app, catalog.Returnees, "referred_nodess"); err != nil {
			return err
		}
		return down(app)
	})
}
