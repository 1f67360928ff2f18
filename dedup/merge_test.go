package dedup_test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/dedup"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// dupA1 is fixture A1 registered a second time at Tijuana.
const dupA1 = "dupa1merge00001"

// withDupA1 is a template clone where dupA1 exists, with a CURP, a
// registration consent, and a case note.
func withDupA1(t testing.TB) *tests.TestApp {
	app := newApp(t)
	fields := person(app, dupA1, "Ma. José", "Pérez", "López", "1990-05-17")
	fields["curp"] = validCURP(t, "PELJ900517MGRRPS")
	fields["languages"] = []string{"es", "en"}
	fields["needs"] = []string{"documents"}
	fields["years_in_us"] = 12
	fields["repatriation_date"] = "2026-11-20"
	fields["phone"] = "+526640000000"
	testapp.Save(t, app, "returnees", fields)
	testapp.Save(t, app, "consents", map[string]any{"id": "consentdupf0001", "returnee": dupA1, "purpose": "registration",
		"granted": true, "notice_version": "2026-01", "method": "verbal", "collected_by": testapp.FieldWorkerA})
	testapp.Save(t, app, "case_notes", map[string]any{"id": "casenotedupf001", "returnee": dupA1, "author": testapp.FieldWorkerA, "text": "Segundo registro."})
	return app
}

