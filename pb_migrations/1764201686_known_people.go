package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Someone already known: a person registered at one point and returned
// through another gets a new return, not a second record (docs/DESIGN.md,
// "Someone already known"). This migration
//   - adds returns.identity_confirmed: the worker confirmed the person's
//     identity with them before registering a return of someone registered
//     at another point;
//   - adds the hidden returnees.claim_salt: the id a device hashed the
//     person's claim code with, when it was not the person's (a
//     registration made offline and rebound to the person at sync);
//   - creates scope_grants: each person a field worker's point gained
//     through a new return, for the state's coordinator to review.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.Returns, catalog.Returnees, catalog.ReceptionPoints, catalog.Staff, catalog.States)
		if err != nil {
			return err
		}
		returns, people, points, staff, states := found[0], found[1], found[2], found[3], found[4]

		returns.Fields.Add(&core.BoolField{Name: "identity_confirmed",
			Help: "The worker confirmed the identity of a person registered at another point before registering this return."})
		people.Fields.Add(&core.TextField{Name: "claim_salt", Hidden: true, Max: 15,
			Help: "The id the claim code was hashed with, when it is not the person's own (a registration rebound at sync)."})

		grants := core.NewBaseCollection(catalog.ScopeGrants, "pbc_scope_grants")
		grants.Fields.Add(
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true},
			&core.RelationField{Name: "return_event", Required: true, MaxSelect: 1, CollectionId: returns.Id, CascadeDelete: true},
			relation("reception_point", true, points),
			relation("granted_by", false, staff),
			relation("state", true, states),
			&core.BoolField{Name: "identity_confirmed"},
			&core.BoolField{Name: "reviewed"},
			text("review_note", false, 1000),
			relation("reviewed_by", false, staff),
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		grants.AddIndex("idx_scope_grants_state", false, "state, reviewed, created", "")
		grants.AddIndex("idx_scope_grants_return", true, "return_event", "")
		grants.AddIndex("idx_scope_grants_by", false, "granted_by, created", "")
		readUpdate(grants, ownState(""))
		return saveAll(app, returns, people, grants)
	}, func(app core.App) error {
		if err := deleteCollections(app, catalog.ScopeGrants); err != nil {
			return err
		}
		if err := changeCollection(app, catalog.Returns, func(c *core.Collection) { c.Fields.RemoveByName("identity_confirmed") }); err != nil {
			return err
		}
		return changeCollection(app, catalog.Returnees, func(c *core.Collection) { c.Fields.RemoveByName("claim_salt") })
	})
}
