package privacy_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/privacy"
)

// The person erased in TestErase: values found nowhere else in the fixtures.
const (
	given, first, second = "Xochiquetzal Itzel", "Zamudio", "Quintanar"
	born                 = "1977-07-13"
	personPhone          = "+526649876543"
	otherPhone           = "+526647771234"
	person               = "erzperson000001"
	skills               = "alfareria de barro negro"
	noteText             = "Hablamos de su hija Yaretzi en Iguala"
)

// personCURP is the person's CURP, built from their names and birth.
func personCURP() string {
	b, _ := time.Parse(time.DateOnly, born)
	return curp.Build(first, second, given, b, "M", "GR", '0')
}

// TestErase: a person registered, served, claimed, merged and refused on
// every path; after a superuser's erasure no table of the database holds a
// value of theirs, the devices that held them evict them, the ledger they
// were in still balances, and the audit says who, when and why.
func TestErase(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := testapp.AddSuperuser(t, app)
	state := func(code string) string { return testapp.ID(app, "states", "curp_code", code) }
	point := func(city string) string { return testapp.ID(app, "reception_points", "city", city) }
	token := func(collection, id string) string { return testapp.Token(t, app, collection, id) }
	fwA := &phone{t: t, base: srv.URL, token: token("staff", testapp.FieldWorkerA), id: "fw-a-phone-1"}
	fwA2 := &phone{t: t, base: srv.URL, token: fwA.token, id: "fw-a-phone-2"}
	fwB := &phone{t: t, base: srv.URL, token: token("staff", testapp.FieldWorkerB), id: "fw-b-phone-1"}
	node := &phone{t: t, base: srv.URL, token: token("staff", testapp.NodessStaff1), id: "nodess1-phone"}
	code := claim.NewCode()
	cp := personCURP()

	// registered at Tijuana with a consent, a return, a note and a referral
	results := fwA.push(
		create("reg-person-0001", catalog.Returnees, person, map[string]any{
			"given_names": given, "first_surname": first, "second_surname": second, "birth_date": born, "sex": "M",
			"curp": cp, "birth_state": state("GR"), "destination_state": state("GR"), "reception_point": point("Tijuana"),
			"repatriation_date": "2026-11-23", "phone": personPhone, "skills": skills, "claim_hash": claim.Hash(person, code)}),
		create("reg-return-0001", catalog.Returns, person, map[string]any{"returnee": person, "reception_point": point("Tijuana"), "repatriation_date": "2026-11-23"}),
		create("reg-consent-001", catalog.Consents, "erzconsent00001", map[string]any{"returnee": person, "purpose": "share_nodess", "granted": true,
			"notice_version": "2026-01", "text_version": "2026-01", "method": "verbal"}),
		create("reg-note-000001", catalog.CaseNotes, "erznote00000001", map[string]any{"returnee": person, "text": noteText}),
		create("reg-referral-01", catalog.Referrals, "erzreferral0001", map[string]any{"returnee": person, "nodess": testapp.NodessN1, "service": "training"}),
	)
	for _, r := range results {
		if r.Status != "applied" {
			t.Fatalf("registration: %+v", r)
		}
	}
	// a savings group's member with a share purchase, a cooperative's, an outcome
	for _, r := range node.push(
		create("node-member-001", catalog.GroupMembers, "erzmember000001", map[string]any{"group": testapp.GroupN1, "returnee": person, "status": "active", "joined_on": "2026-11-25"}),
		create("node-entry-0001", catalog.LedgerEntries, "erzentry0000001", map[string]any{"group": testapp.GroupN1, "member": "erzmember000001",
			"type": "share_purchase", "shares": 1, "amount_cents": 5000, "meeting_date": "2026-11-26"}),
		create("node-coop-00001", catalog.CooperativeMembers, "erzcoopmember01", map[string]any{"cooperative": testapp.CoopN1, "returnee": person, "status": "active"}),
		create("node-outcome-01", catalog.Outcomes, "erzoutcome00001", map[string]any{"returnee": person, "recorded_on": "2026-11-26", "employment": "employed"}),
	) {
		if r.Status != "applied" {
			t.Fatalf("NODESS: %+v", r)
		}
	}
	// the person claims their account and asks for a rectification
	status, body := testapp.Request(t, srv.URL, "", http.MethodPost, "/api/returnee-accounts/claim",
		map[string]any{"curp": cp, "code": code, "password": "xochi-secret-1", "passwordConfirm": "xochi-secret-1"})
	var claimed struct {
		Token  string
		Record struct{ ID string }
	}
	if status != http.StatusOK || json.Unmarshal(body, &claimed) != nil {
		t.Fatalf("claim: %d %s", status, body)
	}
	own := &phone{t: t, base: srv.URL, token: claimed.Token, id: "xochi-own-phone"}
	if r := own.push(create("own-rectify-001", catalog.RectificationReqs, "erzrectify00001", map[string]any{
		"returnee": person, "field": "second_surname", "requested_value": "Quintanar Olmos", "reason": "Así dice mi acta de Olmos"})); r[0].Status != "applied" {
		t.Fatalf("rectification request: %+v", r[0])
	}
	// Matamoros registers them again offline (a rebinding: an alias, a
	// return and a scope grant); two Tijuana phones clash on the phone; a
	// refused update keeps their values for review
	if r := fwB.push(create("b-again-000001", catalog.Returnees, "erzatmatamoros1", map[string]any{
		"given_names": given, "first_surname": first, "birth_date": born, "sex": "M", "curp": cp,
		"destination_state": state("GR"), "reception_point": point("Matamoros"), "repatriation_date": "2026-11-27"})); r[0].Status != "merged" {
		t.Fatalf("rebinding: %+v", r[0])
	}
	rev := app.FindRecordById
	p, _ := rev(catalog.Returnees, person)
	fwA.push(update("a-phone-000001", catalog.Returnees, person, p.GetInt("rev"), map[string]any{"phone": otherPhone}))
	if r := fwA2.push(update("a2-phone-00001", catalog.Returnees, person, p.GetInt("rev"), map[string]any{"phone": "+526645550000"})); r[0].Status != "merged" {
		t.Fatalf("clash: %+v", r[0])
	}
	if r := fwA.push(update("a-refused-0001", catalog.Returnees, person, p.GetInt("rev"), map[string]any{"skills": skills + " y verde", "birth_date": "1977-07-14"})); r[0].Status != "rejected" {
		t.Fatalf("refusal: %+v", r[0])
	}
	held := map[*phone]map[string]string{fwA: fwA.pull(), fwB: fwB.pull(), node: node.pull()}
	if held[fwA]["returnees/"+person] != "put" || held[fwB]["returnees/"+person] != "put" {
		t.Fatalf("the devices do not hold the person: %v %v", held[fwA]["returnees/"+person], held[fwB]["returnees/"+person])
	}
	var conflicts int
	_ = app.DB().Select("count(*)").From(catalog.SyncConflicts).Where(dbx.HashExp{"record_id": person}).Row(&conflicts)
	if conflicts < 2 {
		t.Fatalf("want the clash and the refusal kept for review, got %d", conflicts)
	}

	suToken, _ := su.NewAuthToken()
	status, body = testapp.Request(t, srv.URL, suToken, http.MethodPost, "/api/returnees/"+person+"/erase",
		map[string]any{"reason": "Solicitud ARCO de cancelación, folio 2026-017"})
	if status != http.StatusOK {
		t.Fatalf("erase: %d %s", status, body)
	}

	t.Run("no table holds a value of theirs", func(t *testing.T) {
		// a phone offline since the erasure edits them: refused, and its
		// refusal keeps nothing of theirs
		if r := fwA2.push(update("a2-late-000001", catalog.Returnees, person, p.GetInt("rev"), map[string]any{"given_names": given, "phone": personPhone}),
			create("a2-late-000002", catalog.CaseNotes, "erznote00000002", map[string]any{"returnee": person, "text": noteText})); r[0].Status != "rejected" || r[1].Status != "rejected" {
			t.Fatalf("a late push: %+v", r)
		}
		needles := []string{"Xochiquetzal", "Itzel", "Zamudio", "Quintanar", cp, born, "6649876543", "6647771234", "6645550000",
			"barro negro", "Yaretzi", "mi acta de Olmos", strings.ToLower(cp)}
		for _, hit := range scanDatabase(t, app, needles) {
			t.Error(hit)
		}
	})
	t.Run("devices evict them", func(t *testing.T) {
		for _, d := range []*phone{fwA, fwB} {
			got := d.pull()
			if op := got["returnees/"+person]; op != "evict" && op != "delete" {
				t.Errorf("%s: returnees/%s: %q, want evict", d.id, person, op)
			}
			for key, op := range held[d] {
				if !strings.Contains(key, "/erz") || key == "returnees/"+person || op != "put" {
					continue
				}
				if got[key] != "evict" && got[key] != "delete" {
					t.Errorf("%s: %s: %q, want evict or delete", d.id, key, got[key])
				}
			}
		}
		if got := node.pull(); got["consents/erzconsent00001"] == "put" || got["outcomes/erzoutcome00001"] != "delete" {
			t.Errorf("NODESS device: outcome %q", got["outcomes/erzoutcome00001"])
		}
	})
	t.Run("the ledger still balances", func(t *testing.T) {
		member, err := app.FindRecordById(catalog.GroupMembers, "erzmember000001")
		if err != nil || member.GetString("status") != "left" || member.GetString("returnee") != person {
			t.Fatalf("membership: %v %v", member, err)
		}
		if _, err := app.FindRecordById(catalog.LedgerEntries, "erzentry0000001"); err != nil {
			t.Fatalf("ledger entry: %v", err)
		}
		shell, _ := app.FindRecordById(catalog.Returnees, person)
		if shell.GetDateTime("erased_at").IsZero() || shell.GetString("given_names") != "" || shell.GetString("reception_point") != "" {
			t.Errorf("the person is not a blank shell: %v", shell.PublicExport())
		}
	})
	t.Run("the audit keeps who, when and why", func(t *testing.T) {
		entries, err := app.FindAllRecords(catalog.AuditLog, dbx.HashExp{"action": "erase", "collection_name": catalog.Returnees, "record_id": person})
		if err != nil || len(entries) != 1 {
			t.Fatalf("erase entries of the person: %d %v", len(entries), err)
		}
		e := entries[0]
		if e.GetString("actor_id") != testapp.Superuser || e.GetString("reason") != "Solicitud ARCO de cancelación, folio 2026-017" || e.GetString("created") == "" {
			t.Errorf("audit entry: %v", e.PublicExport())
		}
		if _, err := app.FindRecordById(catalog.ReturneeAccounts, claimed.Record.ID); err == nil {
			t.Error("the account is still there")
		}
	})
	t.Run("erased twice is not found", func(t *testing.T) {
		if status, _ := testapp.Request(t, srv.URL, suToken, http.MethodPost, "/api/returnees/"+person+"/erase",
			map[string]any{"reason": "otra vez"}); status != http.StatusNotFound {
			t.Errorf("second erasure: %d", status)
		}
	})
}