// A field worker merges the second registration of A1 into A1: every record
// of it moves, duplicates of A1's own records are settled, empty fields are
// filled, the pairs are settled, the audit log records it, devices get a
// tombstone.
func TestMerge_MovesEverything(t *testing.T) {
	app := withDupA1(t)
	gr := testapp.ID(app, "states", "curp_code", "GR")
	// a referral needs share_nodess consent
	testapp.Save(t, app, "consents", map[string]any{"id": "consentdupf0002", "returnee": dupA1, "purpose": "share_nodess",
		"granted": true, "notice_version": "2026-01", "method": "verbal"})
	testapp.Save(t, app, "referrals", map[string]any{"id": "referraldupf001", "returnee": dupA1, "nodess": testapp.NodessN2, "service": "legal"})
	// an enrollment in A1's course (A1 is enrolled), one in another course
	testapp.Save(t, app, "enrollments", map[string]any{"id": "enrolldupf00001", "course": testapp.CourseN1, "returnee": dupA1, "status": "requested"})
	testapp.Save(t, app, "training_courses", map[string]any{"id": "coursedupc20001", "title": "Contabilidad básica", "nodess": testapp.NodessN1,
		"theme": "solidarity_finance", "state": gr, "modality": "online", "starts_on": "2027-02-01", "capacity": 30, "status": "open"})
	testapp.Save(t, app, "enrollments", map[string]any{"id": "enrolldupf00002", "course": "coursedupc20001", "returnee": dupA1, "status": "requested"})
	// a membership of A1's group without entries, and one of another group with an entry
	testapp.Save(t, app, "group_members", map[string]any{"id": "memberdupf00001", "group": testapp.GroupN1, "returnee": dupA1, "role": "treasurer", "status": "requested"})
	testapp.Save(t, app, "savings_groups", map[string]any{"id": "groupdupg200001", "name": "Ahorro Tixtla", "nodess": testapp.NodessN1, "state": gr,
		"methodology": "vsla", "share_value_cents": 2000, "min_shares": 1, "max_shares": 5, "cycle_start": "2026-09-01", "cycle_end": "2027-06-30",
		"status": "active", "accepting_members": true})
	testapp.Save(t, app, "group_members", map[string]any{"id": "memberdupf00002", "group": "groupdupg200001", "returnee": dupA1, "status": "active", "joined_on": "2026-09-01"})
	testapp.Save(t, app, "ledger_entries", map[string]any{"id": "entrydupf000001", "group": "groupdupg200001", "member": "memberdupf00002",
		"type": "share_purchase", "shares": 1, "amount_cents": 2000, "meeting_date": "2026-10-01"})
	// a third look-alike, paired with both; its pair with the duplicate was dismissed
	testapp.Save(t, app, "returnees", person(app, "lookalikex00001", "María José", "Pérez", "", "1990-05-17"))
	xf, err := pairOfTest(app, "lookalikex00001", dupA1)
	if err != nil {
		t.Fatal(err)
	}
	xf.Set("status", dedup.StatusDismissed)
	if err := app.Save(xf); err != nil {
		t.Fatal(err)
	}
	enrolledBefore := statusOf(t, app, "enrollments", testapp.EnrollmentA1)
	srv := testapp.Serve(t, app)

	var res struct {
		Record  map[string]any
		From    string
		Moved   map[string]int
		Removed map[string]int
		Filled  []string
	}
	status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/returnees/"+testapp.ReturneeA1+"/merge", map[string]string{"from": dupA1}, &res)
	if status != http.StatusOK {
		t.Fatalf("merge: %d %+v", status, res)
	}
	wantMoved := map[string]int{"consents": 2, "referrals": 1, "case_notes": 1, "enrollments": 1, "group_members": 1}
	wantRemoved := map[string]int{"enrollments": 1, "group_members": 1}
	// (the repatriation date is the kept person's latest return's)
	wantFilled := []string{"curp", "languages", "needs", "years_in_us"}
	if res.From != dupA1 || res.Record["id"] != testapp.ReturneeA1 || !maps.Equal(res.Moved, wantMoved) ||
		!maps.Equal(res.Removed, wantRemoved) || !slices.Equal(res.Filled, wantFilled) {
		t.Errorf("answer: from %s, id %v, moved %v (want %v), removed %v (want %v), filled %v (want %v)",
			res.From, res.Record["id"], res.Moved, wantMoved, res.Removed, wantRemoved, res.Filled, wantFilled)
	}

	if _, err := app.FindRecordById("returnees", dupA1); err == nil {
		t.Error("the merged record still exists")
	}
	a1, _ := app.FindRecordById("returnees", testapp.ReturneeA1)
	if a1.GetString("curp") != validCURP(t, "PELJ900517MGRRPS") || a1.GetString("phone") != "+527441234567" ||
		!slices.Equal(a1.GetStringSlice("languages"), []string{"en", "es"}) || a1.GetInt("years_in_us") != 12 ||
		!slices.Contains(a1.GetStringSlice("referred_nodess"), testapp.NodessN2) || !a1.GetBool("nodess_consent") {
		t.Errorf("kept record: %v", a1.PublicExport())
	}
	for collection, ids := range map[string][]string{
		"consents":      {"consentdupf0001", "consentdupf0002", testapp.ConsentA1},
		"referrals":     {"referraldupf001", testapp.ReferralA1},
		"case_notes":    {"casenotedupf001", testapp.NoteA1},
		"enrollments":   {"enrolldupf00002", testapp.EnrollmentA1},
		"group_members": {"memberdupf00002", testapp.MemberA1},
	} {
		for _, id := range ids {
			if r, err := app.FindRecordById(collection, id); err != nil || r.GetString("returnee") != testapp.ReturneeA1 {
				t.Errorf("%s/%s does not belong to A1: %v", collection, id, err)
			}
		}
	}
	for collection, id := range map[string]string{"enrollments": "enrolldupf00001", "group_members": "memberdupf00001"} {
		if _, err := app.FindRecordById(collection, id); err == nil {
			t.Errorf("%s/%s, the duplicate of A1's own, was kept", collection, id)
		}
	}
	if got := statusOf(t, app, "enrollments", testapp.EnrollmentA1); got != enrolledBefore {
		t.Errorf("A1's enrollment: %s, want %s", got, enrolledBefore)
	}
	if m, _ := app.FindRecordById("group_members", testapp.MemberA1); m.GetString("role") != "treasurer" {
		t.Errorf("A1's membership role %q: the committee role of the duplicate membership was lost", m.GetString("role"))
	}
	if e, _ := app.FindRecordById("ledger_entries", "entrydupf000001"); e.GetString("member") != "memberdupf00002" || e.GetInt("rev") != 1 {
		t.Errorf("ledger entry changed: %v", e.PublicExport())
	}

	merged := pairs(t, app, dupA1)
	if len(merged) != 1 || merged[0].GetString("status") != dedup.StatusMerged || merged[0].GetString("returnee") != testapp.ReturneeA1 ||
		merged[0].GetString("candidate") != "" {
		t.Errorf("pairs of the merged record: %v", merged)
	}
	if xa, _ := pairOfTest(app, "lookalikex00001", testapp.ReturneeA1); xa == nil || xa.GetString("status") != dedup.StatusDismissed {
		t.Errorf("the dismissal of the look-alike's pair did not carry over: %v", xa)
	}

	audit, err := app.FindAllRecords("audit_log", dbx.HashExp{"action": "merge"})
	if err != nil || len(audit) != 2 {
		t.Fatalf("merge audit entries: %d %v", len(audit), err)
	}
	for _, a := range audit {
		var fields []string
		_ = a.UnmarshalJSONField("fields", &fields)
		if a.GetString("actor_id") != testapp.FieldWorkerA || len(fields) == 0 ||
			(a.GetString("record_id") == testapp.ReturneeA1) != strings.HasPrefix(fields[0], "merged_from:"+dupA1) {
			t.Errorf("audit entry: %v", a.PublicExport())
		}
	}
	var tombstones int
	_ = app.DB().Select("count(*)").From("_sync_log").
		Where(dbx.HashExp{"collection": "returnees", "record_id": dupA1, "op": "delete"}).Row(&tombstones)
	if tombstones != 1 {
		t.Errorf("tombstones of the merged record in the sync log: %d", tombstones)
	}
}

