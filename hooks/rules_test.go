package hooks_test

// The rule matrix: every role against every collection and operation, through
// the REST API. The expectations follow the roles of issue 2 (section 5):
//
//   - field worker: returnees and their consents, referrals and case notes of
//     their own reception point only; creates only there; never deletes people.
//   - NODESS staff: manage the courses, savings groups, members and ledger
//     entries of their node; read-only view of returnees with a granted, not
//     withdrawn share_nodess consent going to one of their node's states or
//     referred to their node.
//   - coordinator: read everything whose reception point or destination is in
//     their state; no writes to people.
//   - returnee account: its own person (contact, destination and skills
//     editable), its own consents (may withdraw), enrollments, memberships and
//     ledger entries; nothing of other people.
//   - everyone: the catalogue (states, reception points, NODESS, non-draft
//     courses, savings groups).
//   - superusers: everything; ledger entries and the audit log stay immutable.
//
// The fixtures (internal/testapp): ReturneeA1 (Tijuana, going to Guerrero,
// share_nodess consent, referred to N1), ReturneeA2 (Tijuana, Guerrero, no
// consent), ReturneeB1 (Matamoros, Oaxaca, consent). N1 covers Guerrero and
// México, N2 Oaxaca and Chiapas: so NodessStaff1 sees A1 only and
// NodessStaff2 sees B1 only. The coordinator is of Baja California (Tijuana).

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// Short names of the fixture ids, for the tables.
const (
	rA1 = testapp.ReturneeA1
	rA2 = testapp.ReturneeA2
	rB1 = testapp.ReturneeB1

	n1 = testapp.NodessN1
	n2 = testapp.NodessN2

	consentA1  = testapp.ConsentA1
	consentB1  = testapp.ConsentB1
	referralA1 = testapp.ReferralA1
	noteA1     = testapp.NoteA1
	returnA1   = testapp.ReturnA1
	returnB1   = testapp.ReturnB1
	followUpA1 = testapp.FollowUpA1

	course      = testapp.CourseN1
	courseDraft = testapp.CourseN1Draft
	group       = testapp.GroupN1
	enrollment  = testapp.EnrollmentA1
	member      = testapp.MemberA1
	entry       = testapp.EntryA1

	outcomeA1  = testapp.OutcomeA1
	coop       = testapp.CoopN1
	coopMember = testapp.CoopMemberA1

	docA1ID    = testapp.DocumentA1ID    // A1's voter ID: an identity document
	docA1Other = testapp.DocumentA1Other // A1's certificate of studies: shared with a NODESS
	docB1ID    = testapp.DocumentB1ID    // B1's birth certificate: an identity document
)

// matrix is the expected outcome of every role for each op on a collection:
// rows[role][i] answers ops[i].
type matrix struct {
	collection string
	ops        []op
	rows       map[role][]outcome
}

// Records the delete ops remove that the fixtures do not have (a fixture
// group or member cannot be deleted: ledger entries refer to them).
const (
	emptyGroup  = "groupn1empty001"
	extraMember = "membera2extra01"
)

func addEmptyGroup(e *env) func(t testing.TB, app core.App) {
	return func(t testing.TB, app core.App) {
		testapp.Save(t, app, "savings_groups", map[string]any{"id": emptyGroup, "name": "Grupo sin integrantes", "nodess": n1,
			"state": e.state["GR"], "methodology": "silc", "share_value_cents": 2000, "min_shares": 1, "max_shares": 5,
			"cycle_start": "2026-10-01", "cycle_end": "2027-09-30"})
	}
}

func addExtraMember(t testing.TB, app core.App) {
	testapp.Save(t, app, "group_members", map[string]any{"id": extraMember, "group": group, "returnee": rA2, "status": "requested"})
}

// publicCatalogue is the matrix of a reference collection: everyone reads,
// superusers write.
func publicCatalogue(collection, viewID, createID, createBody, updateID, updateBody, deleteID string) matrix {
	reader := []outcome{seesAll, allowed, forbidden, forbidden, forbidden}
	return matrix{
		collection: collection,
		ops: []op{
			list(collection),
			view(collection, viewID),
			create(collection, createID, createBody),
			update(collection, updateID, updateBody),
			del(collection, deleteID),
		},
		rows: map[role][]outcome{
			guest: reader, fieldWorkerA: reader, fieldWorkerB: reader,
			nodessStaff1: reader, nodessStaff2: reader, coordinator: reader,
			accountA1: reader, accountB1: reader,
			superuser: {seesAll, allowed, allowed, allowed, allowed},
		},
	}
}

