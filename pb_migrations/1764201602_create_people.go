package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
)

// returneeScope is the read scope of staff and returnee accounts over a
// returnee, where p is the path from the rule's collection to the returnee
// ("" on returnees, "returnee." on its children).
func returneeScope(p string) string {
	return or(
		fieldWorkerScope(p),
		coordinatorScope(p),
		nodessScope(p),
		isReturnee+` && `+p+`id = @request.auth.returnee`,
	)
}

// nodessScope is the read scope of NODESS staff over a returnee: the person
// shares their data with NODESS (share_nodess) and goes to one of the node's
// states or was referred to the node.
func nodessScope(p string) string {
	// multi-valued fields need :each: compared bare, they are their JSON text
	return isNodessStaff + ` && ` + p + `nodess_consent = true && (` + p + `destination_state ?= @request.auth.nodess.states:each || ` + p + `referred_nodess:each ?= @request.auth.nodess)`
}

// fieldWorkerScope is the write scope of field workers over a returnee.
func fieldWorkerScope(p string) string {
	return isFieldWorker + ` && ` + p + `reception_point = @request.auth.reception_point`
}

// coordinatorScope is the read scope of coordinators over a returnee.
func coordinatorScope(p string) string {
	return isCoordinator + ` && (` + p + `reception_point.state = @request.auth.state || ` + p + `destination_state = @request.auth.state)`
}

// ownReturnee lets a returnee account reach its own person's records (a
// child collection's returnee relation).
const ownReturnee = isReturnee + ` && returnee = @request.auth.returnee`

// ownNode is the scope of NODESS staff over a record their node runs, where
// p is the path to the record that holds the nodess relation ("" on it).
func ownNode(p string) string {
	return isNodessStaff + ` && ` + p + `nodess = @request.auth.nodess`
}

// ownState is the scope of coordinators over a record of their state, where
// p is the path to the record that holds the state relation ("" on it).
func ownState(p string) string {
	return isCoordinator + ` && ` + p + `state = @request.auth.state`
}

func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, "states", "reception_points", "nodess")
		if err != nil {
			return err
		}
		states, points, nodess := found[0], found[1], found[2]

		staff := synced(core.NewAuthCollection("staff", "pbc_staff"),
			text("name", true, 150),
			choice("role", true, catalog.StaffRoles.Codes()...),
			relation("reception_point", false, points),
			relation("nodess", false, nodess),
			relation("state", false, states),
		)
		staff.ListRule = types.Pointer(or(
			`id = @request.auth.id`,
			isCoordinator+` && (state = @request.auth.state || reception_point.state = @request.auth.state)`,
		))
		staff.ViewRule = staff.ListRule

		returnees := synced(core.NewBaseCollection("returnees", "pbc_returnees"),
			text("given_names", true, 100),
			text("first_surname", true, 100),
			text("second_surname", false, 100),
			&core.TextField{Name: "curp", Help: "CURP, optional; unique when present."},
			date("birth_date", true),
			choice("sex", true, catalog.Sexes.Codes()...),
			relation("birth_state", false, states),
			relation("destination_state", true, states),
			text("destination_municipality", false, 150),
			relation("reception_point", true, points),
			date("repatriation_date", false),
			pattern("phone", false, 16, `^\+?[0-9]{7,15}$`),
			choices("languages", catalog.Languages.Codes()...),
			choice("sector_in_us", false, catalog.SectorsInUS.Codes()...),
			integer("years_in_us", false, 0, 80),
			text("skills", false, 1000),
			choices("needs", catalog.Needs.Codes()...),
			relation("registered_by", false, staff),
			&core.BoolField{Name: "nodess_consent",
				Help: "Derived from consents: a granted, not withdrawn share_nodess consent exists."},
			&core.RelationField{Name: "referred_nodess", MaxSelect: 999, CollectionId: nodess.Id,
				Help: "Derived from referrals: the NODESS this person was referred to."},
		)
		returnees.AddIndex("idx_returnees_curp", true, "curp", "curp != ''")
		returnees.AddIndex("idx_returnees_reception_point", false, "reception_point", "")
		returnees.AddIndex("idx_returnees_destination_state", false, "destination_state", "")
		returnees.AddIndex("idx_returnees_birth", false, "birth_date, first_surname", "")
		readWrite(returnees,
			returneeScope(""),
			isFieldWorker,
			or(fieldWorkerScope(""), isReturnee+` && id = @request.auth.returnee`),
		)

		accounts := synced(core.NewAuthCollection("returnee_accounts", "pbc_returnee_accounts"),
			relation("returnee", true, returnees))
		accounts.AddIndex("idx_returnee_accounts_returnee", true, "returnee", "")
		accounts.ListRule = types.Pointer(`id = @request.auth.id`)
		accounts.ViewRule = accounts.ListRule
		accounts.UpdateRule = accounts.ListRule

		ofReturnee := func(name string) *core.RelationField {
			return &core.RelationField{Name: name, Required: true, MaxSelect: 1,
				CollectionId: returnees.Id, CascadeDelete: true}
		}

		consents := synced(core.NewBaseCollection("consents", "pbc_consents"),
			ofReturnee("returnee"),
			choice("purpose", true, catalog.ConsentPurposes.Codes()...),
			&core.BoolField{Name: "granted"},
			text("notice_version", true, 20),
			choice("method", true, catalog.ConsentMethods.Codes()...),
			relation("collected_by", false, staff),
			&core.DateField{Name: "withdrawn_at"},
		)
		consents.AddIndex("idx_consents_returnee", false, "returnee, purpose", "")
		readWrite(consents,
			or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), ownReturnee),
			isFieldWorker,
			or(fieldWorkerScope("returnee."), ownReturnee),
		)

		referrals := synced(core.NewBaseCollection("referrals", "pbc_referrals"),
			ofReturnee("returnee"),
			relation("nodess", true, nodess),
			choice("service", true, catalog.ReferralServices.Codes()...),
			choice("status", false, catalog.ReferralStatuses.Codes()...),
			text("notes", false, 2000),
			relation("referred_by", false, staff),
		)
		referrals.AddIndex("idx_referrals_returnee", false, "returnee", "")
		referrals.AddIndex("idx_referrals_nodess", false, "nodess, status", "")
		nodessInbox := ownNode("") + ` && returnee.nodess_consent = true`
		readWrite(referrals,
			or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), nodessInbox, ownReturnee),
			isFieldWorker,
			or(fieldWorkerScope("returnee."), nodessInbox),
		)

		notes := synced(core.NewBaseCollection("case_notes", "pbc_case_notes"),
			ofReturnee("returnee"),
			relation("author", false, staff),
			text("text", true, 5000),
		)
		notes.AddIndex("idx_case_notes_returnee", false, "returnee", "")
		readWrite(notes,
			or(fieldWorkerScope("returnee."), coordinatorScope("returnee.")),
			isFieldWorker,
			fieldWorkerScope("returnee.")+` && author = @request.auth.id`,
		)
		return saveAll(app, staff, returnees, accounts, consents, referrals, notes)
	}, func(app core.App) error {
		return deleteCollections(app, "case_notes", "referrals", "consents", "returnee_accounts", "returnees", "staff")
	})
}