// Refusals say why, in Spanish, on a field, and change nothing.
func TestMerge_Refusals(t *testing.T) {
	merge := func(into, body string) (string, *strings.Reader) {
		return "/api/returnees/" + into + "/merge", strings.NewReader(body)
	}
	unchanged := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		for _, id := range []string{dupA1, testapp.ReturneeA1, testapp.ReturneeA2, testapp.ReturneeB1} {
			if _, err := app.FindRecordById("returnees", id); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
		if n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "merge"}); n != 0 {
			t.Errorf("%d merge audit entries", n)
		}
	}
	scenario := func(name, who, into, body string, status int, expected ...string) tests.ApiScenario {
		url, reader := merge(into, body)
		s := tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: reader,
			ExpectedStatus: status, ExpectedContent: expected, TestAppFactory: withDupA1, AfterTestFunc: unchanged}
		if who != "" {
			s.Headers = auth(t, who)
		}
		return s
	}
	scenarios := []tests.ApiScenario{
		scenario("guest", "", testapp.ReturneeA1, `{"from":"`+dupA1+`"}`, 401, `"data":{}`),
		scenario("returnee account", "account:"+testapp.AccountA1, testapp.ReturneeA1, `{"from":"`+dupA1+`"}`, 403, `"data":{}`),
		scenario("into itself", testapp.FieldWorkerA, testapp.ReturneeA1, `{"from":"`+testapp.ReturneeA1+`"}`, 400,
			`"from":{"code":"merge_self","message":"No se puede fusionar un registro consigo mismo."}`),
		scenario("no from", testapp.FieldWorkerA, testapp.ReturneeA1, `{}`, 400, `"from":{"code":"validation_required"`),
		scenario("from another point (invisible)", testapp.FieldWorkerA, testapp.ReturneeA1, `{"from":"`+testapp.ReturneeB1+`"}`, 404, `"data":{}`),
		scenario("into another point (invisible)", testapp.FieldWorkerA, testapp.ReturneeB1, `{"from":"`+dupA1+`"}`, 404, `"data":{}`),
		scenario("from a record that does not exist", testapp.FieldWorkerA, testapp.ReturneeA1, `{"from":"nosuchrecord001"}`, 404, `"data":{}`),
		scenario("other point's field worker", testapp.FieldWorkerB, testapp.ReturneeA1, `{"from":"`+dupA1+`"}`, 404, `"data":{}`),
		scenario("NODESS staff: sees A1, may not change her", testapp.NodessStaff1, testapp.ReturneeA1, `{"from":"`+dupA1+`"}`, 400,
			`"id":{"code":"not_editable"`),
		scenario("superuser, two people with accounts", "superuser", testapp.ReturneeA1, `{"from":"`+testapp.ReturneeB1+`"}`, 400,
			`"from":{"code":"accounts_conflict"`),
	}
	ledger := scenario("both have ledger entries in one group", testapp.FieldWorkerA, testapp.ReturneeA1, `{"from":"`+dupA1+`"}`, 400,
		`"from":{"code":"ledger_conflict"`)
	ledger.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := withDupA1(t)
		testapp.Save(t, app, "group_members", map[string]any{"id": "memberdupf00001", "group": testapp.GroupN1, "returnee": dupA1, "status": "active"})
		testapp.Save(t, app, "ledger_entries", map[string]any{"id": "entrydupf000002", "group": testapp.GroupN1, "member": "memberdupf00001",
			"type": "share_purchase", "shares": 1, "amount_cents": 5000, "meeting_date": "2026-10-01"})
		return app
	}
	ledger.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		unchanged(t, app, res)
		if m, err := app.FindRecordById("group_members", "memberdupf00001"); err != nil || m.GetString("returnee") != dupA1 {
			t.Errorf("membership moved by a refused merge: %v", err)
		}
	}
	// A2 is born 1985-01-02; her second registration has a CURP of 1985-02-01
	invalid := scenario("filling the kept record makes it invalid", testapp.FieldWorkerA, testapp.ReturneeA2, `{"from":"dupa2curp000001"}`, 400,
		`"curp":{"code":"birth_date_mismatch"`)
	invalid.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := withDupA1(t)
		fields := person(app, "dupa2curp000001", "Juan", "García", "", "1985-02-01")
		fields["curp"] = validCURP(t, "GAXJ850201HGRRXN")
		fields["sex"] = "H" // as the CURP says
		testapp.Save(t, app, "returnees", fields)
		return app
	}
	invalid.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
		unchanged(t, app, res)
		if _, err := app.FindRecordById("returnees", "dupa2curp000001"); err != nil {
			t.Errorf("the other record was deleted by a refused merge: %v", err)
		}
	}
	// the coordinator of Baja California sees a person going there from
	// Matamoros, and may merge only the people of the state's points
	elsewhere := scenario("coordinator: sees from by its destination, not its point", testapp.CoordBC, testapp.ReturneeA1,
		`{"from":"dupbcdest000001"}`, 400, `"from":{"code":"not_editable"`)
	elsewhere.TestAppFactory = func(t testing.TB) *tests.TestApp {
		app := withDupA1(t)
		fields := person(app, "dupbcdest000001", "María José", "Pérez", "López", "1990-05-17")
		fields["reception_point"] = testapp.ID(app, "reception_points", "city", "Matamoros")
		fields["destination_state"] = testapp.ID(app, "states", "curp_code", "BC")
		testapp.Save(t, app, "returnees", fields)
		return app
	}
	scenarios = append(scenarios, ledger, invalid, elsewhere,
		scenario("coordinator of another state", testapp.CoordBC, testapp.ReturneeB1, `{"from":"`+dupA1+`"}`, 404, `"data":{}`))
	for _, s := range scenarios {
		s.Test(t)
	}
}