// scanDatabase reads every column of every table of app's database as text
// and returns where any of needles appears (case-insensitively).
func scanDatabase(t *testing.T, app core.App, needles []string) []string {
	t.Helper()
	var tables []string
	if err := app.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Column(&tables); err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, table := range tables {
		var columns []string
		if err := app.DB().NewQuery("SELECT name FROM pragma_table_info({:t})").Bind(dbx.Params{"t": table}).Column(&columns); err != nil {
			t.Fatal(err)
		}
		for _, column := range columns {
			var values []string
			err := app.DB().NewQuery("SELECT CAST([[" + column + "]] AS TEXT) FROM [[" + table + "]] WHERE [[" + column + "]] IS NOT NULL").Column(&values)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, column, err)
			}
			for _, v := range values {
				for _, n := range needles {
					if strings.Contains(strings.ToLower(v), strings.ToLower(n)) {
						hits = append(hits, table+"."+column+" holds "+n+": "+v)
					}
				}
			}
		}
	}
	if len(tables) < 30 {
		t.Fatalf("scanned only %d tables", len(tables))
	}
	return hits
}

// Refusals of the erasure route: without a reason, a reason that names the
// person, anyone but a superuser, a person that does not exist. Nothing is
// erased.
func TestErase_Refusals(t *testing.T) {
	path := "/api/returnees/" + testapp.ReturneeA1 + "/erase"
	tokens := tokensOf(t)
	superuser := map[string]string{"Authorization": tokens[testapp.Superuser], "Content-Type": "application/json"}
	untouched := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		r, err := app.FindRecordById(catalog.Returnees, testapp.ReturneeA1)
		if err != nil || r.GetString("given_names") != "María José" || !r.GetDateTime("erased_at").IsZero() {
			t.Errorf("the person changed: %v", err)
		}
	}
	scenarios := []tests.ApiScenario{
		{Name: "no reason", Method: http.MethodPost, URL: path, Body: strings.NewReader(`{"reason":"  "}`), Headers: superuser,
			ExpectedStatus: 400, ExpectedContent: []string{`"reason":{"code":"reason_required"`}, AfterTestFunc: untouched},
		{Name: "a reason naming the person", Method: http.MethodPost, URL: path, Body: strings.NewReader(`{"reason":"Lo pidió maria jose perez"}`),
			Headers: superuser, ExpectedStatus: 400, ExpectedContent: []string{`"code":"reason_names_person"`}, AfterTestFunc: untouched},
		{Name: "a field worker", Method: http.MethodPost, URL: path, Body: strings.NewReader(`{"reason":"x"}`),
			Headers: map[string]string{"Authorization": tokens[testapp.FieldWorkerA]}, ExpectedStatus: 403,
			ExpectedContent: []string{`"status":403`}, AfterTestFunc: untouched},
		{Name: "the person's own account", Method: http.MethodPost, URL: path, Body: strings.NewReader(`{"reason":"x"}`),
			Headers: map[string]string{"Authorization": tokens[testapp.AccountA1]}, ExpectedStatus: 403,
			ExpectedContent: []string{`"status":403`}, AfterTestFunc: untouched},
		{Name: "a guest", Method: http.MethodPost, URL: path, Body: strings.NewReader(`{"reason":"x"}`),
			ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}, AfterTestFunc: untouched},
		{Name: "nobody", Method: http.MethodPost, URL: "/api/returnees/nobodyatall0001/erase", Body: strings.NewReader(`{"reason":"x"}`),
			Headers: superuser, ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = withSuperuser
		s.Test(t)
	}
}

