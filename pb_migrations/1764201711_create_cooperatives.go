package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// coopNode is the scope of NODESS staff over a cooperative, where p is the
// path to it ("" on it): their node covers its state, and accompanies it or
// nobody does yet (catalog.NodePath.State).
func coopNode(p string) string {
	return isNodessStaff + ` && ` + p + `state ?= @request.auth.nodess.states:each && (` +
		p + `nodess = "" || ` + p + `nodess = @request.auth.nodess)`
}

// Migrant cooperatives (docs/DESIGN.md, "Migrant cooperatives"): creates
//   - cooperatives, public like savings groups: an OSSE's name, kind, stage,
//     place, theme, accompanying NODESS, seed savings group, products,
//     members who are not returnees and the reason for its stage; a
//     returnee proposes one as an idea, NODESS staff whose node covers its
//     state run it; active_members (hidden) is derived from the memberships;
//   - cooperative_members: a returnee's membership, requested by the person
//     or added by NODESS staff, accepted by NODESS staff; member_name (set by
//     the server) is all that fellow active members read of each other.
//
// The stage rule (at least 3 members for a social group, 5 from legally
// constituted on) is hooks/cooperatives.go.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.States, catalog.Nodess, catalog.SavingsGroups, catalog.Returnees)
		if err != nil {
			return err
		}
		states, nodess, groups, people := found[0], found[1], found[2], found[3]

		coops := synced(core.NewBaseCollection(catalog.Cooperatives, "pbc_cooperatives"),
			&core.TextField{Name: "name", Required: true, Max: 200, Presentable: true},
			choice("kind", false, catalog.OsseKinds.Codes()...),
			choice("stage", true, catalog.CooperativeStages.Codes()...),
			relation("state", true, states),
			text("municipality", false, 150),
			choice("theme", true, catalog.Themes.Codes()...),
			relation("nodess", false, nodess),
			relation("savings_group", false, groups),
			text("products", false, 1000),
			date("founded_on", false),
			integer("other_members", false, 0, 10000),
			text("stage_reason", false, 1000),
			&core.RelationField{Name: "active_members", MaxSelect: 999, CollectionId: people.Id, Hidden: true,
				Help: "Derived from cooperative_members: the people who are active members (they read each other's names)."},
		)
		coops.AddIndex("idx_cooperatives_state", false, "state, stage", "")
		coops.AddIndex("idx_cooperatives_nodess", false, "nodess", "")
		readWrite(coops, "", or(isReturnee, coopNode("")), coopNode(""))

		members := synced(core.NewBaseCollection(catalog.CooperativeMembers, "pbc_cooperative_members"),
			&core.RelationField{Name: "cooperative", Required: true, MaxSelect: 1, CollectionId: coops.Id, CascadeDelete: true},
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true},
			choice("role", false, catalog.CooperativeRoles.Codes()...),
			choice("status", false, catalog.MemberStatuses.Codes()...),
			date("joined_on", false),
			&core.TextField{Name: "member_name", Max: 250, Presentable: true,
				Help: "Set by the server from the person's given names and first surname."},
		)
		members.AddIndex("idx_cooperative_members_coop_returnee", true, "cooperative, returnee", "")
		members.AddIndex("idx_cooperative_members_returnee", false, "returnee", "")
		fellowMember := isReturnee + ` && status = "active" && cooperative.active_members:each ?= @request.auth.returnee`
		readWrite(members,
			widenScope(or(ownReturnee, fellowMember, coopNode("cooperative."), ownState("cooperative."), coordinatorScope("returnee.")), false),
			or(isReturnee, isNodessStaff),
			or(ownReturnee, coopNode("cooperative.")),
		)
		return saveAll(app, coops, members)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.CooperativeMembers, catalog.Cooperatives)
	})
}