// The coordinator of a state merges two people of its points, across
// points: the pair is settled and the audit log names the coordinator.
func TestMerge_CoordinatorAcrossTheStatesPoints(t *testing.T) {
	app, srv := newServed(t)
	fields := person(app, "dupmexicali0001", "Juan", "García", "", "1985-01-02")
	fields["sex"] = "H"
	fields["reception_point"] = testapp.ID(app, "reception_points", "city", "Mexicali")
	testapp.Save(t, app, "returnees", fields)
	if p := pairs(t, app, "dupmexicali0001"); len(p) != 1 {
		t.Fatalf("pairs of the look-alike: %d", len(p))
	}
	status := call(t, srv, testapp.CoordBC, http.MethodPost, "/api/returnees/"+testapp.ReturneeA2+"/merge",
		map[string]any{"from": "dupmexicali0001"}, nil)
	if status != http.StatusOK {
		t.Fatalf("merge: %d", status)
	}
	if p := pairs(t, app, "dupmexicali0001"); len(p) != 1 || p[0].GetString("status") != dedup.StatusMerged {
		t.Errorf("pair after the merge: %v", p)
	}
	if n, _ := app.CountRecords("audit_log", dbx.HashExp{"action": "merge", "actor_id": testapp.CoordBC}); n != 2 {
		t.Errorf("%d merge audit entries by the coordinator, want 2", n)
	}
}

// A CURP filled from the other record keeps the worker's confirmation that
// the person's document writes it so, though its letters are not the names'.
func TestMerge_ConfirmedCURPKeepsItsConfirmation(t *testing.T) {
	app, srv := newServed(t)
	other := person(app, "dupa2confirmed1", "Juan", "García", "", "1985-01-02")
	other["sex"] = "H"
	other["curp"] = validCURP(t, "GOXJ850102HGRRXN") // RENAPO's record says Gorcía
	other["curp_confirmed"] = true
	testapp.Save(t, app, "returnees", other)
	var res struct{ Filled []string }
	status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/returnees/"+testapp.ReturneeA2+"/merge",
		map[string]any{"from": "dupa2confirmed1"}, &res)
	if status != http.StatusOK || !slices.Contains(res.Filled, "curp_confirmed") {
		t.Fatalf("merge: %d %+v", status, res)
	}
	a2 := testapp.Find(t, app, "returnees", testapp.ReturneeA2)
	if a2.GetString("curp") != other["curp"] || !a2.GetBool("curp_confirmed") {
		t.Errorf("kept: CURP %q, confirmed %v", a2.GetString("curp"), a2.GetBool("curp_confirmed"))
	}
}