func ruleMatrix(e *env) []matrix {
	tijuana, guerrero := e.point["Tijuana"], e.state["GR"]
	outside := func(field string) outcome { return fieldError(field, "outside_scope") }
	// a link to a record the writer cannot see reads as a missing record
	unseen := func(field string) outcome { return fieldError(field, "validation_missing_rel_records") }

	return []matrix{
		publicCatalogue("states", guerrero,
			"statenew0000001", j(map[string]any{"id": "statenew0000001", "inegi_code": "33", "curp_code": "NX", "name": "Entidad de prueba"}),
			e.state["ZS"], `{"name":"Zacatecas (ZS)"}`,
			e.state["ZS"]), // no reception point, NODESS or person refers to Zacatecas

		publicCatalogue("reception_points", tijuana,
			"pointnew0000001", j(map[string]any{"id": "pointnew0000001", "name": "Tecate", "city": "Tecate", "state": e.state["BC"], "active": true}),
			tijuana, `{"notes":"Garita El Chaparral"}`,
			e.point["Sásabe"]), // unused by the fixtures

		publicCatalogue("nodess", n1,
			"nodessnew000001", j(map[string]any{"id": "nodessnew000001", "name": "NODESS Norte Uno", "region": "norte", "states": []string{e.state["TS"]}}),
			n1, `{"institution":"Universidad Autónoma de Guerrero"}`,
			n2), // only NodessStaff2 refers to N2, and not as a required relation

		{
			collection: "staff",
			ops: []op{
				list("staff"),
				view("staff", testapp.FieldWorkerA),
				create("staff", "staffnew0000001", j(map[string]any{"id": "staffnew0000001", "email": "nuevo@retorno.test",
					"password": testapp.Password, "passwordConfirm": testapp.Password, "name": "Nuevo", "role": "field_worker", "reception_point": tijuana})),
				update("staff", testapp.FieldWorkerA, `{"name":"Ana Tijuana R."}`),
				del("staff", testapp.FieldWorkerB),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete; a
				// coordinator may switch the account of field worker A
				// (Baja California) on or off and nothing else (package
				// accounts), so the update rule hides the record from the others
				guest:        {none, hidden, forbidden, hidden, forbidden},
				fieldWorkerA: {sees(testapp.FieldWorkerA), allowed, forbidden, hidden, forbidden},
				fieldWorkerB: {sees(testapp.FieldWorkerB), hidden, forbidden, hidden, forbidden},
				nodessStaff1: {sees(testapp.NodessStaff1), hidden, forbidden, hidden, forbidden},
				nodessStaff2: {sees(testapp.NodessStaff2), hidden, forbidden, hidden, forbidden},
				coordinator:  {sees(testapp.CoordBC, testapp.FieldWorkerA), allowed, forbidden, fieldError("name", "not_editable"), forbidden}, // field worker A works in BC
				accountA1:    {none, hidden, forbidden, hidden, forbidden},
				accountB1:    {none, hidden, forbidden, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "returnees",
			ops: []op{
				list("returnees"),
				view("returnees", rA1),
				create("returnees", "returneenew0001", j(map[string]any{"id": "returneenew0001", "given_names": "Pedro", "first_surname": "Ramírez",
					"birth_date": "1992-03-13", "sex": "H", "destination_state": guerrero, "reception_point": tijuana})),
				update("returnees", rA1, `{"phone":"+527449999999"}`),
				del("returnees", rA2),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(rA1, rA2), allowed, allowed, allowed, forbidden},
				fieldWorkerB: {sees(rB1), hidden, outside("reception_point"), hidden, forbidden},
				nodessStaff1: {sees(rA1), allowed, refused, hidden, forbidden}, // A2: no consent; B1: going to Oaxaca
				nodessStaff2: {sees(rB1), hidden, refused, hidden, forbidden},  // B1: consent, going to Oaxaca (N2)
				coordinator:  {sees(rA1, rA2), allowed, refused, hidden, forbidden},
				accountA1:    {sees(rA1), allowed, refused, allowed, forbidden},
				accountB1:    {sees(rB1), hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			// Accounts are created by the claim flow (later). Nobody but the
			// account itself reads one. (Open question: the issue lets a
			// coordinator read "everything" of their state; an account is a
			// login rather than data about the person, so it stays hidden.)
			collection: "returnee_accounts",
			ops: []op{
				list("returnee_accounts"),
				view("returnee_accounts", testapp.AccountA1),
				create("returnee_accounts", "accounta2000001", j(map[string]any{"id": "accounta2000001", "email": "juan@retorno.test",
					"password": testapp.Password, "passwordConfirm": testapp.Password, "returnee": rA2})),
				update("returnee_accounts", testapp.AccountA1, `{"emailVisibility":true}`),
				del("returnee_accounts", testapp.AccountB1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, forbidden, hidden, forbidden},
				fieldWorkerA: {none, hidden, forbidden, hidden, forbidden},
				fieldWorkerB: {none, hidden, forbidden, hidden, forbidden},
				nodessStaff1: {none, hidden, forbidden, hidden, forbidden},
				nodessStaff2: {none, hidden, forbidden, hidden, forbidden},
				coordinator:  {none, hidden, forbidden, hidden, forbidden},
				accountA1:    {sees(testapp.AccountA1), allowed, forbidden, allowed, forbidden},
				accountB1:    {sees(testapp.AccountB1), hidden, forbidden, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "consents",
			ops: []op{
				list("consents"),
				view("consents", consentA1),
				create("consents", "consentnew00001", j(map[string]any{"id": "consentnew00001", "returnee": rA2, "purpose": "share_nodess",
					"granted": true, "notice_version": "2026-01", "method": "written"})),
				update("consents", consentA1, `{"withdrawn_at":"2026-03-01 10:00:00.000Z"}`), // a withdrawal
				del("consents", consentA1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(consentA1), allowed, allowed, allowed, forbidden},
				fieldWorkerB: {sees(consentB1), hidden, unseen("returnee"), hidden, forbidden},
				nodessStaff1: {none, hidden, refused, hidden, forbidden},
				nodessStaff2: {none, hidden, refused, hidden, forbidden},
				coordinator:  {sees(consentA1), allowed, refused, hidden, forbidden},
				accountA1:    {sees(consentA1), allowed, refused, allowed, forbidden},
				accountB1:    {sees(consentB1), hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "referrals",
			ops: []op{
				list("referrals"),
				view("referrals", referralA1),
				create("referrals", "referralnew0001", j(map[string]any{"id": "referralnew0001", "returnee": rA1, "nodess": n2, "service": "employment"})),
				update("referrals", referralA1, `{"status":"accepted"}`),
				del("referrals", referralA1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(referralA1), allowed, allowed, allowed, forbidden},
				fieldWorkerB: {none, hidden, unseen("returnee"), hidden, forbidden},
				nodessStaff1: {sees(referralA1), allowed, refused, allowed, forbidden}, // its inbox: may move the status
				nodessStaff2: {none, hidden, refused, hidden, forbidden},
				coordinator:  {sees(referralA1), allowed, refused, hidden, forbidden},
				accountA1:    {sees(referralA1), allowed, refused, hidden, forbidden}, // about themselves, read-only
				accountB1:    {none, hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "case_notes",
			ops: []op{
				list("case_notes"),
				view("case_notes", noteA1),
				create("case_notes", "casenotenew0001", j(map[string]any{"id": "casenotenew0001", "returnee": rA1, "text": "Llamó para preguntar por cursos."})),
				update("case_notes", noteA1, `{"text":"Busca trabajo en el campo o en cocina."}`),
				del("case_notes", noteA1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(noteA1), allowed, allowed, allowed, forbidden},
				fieldWorkerB: {none, hidden, unseen("returnee"), hidden, forbidden},
				nodessStaff1: {none, hidden, refused, hidden, forbidden},
				nodessStaff2: {none, hidden, refused, hidden, forbidden},
				coordinator:  {sees(noteA1), allowed, refused, hidden, forbidden},
				accountA1:    {none, hidden, refused, hidden, forbidden},
				accountB1:    {none, hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "returns",
			ops: []op{
				list("returns"),
				view("returns", returnA1),
				create("returns", "returnnew000001", j(map[string]any{"id": "returnnew000001", "returnee": rA1,
					"reception_point": e.point["Tijuana"], "repatriation_date": "2026-11-30", "services": []string{"food"}})),
				update("returns", returnA1, `{"notes":"Llegó sin documentos."}`),
				del("returns", returnA1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(returnA1, testapp.ReturnA2), allowed, allowed, allowed, forbidden},
				fieldWorkerB: {sees(returnB1), hidden, unseen("returnee"), hidden, forbidden},
				nodessStaff1: {none, hidden, refused, hidden, forbidden},
				nodessStaff2: {none, hidden, refused, hidden, forbidden},
				coordinator:  {sees(returnA1, testapp.ReturnA2), allowed, refused, hidden, forbidden},
				accountA1:    {sees(returnA1), allowed, refused, hidden, forbidden},
				accountB1:    {sees(returnB1), hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "training_courses",
			ops: []op{
				list("training_courses"),
				view("training_courses", course),
				view("training_courses", courseDraft).named("view draft"),
				create("training_courses", "coursen1new0001", j(map[string]any{"id": "coursen1new0001", "title": "Carpintería", "nodess": n1,
					"theme": "capabilities_innovation", "state": guerrero, "modality": "in_person", "starts_on": "2027-04-01", "capacity": 10})),
				update("training_courses", course, `{"capacity":25}`),
				del("training_courses", courseDraft),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, view draft, create, update, delete
				guest:        {sees(course), allowed, hidden, refused, hidden, hidden},
				fieldWorkerA: {sees(course), allowed, hidden, refused, hidden, hidden},
				fieldWorkerB: {sees(course), allowed, hidden, refused, hidden, hidden},
				nodessStaff1: {sees(course, courseDraft), allowed, allowed, allowed, allowed, allowed},
				nodessStaff2: {sees(course), allowed, hidden, outside("nodess"), hidden, hidden},
				coordinator:  {sees(course), allowed, hidden, refused, hidden, hidden}, // the draft is in Guerrero, not BC
				accountA1:    {sees(course), allowed, hidden, refused, hidden, hidden},
				accountB1:    {sees(course), allowed, hidden, refused, hidden, hidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "enrollments",
			ops: []op{
				list("enrollments"),
				view("enrollments", enrollment),
				create("enrollments", "enrollnewa20001", j(map[string]any{"id": "enrollnewa20001", "course": course, "returnee": rA2})),
				update("enrollments", enrollment, `{"status":"dropped"}`),
				del("enrollments", enrollment),
				create("enrollments", "enrollnewb10001", j(map[string]any{"id": "enrollnewb10001", "course": course, "returnee": rB1, "status": "requested"})).named("request for B1"),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create A2, update, delete, request for B1
				guest:        {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerA: {sees(enrollment), allowed, refused, hidden, forbidden, refused}, // A1 is of their point (a read the issue does not list; open question)
				fieldWorkerB: {none, hidden, refused, hidden, forbidden, refused},
				nodessStaff1: {sees(enrollment), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")}, // A2 and B1 never shared their data with N1
				nodessStaff2: {none, hidden, outside("course"), hidden, forbidden, outside("course")},
				coordinator:  {sees(enrollment), allowed, refused, hidden, forbidden, refused}, // A1 was received in BC
				accountA1:    {sees(enrollment), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")},
				accountB1:    {none, hidden, unseen("returnee"), hidden, forbidden, allowed},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "savings_groups",
			ops: []op{
				list("savings_groups"),
				view("savings_groups", group),
				create("savings_groups", "groupn1new00001", j(map[string]any{"id": "groupn1new00001", "name": "Caja Solidaria Iguala", "nodess": n1,
					"state": guerrero, "methodology": "caja", "share_value_cents": 10000, "min_shares": 1, "max_shares": 5,
					"cycle_start": "2026-11-01", "cycle_end": "2027-10-31"})),
				update("savings_groups", group, `{"meeting_place":"Casa ejidal"}`),
				del("savings_groups", emptyGroup).withSetup(addEmptyGroup(e)),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {sees(group), allowed, refused, hidden, hidden},
				fieldWorkerA: {sees(group), allowed, refused, hidden, hidden},
				fieldWorkerB: {sees(group), allowed, refused, hidden, hidden},
				nodessStaff1: {sees(group), allowed, allowed, allowed, allowed},
				nodessStaff2: {sees(group), allowed, outside("nodess"), hidden, hidden},
				coordinator:  {sees(group), allowed, refused, hidden, hidden},
				accountA1:    {sees(group), allowed, refused, hidden, hidden},
				accountB1:    {sees(group), allowed, refused, hidden, hidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "group_members",
			ops: []op{
				list("group_members"),
				view("group_members", member),
				create("group_members", "membernewa20001", j(map[string]any{"id": "membernewa20001", "group": group, "returnee": rA2})),
				update("group_members", member, `{"status":"left"}`),
				del("group_members", extraMember).withSetup(addExtraMember),
				create("group_members", "membernewb10001", j(map[string]any{"id": "membernewb10001", "group": group, "returnee": rB1, "status": "requested"})).named("request for B1"),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create A2, update, delete, request for B1
				guest:        {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerA: {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerB: {none, hidden, refused, hidden, forbidden, refused},
				nodessStaff1: {sees(member), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")}, // A2 and B1 never shared their data with N1
				nodessStaff2: {none, hidden, outside("group"), hidden, forbidden, outside("group")},
				coordinator:  {sees(member), allowed, refused, hidden, forbidden, refused}, // A1 was received in BC
				accountA1:    {sees(member), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")},
				accountB1:    {none, hidden, unseen("returnee"), hidden, forbidden, allowed},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "ledger_entries",
			ops: []op{
				list("ledger_entries"),
				view("ledger_entries", entry),
				create("ledger_entries", "entryn1new00001", j(map[string]any{"id": "entryn1new00001", "group": group, "member": member,
					"type": "share_purchase", "shares": 1, "amount_cents": 5000, "meeting_date": "2026-09-29"})),
				update("ledger_entries", entry, `{"note":"corrección"}`),
				del("ledger_entries", entry),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, forbidden, forbidden},
				fieldWorkerA: {none, hidden, refused, forbidden, forbidden},
				fieldWorkerB: {none, hidden, refused, forbidden, forbidden},
				nodessStaff1: {sees(entry), allowed, allowed, forbidden, forbidden},
				nodessStaff2: {none, hidden, outside("group"), forbidden, forbidden},
				coordinator:  {sees(entry), allowed, refused, forbidden, forbidden}, // A1 was received in BC
				accountA1:    {sees(entry), allowed, refused, forbidden, forbidden},
				accountB1:    {none, hidden, refused, forbidden, forbidden},
				superuser:    {seesAll, allowed, allowed, immutable, immutable},
			},
		},

		{
			// A NODESS's follow-ups of a person: the node reads and writes
			// its own while the person's share_nodess consent holds; the
			// person's field workers and coordinator read them; returnees
			// do not. Only superusers delete (a follow-up is cancelled).
			collection: "follow_ups",
			ops: []op{
				list("follow_ups"),
				view("follow_ups", followUpA1),
				create("follow_ups", "followupnew0001", j(map[string]any{"id": "followupnew0001", "returnee": rA1, "nodess": n1,
					"due_on": "2027-02-01", "kind": "visit"})),
				update("follow_ups", followUpA1, `{"status":"done","notes":"Ya trabaja en una cooperativa."}`),
				del("follow_ups", followUpA1),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete
				guest:        {none, hidden, refused, hidden, forbidden},
				fieldWorkerA: {sees(followUpA1), allowed, refused, hidden, forbidden},
				fieldWorkerB: {none, hidden, refused, hidden, forbidden},
				nodessStaff1: {sees(followUpA1), allowed, allowed, allowed, forbidden},
				nodessStaff2: {none, hidden, outside("nodess"), hidden, forbidden},
				coordinator:  {sees(followUpA1), allowed, refused, hidden, forbidden},
				accountA1:    {none, hidden, refused, hidden, forbidden},
				accountB1:    {none, hidden, refused, hidden, forbidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "outcomes",
			ops: []op{
				list("outcomes"),
				view("outcomes", outcomeA1),
				create("outcomes", "outcomenewa1001", j(map[string]any{"id": "outcomenewa1001", "returnee": rA1, "recorded_on": "2026-12-01",
					"employment": "cooperative", "in_cooperative": true, "still_at_destination": true})),
				update("outcomes", outcomeA1, `{"income_band":"10000_14999"}`),
				del("outcomes", outcomeA1),
				create("outcomes", "outcomenewa2001", j(map[string]any{"id": "outcomenewa2001", "returnee": rA2, "recorded_on": "2026-12-01",
					"employment": "unemployed"})).named("create for A2"),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create for A1, update, delete, create for A2
				guest:        {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerA: {sees(outcomeA1), allowed, refused, hidden, forbidden, refused}, // reads, never records
				fieldWorkerB: {none, hidden, refused, hidden, forbidden, refused},
				nodessStaff1: {sees(outcomeA1), allowed, allowed, allowed, forbidden, unseen("returnee")}, // A2 never shared their data
				nodessStaff2: {none, hidden, unseen("returnee"), hidden, forbidden, unseen("returnee")},
				coordinator:  {sees(outcomeA1), allowed, refused, hidden, forbidden, refused},
				accountA1:    {sees(outcomeA1), allowed, allowed, hidden, forbidden, unseen("returnee")}, // N1 recorded it: A1 records their own
				accountB1:    {none, hidden, unseen("returnee"), hidden, forbidden, unseen("returnee")},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "cooperatives",
			ops: []op{
				list("cooperatives"),
				view("cooperatives", coop),
				create("cooperatives", "coopn1new000001", j(map[string]any{"id": "coopn1new000001", "name": "Textiles del Sur", "kind": "social_group",
					"state": guerrero, "theme": "art_culture", "nodess": n1})),
				update("cooperatives", coop, `{"products":"mezcal, miel y café"}`),
				del("cooperatives", coop),
				create("cooperatives", "coopproposal001", j(map[string]any{"id": "coopproposal001", "name": "Panadería Retorno",
					"state": guerrero, "theme": "capabilities_innovation", "products": "pan"})).named("propose"),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create, update, delete, propose
				guest:        {seesAll, allowed, refused, hidden, forbidden, refused},
				fieldWorkerA: {seesAll, allowed, refused, hidden, forbidden, refused},
				fieldWorkerB: {seesAll, allowed, refused, hidden, forbidden, refused},
				nodessStaff1: {seesAll, allowed, allowed, allowed, forbidden, allowed}, // N1 covers Guerrero
				nodessStaff2: {seesAll, allowed, refused, hidden, forbidden, refused},  // N2 does not
				coordinator:  {seesAll, allowed, refused, hidden, forbidden, refused},
				accountA1:    {seesAll, allowed, fieldError("nodess", "not_editable"), hidden, forbidden, allowed}, // a returnee proposes an idea
				accountB1:    {seesAll, allowed, fieldError("nodess", "not_editable"), hidden, forbidden, allowed},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			collection: "cooperative_members",
			ops: []op{
				list("cooperative_members"),
				view("cooperative_members", coopMember),
				create("cooperative_members", "coopmembernewa2", j(map[string]any{"id": "coopmembernewa2", "cooperative": coop, "returnee": rA2})),
				update("cooperative_members", coopMember, `{"status":"left"}`),
				del("cooperative_members", coopMember),
				create("cooperative_members", "coopmembernewb1", j(map[string]any{"id": "coopmembernewb1", "cooperative": coop, "returnee": rB1, "status": "requested"})).named("request for B1"),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view, create A2, update, delete, request for B1
				guest:        {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerA: {none, hidden, refused, hidden, forbidden, refused},
				fieldWorkerB: {none, hidden, refused, hidden, forbidden, refused},
				nodessStaff1: {sees(coopMember), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")}, // A2 and B1 never shared their data with N1
				nodessStaff2: {none, hidden, outside("cooperative"), hidden, forbidden, outside("cooperative")},       // Guerrero is not N2's
				coordinator:  {sees(coopMember), allowed, refused, hidden, forbidden, refused},                        // A1 was received in BC
				accountA1:    {sees(coopMember), allowed, unseen("returnee"), allowed, forbidden, unseen("returnee")},
				accountB1:    {none, hidden, unseen("returnee"), hidden, forbidden, allowed},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			// A person's documents: read like the person, except that a NODESS
			// reads only the shared kinds (never an identity document, even of
			// a person who shares their data with it: N2 reaches B1 and reads
			// none of B1's). Field workers file them (the file travels with the
			// create), correct the kind, and delete those they took.
			collection: "documents",
			ops: []op{
				list("documents"),
				view("documents", docA1ID).named("view identity"),
				view("documents", docA1Other).named("view shared"),
				createWithFile("documents", "documentnewa101", map[string]string{"returnee": rA1, "kind": "constancia_repatriacion"},
					"file", "constancia.jpg", testapp.JPEG(32, 32)),
				update("documents", docA1ID, `{"kind":"curp"}`),
				del("documents", docA1Other),
			},
			rows: map[role][]outcome{
				// outcomes of: list, view identity, view shared, create, update, delete
				guest:        {none, hidden, hidden, refused, hidden, hidden},
				fieldWorkerA: {sees(docA1ID, docA1Other), allowed, allowed, allowed, allowed, allowed},
				fieldWorkerB: {sees(docB1ID), hidden, hidden, unseen("returnee"), hidden, hidden},
				nodessStaff1: {sees(docA1Other), hidden, allowed, refused, hidden, hidden}, // A1 shares their data with N1
				nodessStaff2: {none, hidden, hidden, refused, hidden, hidden},              // B1's only document is an identity document
				coordinator:  {sees(docA1ID, docA1Other), allowed, allowed, refused, hidden, hidden},
				accountA1:    {sees(docA1ID, docA1Other), allowed, allowed, refused, hidden, hidden},
				accountB1:    {sees(docB1ID), hidden, hidden, refused, hidden, hidden},
				superuser:    {seesAll, allowed, allowed, allowed, allowed, allowed},
			},
		},

		{
			// Superusers read the audit log; nobody writes, changes or deletes it
			// through the API: the server's hooks append to it.
			collection: "audit_log",
			ops: []op{
				list("audit_log"),
				view("audit_log", e.auditID),
				create("audit_log", "auditnew0000001", j(map[string]any{"id": "auditnew0000001", "action": "update", "collection_name": "returnees", "record_id": rA1})),
				update("audit_log", e.auditID, `{"action":"delete"}`),
				del("audit_log", e.auditID),
			},
			rows: map[role][]outcome{
				guest:        {forbidden, forbidden, forbidden, forbidden, forbidden},
				fieldWorkerA: {forbidden, forbidden, forbidden, forbidden, forbidden},
				fieldWorkerB: {forbidden, forbidden, forbidden, forbidden, forbidden},
				nodessStaff1: {forbidden, forbidden, forbidden, forbidden, forbidden},
				nodessStaff2: {forbidden, forbidden, forbidden, forbidden, forbidden},
				coordinator:  {forbidden, forbidden, forbidden, forbidden, forbidden},
				accountA1:    {forbidden, forbidden, forbidden, forbidden, forbidden},
				accountB1:    {forbidden, forbidden, forbidden, forbidden, forbidden},
				superuser:    {seesAll, allowed, forbiddenBecause("The audit log is written by the server only."), badRequest("The audit log is append-only"), badRequest("The audit log is append-only")},
			},
		},
	}
}

// immutable is the answer to any change of a ledger entry.
var immutable = badRequest("Ledger entries are immutable")

func TestRuleMatrix(t *testing.T) {
	e := getEnv(t)
	matrices := ruleMatrix(e)

	covered := map[string]bool{}
	for _, m := range matrices {
		covered[m.collection] = true
	}
	for _, name := range userCollections {
		if !covered[name] {
			t.Errorf("collection %s has no rule matrix", name)
		}
	}

	for _, m := range matrices {
		t.Run(m.collection, func(t *testing.T) {
			t.Parallel()
			for _, who := range allRoles {
				row, ok := m.rows[who]
				if !ok || len(row) != len(m.ops) {
					t.Errorf("%s: row of %s has %d outcomes for %d ops", m.collection, who, len(row), len(m.ops))
					continue
				}
				t.Run(string(who), func(t *testing.T) {
					for i, o := range m.ops {
						call{who: who, op: o, want: row[i]}.run(t, e)
					}
				})
			}
		})
	}
}

// TestTokensValidAcrossClones checks the premise of the shared tokens: a
// token made in one template clone authenticates in another.
func TestTokensValidAcrossClones(t *testing.T) {
	e := getEnv(t)
	for _, who := range allRoles[1:] {
		rec := authRecordOf[who]
		s := tests.ApiScenario{
			Name:           string(who),
			Method:         http.MethodPost,
			URL:            "/api/collections/" + rec[0] + "/auth-refresh",
			Headers:        map[string]string{"Authorization": e.token[who]},
			TestAppFactory: factory,
			ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{
				`"token":"`,
				`"id":"` + rec[1] + `"`,
			},
		}
		s.Test(t)
	}
}
