package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, "states", "nodess", "returnees", "staff")
		if err != nil {
			return err
		}
		states, nodess, returnees, staff := found[0], found[1], found[2], found[3]

		courses := synced(core.NewBaseCollection("training_courses", "pbc_training_courses"),
			text("title", true, 200),
			relation("nodess", true, nodess),
			choice("theme", true, catalog.Themes.Codes()...),
			relation("state", true, states),
			text("municipality", false, 150),
			choice("modality", true, catalog.Modalities.Codes()...),
			date("starts_on", true),
			date("ends_on", false),
			integer("capacity", true, 1, 10000),
			text("description", false, 5000),
			choice("status", false, catalog.CourseStatuses.Codes()...),
		)
		courses.AddIndex("idx_training_courses_state", false, "state, status", "")
		courses.AddIndex("idx_training_courses_nodess", false, "nodess", "")
		readWrite(courses, or(`status != "draft"`, ownNode(""), ownState("")), isNodessStaff, ownNode(""))
		courses.DeleteRule = rule(ownNode(""))

		enrollments := synced(core.NewBaseCollection("enrollments", "pbc_enrollments"),
			&core.RelationField{Name: "course", Required: true, MaxSelect: 1, CollectionId: courses.Id, CascadeDelete: true},
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: returnees.Id, CascadeDelete: true},
			choice("status", false, catalog.EnrollmentStatuses.Codes()...),
		)
		enrollments.AddIndex("idx_enrollments_course_returnee", true, "course, returnee", "")
		enrollments.AddIndex("idx_enrollments_returnee", false, "returnee", "")
		readWrite(enrollments,
			or(ownReturnee, ownNode("course."), ownState("course."), coordinatorScope("returnee."), fieldWorkerScope("returnee.")),
			or(isReturnee, isNodessStaff),
			or(ownReturnee, ownNode("course.")))

		groups := synced(core.NewBaseCollection("savings_groups", "pbc_savings_groups"),
			text("name", true, 200),
			relation("nodess", true, nodess),
			relation("state", true, states),
			text("municipality", false, 150),
			choice("methodology", true, catalog.Methodologies.Codes()...),
			integer("share_value_cents", true, 100, 10_000_000),
			integer("min_shares", true, 1, 10),
			integer("max_shares", true, 1, 10),
			integer("monthly_interest_bp", false, 0, 2000),
			date("cycle_start", true),
			date("cycle_end", true),
			choice("status", false, catalog.GroupStatuses.Codes()...),
			&core.BoolField{Name: "accepting_members"},
			text("meeting_place", false, 300),
			text("description", false, 2000),
			&core.RelationField{Name: "active_members", MaxSelect: 999, CollectionId: returnees.Id, Hidden: true,
				Help: "Derived from group_members: the people who are active members (they read the ledger)."},
		)
		groups.AddIndex("idx_savings_groups_state", false, "state, status", "")
		groups.AddIndex("idx_savings_groups_nodess", false, "nodess", "")
		readWrite(groups, "", isNodessStaff, ownNode(""))
		groups.DeleteRule = rule(ownNode(""))

		members := synced(core.NewBaseCollection("group_members", "pbc_group_members"),
			relation("group", true, groups),
			relation("returnee", true, returnees),
			choice("role", false, catalog.MemberRoles.Codes()...),
			choice("status", false, catalog.MemberStatuses.Codes()...),
			date("joined_on", false),
		)
		members.AddIndex("idx_group_members_group_returnee", true, "`group`, returnee", "")
		members.AddIndex("idx_group_members_returnee", false, "returnee", "")
		readWrite(members,
			or(ownReturnee, ownNode("group."), ownState("group."), coordinatorScope("returnee.")),
			or(isReturnee, isNodessStaff),
			or(ownReturnee, ownNode("group.")))

		entries := synced(core.NewBaseCollection("ledger_entries", "pbc_ledger_entries"),
			relation("group", true, groups),
			relation("member", false, members),
			choice("type", true, catalog.EntryTypes.Codes()...),
			integer("shares", false, 0, 10),
			integer("amount_cents", true, 0, 1_000_000_000),
			date("meeting_date", true),
			relation("recorded_by", false, staff),
			text("note", false, 500),
		)
		entries.AddIndex("idx_ledger_entries_group", false, "`group`, meeting_date", "")
		entries.AddIndex("idx_ledger_entries_member", false, "member", "")
		readWrite(entries,
			or(isReturnee+` && member.returnee = @request.auth.returnee`,
				// a savings group's box is open to its members: every active
				// member sees the group's ledger, as read out at each meeting
				isReturnee+` && group.active_members:each ?= @request.auth.returnee`,
				ownNode("group."),
				ownState("group."),
				coordinatorScope("member.returnee.")),
			isNodessStaff, "")
		entries.UpdateRule = nil // immutable: a correction is a reversal entry
		if err := saveAll(app, courses, enrollments, groups, members, entries); err != nil {
			return err
		}
		// a self-relation needs the collection to exist first
		entries.Fields.Add(&core.RelationField{Name: "reverses", MaxSelect: 1, CollectionId: entries.Id})
		entries.AddIndex("idx_ledger_entries_reverses", true, "reverses", "reverses != ''")
		return app.Save(entries)
	}, func(app core.App) error {
		return deleteCollections(app, "ledger_entries", "group_members", "savings_groups", "enrollments", "training_courses")
	})
}