// A superuser may merge people of different reception points; with an
// identity check, the other person's account passes to the kept one, who
// then signs in to it, and the audit log keeps who checked and how.
func TestMerge_SuperuserAcrossPointsMovesAccount(t *testing.T) {
	app, srv := newServed(t)
	var res struct{ Moved map[string]int }
	status := call(t, srv, "superuser", http.MethodPost, "/api/returnees/"+testapp.ReturneeA2+"/merge",
		map[string]any{"from": testapp.ReturneeB1, "identity_verified": true, "identity_note": "Vi su INE en el punto de Tijuana."}, &res)
	if status != http.StatusOK || res.Moved["returnee_accounts"] != 1 || res.Moved["consents"] != 1 || res.Moved["returns"] != 1 {
		t.Fatalf("merge: %d %+v", status, res)
	}
	account, _ := app.FindRecordById("returnee_accounts", testapp.AccountB1)
	if account.GetString("returnee") != testapp.ReturneeA2 {
		t.Errorf("account B1 belongs to %s", account.GetString("returnee"))
	}
	a2, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	// B1's return at Matamoros (2026-11-22) is now A2's latest, after Tijuana (2026-11-21)
	if a2.GetString("reception_point") != testapp.ID(app, "reception_points", "city", "Matamoros") ||
		a2.GetString("previous_point") != testapp.ID(app, "reception_points", "city", "Tijuana") || !a2.GetBool("nodess_consent") {
		t.Errorf("kept record: %v", a2.PublicExport())
	}
	var me struct{ Items []struct{ ID string } }
	call(t, srv, "account:"+testapp.AccountB1, http.MethodGet, "/api/collections/returnees/records", nil, &me)
	if len(me.Items) != 1 || me.Items[0].ID != testapp.ReturneeA2 {
		t.Errorf("account B1 lists %v", me.Items)
	}
}

// Without an identity check a merge never hands the other person's account
// to the kept person: an impostor who claimed the other record (same name
// and birth date) would get the kept person's record. The account is closed
// (its sessions end) and audited; an identity check without a note is
// refused. Before, the account moved.
func TestMerge_AccountWithoutIdentityCheckIsClosed(t *testing.T) {
	app, srv := newServed(t)
	path := "/api/returnees/" + testapp.ReturneeA2 + "/merge"
	var refused map[string]any
	if status := call(t, srv, "superuser", http.MethodPost, path,
		map[string]any{"from": testapp.ReturneeB1, "identity_verified": true, "identity_note": " "}, &refused); status != http.StatusBadRequest {
		t.Fatalf("identity check without a note: %d %v", status, refused)
	}
	if a, err := app.FindRecordById("returnee_accounts", testapp.AccountB1); err != nil || a.GetString("returnee") != testapp.ReturneeB1 {
		t.Fatal("a refused merge changed the account")
	}

	var res struct {
		Moved         map[string]int
		Removed       map[string]int
		AccountClosed bool `json:"account_closed"`
	}
	status := call(t, srv, "superuser", http.MethodPost, path, map[string]any{"from": testapp.ReturneeB1}, &res)
	if status != http.StatusOK || !res.AccountClosed || res.Moved["returnee_accounts"] != 0 || res.Removed["returnee_accounts"] != 1 {
		t.Fatalf("merge: %d %+v", status, res)
	}
	if _, err := app.FindRecordById("returnee_accounts", testapp.AccountB1); err == nil {
		t.Error("the other person's account still exists")
	}
	var me map[string]any
	if status := call(t, srv, "account:"+testapp.AccountB1, http.MethodGet, "/api/collections/returnees/records", nil, &me); status != http.StatusUnauthorized && len(me["items"].([]any)) != 0 {
		t.Errorf("the closed account's session still lists %v (%d)", me, status)
	}
	if n, _ := app.CountRecords("audit_log", dbx.HashExp{"collection_name": "returnee_accounts", "record_id": testapp.AccountB1, "action": "delete"}); n != 1 {
		t.Errorf("%d audit entries for the closed account", n)
	}
}

