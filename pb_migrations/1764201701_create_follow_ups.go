package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Follow-ups: a NODESS calls, visits, messages or meets a person it
// accompanies, at 1, 3, 6 and 12 months after accepting their referral (the
// hooks schedule them, hooks/follow_ups.go) or when its staff schedule one.
// The NODESS that owns a follow-up reads and writes it while the person's
// share_nodess consent holds; the person's field workers and coordinator
// read it; returnees do not. Nobody but superusers deletes one: a follow-up
// that will not happen is cancelled.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.Returnees, catalog.Nodess, catalog.Referrals, catalog.Staff)
		if err != nil {
			return err
		}
		people, nodess, referrals, staff := found[0], found[1], found[2], found[3]

		followUps := synced(core.NewBaseCollection(catalog.FollowUps, "pbc_follow_ups"),
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true},
			relation("nodess", true, nodess),
			relation("referral", false, referrals),
			date("due_on", true),
			choice("kind", true, catalog.FollowUpKinds.Codes()...),
			choice("status", false, catalog.FollowUpStatuses.Codes()...),
			text("notes", false, 2000),
			date("done_on", false),
			relation("recorded_by", false, staff),
		)
		// the dashboard names a follow-up by its person and date (1764201690_dashboard.go)
		for _, name := range []string{"returnee", "due_on"} {
			setFieldPresentable(followUps.Fields.GetByName(name), true)
		}
		followUps.AddIndex("idx_follow_ups_returnee", false, "returnee, due_on", "")
		followUps.AddIndex("idx_follow_ups_nodess", false, "nodess, status, due_on", "")
		followUps.AddIndex("idx_follow_ups_referral", false, "referral", "referral != ''")
		owner := ownNode("") + ` && returnee.nodess_consent = true`
		readWrite(followUps,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), owner), false),
			isNodessStaff,
			owner,
		)
		return app.Save(followUps)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.FollowUps)
	})
}