// The retention job erases a person nobody wrote about, and no device of
// theirs pulled, for five years; one whose phone pulled since stays.
func TestEraseInactive(t *testing.T) {
	app := testapp.New(t)
	now := time.Now()
	if n, err := privacy.EraseInactive(app, now.Add(-privacy.DefaultRetention.Inactive), 100); err != nil || n != 0 {
		t.Fatalf("nobody is inactive yet: %d %v", n, err)
	}
	// as if five years had passed, and B1's phone had pulled just now
	later := now.Add(time.Hour)
	_, err := app.NonconcurrentDB().Insert("_sync_clients", dbx.Params{"client_id": "b1-own-phone", "auth_id": testapp.AccountB1,
		"cursor": 0, "last_seen": later.UTC().Format("2006-01-02 15:04:05.000Z")}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := privacy.EraseInactive(app, later, 100); err != nil || n != 2 {
		t.Fatalf("want A1 and A2 erased, got %d %v", n, err)
	}
	for id, erased := range map[string]bool{testapp.ReturneeA1: true, testapp.ReturneeA2: true, testapp.ReturneeB1: false} {
		r, _ := app.FindRecordById(catalog.Returnees, id)
		if r.GetDateTime("erased_at").IsZero() == erased {
			t.Errorf("%s erased: %v, want %v", id, !erased, erased)
		}
	}
	if n, _ := privacy.EraseInactive(app, later, 100); n != 0 {
		t.Errorf("an erased person is erased again: %d", n)
	}
}