// Merges chain: the record of an earlier merge into the other person passes
// to the kept one, so the kept person's pairs tell every id they absorbed.
func TestMerge_ChainKeepsHistory(t *testing.T) {
	app := withDupA1(t)
	testapp.Save(t, app, "returnees", person(app, "dupa1again00001", "María José", "Pérez", "López", "1990-05-17"))
	find := func(id string) *core.Record {
		r, err := app.FindRecordById("returnees", id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	who, err := app.FindRecordById("staff", testapp.FieldWorkerA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dedup.Merge(app, who, find(dupA1), find("dupa1again00001"), dedup.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := dedup.Merge(app, who, find(testapp.ReturneeA1), find(dupA1), dedup.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	var absorbed []string
	for _, p := range pairs(t, app, testapp.ReturneeA1) {
		if p.GetString("status") != dedup.StatusMerged || p.GetString("candidate") != "" {
			t.Errorf("pair of A1 after both merges: %v", p.PublicExport())
		}
		absorbed = append(absorbed, p.GetString("merged_from"))
	}
	slices.Sort(absorbed)
	if want := []string{"dupa1again00001", dupA1}; !slices.Equal(absorbed, want) {
		t.Errorf("A1 absorbed %v, want %v", absorbed, want)
	}
	if _, err := dedup.Merge(app, who, find(testapp.ReturneeA1), find(testapp.ReturneeA1), dedup.MergeOptions{}); err == nil {
		t.Error("Go merge of a record into itself was accepted")
	}
}

func statusOf(t testing.TB, app core.App, collection, id string) string {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return r.GetString("status")
}

func pairOfTest(app core.App, a, b string) (*core.Record, error) {
	return app.FindFirstRecordByFilter("duplicate_candidates",
		"(returnee = {:a} && candidate = {:b}) || (returnee = {:b} && candidate = {:a})", dbx.Params{"a": a, "b": b})
}

// A merge keeps one membership per cooperative: where both people are
// members, the better status stays (A1, the founder); a membership of the
// duplicate alone moves, and its cooperative's active members and the
// member's name follow.
func TestMerge_CooperativeMemberships(t *testing.T) {
	app := withDupA1(t)
	gr := testapp.ID(app, "states", "curp_code", "GR")
	testapp.Save(t, app, "cooperative_members", map[string]any{"id": "coopdupmember01", "cooperative": testapp.CoopN1, "returnee": dupA1})
	testapp.Save(t, app, "cooperatives", map[string]any{"id": "coopdupother001", "name": "Tejidos de Tixtla", "state": gr, "theme": "art_culture"})
	testapp.Save(t, app, "cooperative_members", map[string]any{"id": "coopdupmember02", "cooperative": "coopdupother001", "returnee": dupA1, "status": "active"})
	srv := testapp.Serve(t, app)
	var res struct{ Moved, Removed map[string]int }
	if status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/returnees/"+testapp.ReturneeA1+"/merge", map[string]string{"from": dupA1}, &res); status != http.StatusOK {
		t.Fatalf("merge: %d %+v", status, res)
	}
	if res.Moved["cooperative_members"] != 1 || res.Removed["cooperative_members"] != 1 {
		t.Errorf("moved %v, removed %v", res.Moved, res.Removed)
	}
	if m, err := app.FindRecordById("cooperative_members", testapp.CoopMemberA1); err != nil || m.GetString("status") != "active" || m.GetString("role") != "founder" {
		t.Errorf("A1's founding membership: %v %v", m, err)
	}
	if _, err := app.FindRecordById("cooperative_members", "coopdupmember01"); err == nil {
		t.Error("the duplicate's request to A1's own cooperative was kept")
	}
	moved, err := app.FindRecordById("cooperative_members", "coopdupmember02")
	if err != nil || moved.GetString("returnee") != testapp.ReturneeA1 || moved.GetString("member_name") != "María José Pérez" {
		t.Errorf("the moved membership: %v %v", moved, err)
	}
	if c, _ := app.FindRecordById("cooperatives", "coopdupother001"); !slices.Equal(c.GetStringSlice("active_members"), []string{testapp.ReturneeA1}) {
		t.Errorf("the other cooperative's active members: %v", c.GetStringSlice("active_members"))
	}
}
