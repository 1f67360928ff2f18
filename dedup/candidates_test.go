package dedup_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/dedup"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// A field worker registers, through REST, a person already registered as
// fixture A1 ("María José Pérez López", 1990-05-17, born in Guerrero), with
// abbreviated names and no accents: the record is accepted and an open pair
// is recorded, which the field workers and coordinator of the person's
// point see and another point's field worker does not.
func TestCandidates_RecordedOnRESTCreate(t *testing.T) {
	app, srv := newServed(t)
	fields := person(app, "dupa1rest000001", "Ma. Jose", "PEREZ", "lopez", "1990-05-17")
	if status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/collections/returnees/records", fields, nil); status != http.StatusOK {
		t.Fatalf("create: %d", status)
	}
	got := pairs(t, app, "dupa1rest000001")
	if len(got) != 1 {
		t.Fatalf("pairs = %d, want 1", len(got))
	}
	p := got[0]
	if p.GetString("returnee") != "dupa1rest000001" || p.GetString("candidate") != testapp.ReturneeA1 ||
		p.GetString("status") != dedup.StatusOpen || p.GetInt("score") != 100 || p.GetInt("rev") != 1 {
		t.Errorf("pair: %v", p.PublicExport())
	}
	var reasons []string
	_ = p.UnmarshalJSONField("reasons", &reasons)
	if !slices.Contains(reasons, dedup.ReasonSameGivenNames) {
		t.Errorf("reasons %v", reasons)
	}

	for who, want := range map[string]int{testapp.FieldWorkerA: 1, testapp.CoordBC: 1, testapp.FieldWorkerB: 0, testapp.NodessStaff1: 0, "": 0} {
		var list struct{ Items []map[string]any }
		status := call(t, srv, who, http.MethodGet, "/api/collections/duplicate_candidates/records", nil, &list)
		if status != http.StatusOK || len(list.Items) != want {
			t.Errorf("%q lists %d pairs (status %d), want %d", who, len(list.Items), status, want)
		}
	}
}

// A sync push is a write path like any other: a registration pushed from a
// device records the pair in the push's transaction.
func TestCandidates_RecordedOnSyncPush(t *testing.T) {
	app, srv := newServed(t)
	fields := person(app, "", "Juan", "Garcia", "", "1985-02-01") // A2 is born 1985-01-02: day and month swapped
	delete(fields, "id")
	var res devicesync.PushResponse
	status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/sync/push", devicesync.PushRequest{
		ClientID: "dedup-device-1", SchemaVersion: 1,
		Mutations: []devicesync.Mutation{{MutationID: "m-dedup-000001", Collection: "returnees", RecordID: "dupa2push000001", Op: "create", Fields: fields}},
	}, &res)
	if status != http.StatusOK || len(res.Results) != 1 || res.Results[0].Status != devicesync.StatusApplied {
		t.Fatalf("push: %d %+v", status, res)
	}
	got := pairs(t, app, "dupa2push000001")
	if len(got) != 1 || got[0].GetString("candidate") != testapp.ReturneeA2 {
		t.Fatalf("pairs: %v", got)
	}
	var reasons []string
	_ = got[0].UnmarshalJSONField("reasons", &reasons)
	if !slices.Contains(reasons, dedup.ReasonBirthDaySwapped) || got[0].GetInt("score") < dedup.Threshold {
		t.Errorf("score %d, reasons %v", got[0].GetInt("score"), reasons)
	}
}

// A correction that makes two people no longer alike drops their open pair;
// a change of another field leaves pairs alone; a dismissed pair stays
// dismissed whatever is edited.
func TestCandidates_FollowEdits(t *testing.T) {
	app := newApp(t)
	dup := testapp.Save(t, app, "returnees", person(app, "dupa1edit000001", "Maria Jose", "Perez", "Lopez", "1990-05-17"))
	if n := len(pairs(t, app, dup.Id)); n != 1 {
		t.Fatalf("pairs after create = %d", n)
	}

	dup.Set("phone", "+526641112233")
	if err := app.Save(dup); err != nil {
		t.Fatal(err)
	}
	if p := pairs(t, app, dup.Id); len(p) != 1 || p[0].GetInt("rev") != 1 {
		t.Fatalf("a phone change touched the pair: %v", p)
	}

	dup.Set("given_names", "Rosa Elena")
	if err := app.Save(dup); err != nil {
		t.Fatal(err)
	}
	if p := pairs(t, app, dup.Id); len(p) != 0 {
		t.Fatalf("pair kept after the names were corrected: %v", p[0].PublicExport())
	}

	dup.Set("given_names", "María José")
	if err := app.Save(dup); err != nil {
		t.Fatal(err)
	}
	p := pairs(t, app, dup.Id)
	if len(p) != 1 {
		t.Fatalf("pair not recorded again: %v", p)
	}
	p[0].Set("status", dedup.StatusDismissed)
	if err := app.Save(p[0]); err != nil {
		t.Fatal(err)
	}
	dup.Set("second_surname", "")
	if err := app.Save(dup); err != nil {
		t.Fatal(err)
	}
	if p := pairs(t, app, dup.Id); len(p) != 1 || p[0].GetString("status") != dedup.StatusDismissed {
		t.Fatalf("dismissed pair after an edit: %v", p)
	}
}

// Staff in scope may dismiss an open pair ("not the same person": the
// finder never proposes it again) and nothing else, on REST and batch.
func TestCandidates_Review(t *testing.T) {
	const dup = "dupa1revw000001"
	patch := func(who, body string, status int, expected string) tests.ApiScenario {
		return tests.ApiScenario{Name: who + " " + body, Method: http.MethodPatch, Body: strings.NewReader(body),
			Headers: auth(t, who), ExpectedStatus: status, ExpectedContent: []string{expected}}
	}
	// a batch answers 200 with each request's own answer, or 400 with the
	// failed request's in data
	batch := func(who, body string, status int, expected string) tests.ApiScenario {
		return tests.ApiScenario{Name: "batch " + who + " " + body, Method: http.MethodPost, Body: strings.NewReader(body),
			Headers: auth(t, who), ExpectedStatus: status, ExpectedContent: []string{expected}}
	}
	scenarios := []tests.ApiScenario{
		patch(testapp.FieldWorkerA, `{"status":"dismissed"}`, 200, `"status":"dismissed"`),
		patch(testapp.CoordBC, `{"status":"dismissed"}`, 200, `"status":"dismissed"`),
		patch(testapp.FieldWorkerA, `{"status":"merged"}`, 400, `"status":{"code":"invalid_transition"`),
		patch(testapp.FieldWorkerA, `{"score":10}`, 400, `"score":{"code":"not_editable"`),
		patch(testapp.FieldWorkerB, `{"status":"dismissed"}`, 404, `"data":{}`),
		patch(testapp.NodessStaff1, `{"status":"dismissed"}`, 404, `"data":{}`),
		patch("superuser", `{"status":"merged"}`, 200, `"status":"merged"`),
		batch(testapp.CoordBC, `{"status":"dismissed"}`, 200, `"status":"dismissed"`),
		batch(testapp.CoordBC, `{"status":"merged"}`, 400, `"code":"invalid_transition"`),
		batch(testapp.FieldWorkerA, `{"score":10}`, 400, `"code":"not_editable"`),
		batch(testapp.FieldWorkerB, `{"status":"dismissed"}`, 400, `"status":404`),
	}
	for _, s := range scenarios {
		body, _ := io.ReadAll(s.Body)
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := newApp(t)
			testapp.Save(t, app, "returnees", person(app, dup, "Maria Jose", "Perez", "Lopez", "1990-05-17"))
			p := pairs(t, app, dup)
			if len(p) != 1 {
				t.Fatalf("pairs = %d", len(p))
			}
			// the pair's id is random: the URL is known once the app exists
			url := "/api/collections/duplicate_candidates/records/" + p[0].Id
			if s.Method == http.MethodPatch {
				s.URL, s.Body = url, bytes.NewReader(body)
			} else {
				app.Settings().Batch.Enabled = true // off in production, on where deployments enable it
				s.URL = "/api/batch"
				s.Body = strings.NewReader(`{"requests":[{"method":"PATCH","url":"` + url + `","body":` + string(body) + `}]}`)
			}
			return app
		}
		s.Test(t)
	}
}

// A CURP held by someone else is a field error on curp, in Spanish, on
// every write path: REST, sync push, and the unique index itself when two
// writers race past the check.
func TestCURPTaken_ClearFieldError(t *testing.T) {
	app, srv := newServed(t)
	taken := validCURP(t, "PELJ900517MGRRPS")
	testapp.Update(t, app, "returnees", testapp.ReturneeA1, map[string]any{"curp": taken})
	const want = "Ya existe una persona registrada con esta CURP."

	fields := person(app, "dupcurp00000001", "Jimena", "Pérez", "Luna", "1990-05-17")
	fields["curp"] = strings.ToLower(taken) // normalised before the check
	var apiErr struct {
		Data map[string]struct{ Code, Message string }
	}
	status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/collections/returnees/records", fields, &apiErr)
	if status != http.StatusBadRequest || apiErr.Data["curp"].Message != want || apiErr.Data["curp"].Code != "validation_not_unique" {
		t.Errorf("REST: %d %+v", status, apiErr)
	}

	delete(fields, "id")
	var res devicesync.PushResponse
	call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/sync/push", devicesync.PushRequest{
		ClientID: "dedup-device-2", SchemaVersion: 1,
		Mutations: []devicesync.Mutation{{MutationID: "m-dedup-curp001", Collection: "returnees", RecordID: "dupcurp00000002", Op: "create", Fields: fields}},
	}, &res)
	// a push does not refuse it: the registration becomes a new return of
	// the CURP's holder (devicesync/known_person_test.go), which needs its date
	if len(res.Results) != 1 || res.Results[0].Status != devicesync.StatusRejected || res.Results[0].Error.Fields["repatriation_date"] == "" {
		t.Errorf("push without a repatriation date: %+v", res.Results)
	}
	fields["repatriation_date"] = "2026-12-01"
	call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/sync/push", devicesync.PushRequest{
		ClientID: "dedup-device-2", SchemaVersion: 1,
		Mutations: []devicesync.Mutation{{MutationID: "m-dedup-curp002", Collection: "returnees", RecordID: "dupcurp00000002", Op: "create", Fields: fields}},
	}, &res)
	if len(res.Results) != 1 || res.Results[0].Status != devicesync.StatusMerged || res.Results[0].RecordID != testapp.ReturneeA1 {
		t.Errorf("push: %+v", res.Results)
	}

	// past the validation (as a racing writer would be), the index refuses
	col, _ := app.FindCollectionByNameOrId("returnees")
	r := core.NewRecord(col)
	for k, v := range person(app, "dupcurp00000003", "Jimena", "Pérez", "Luna", "1990-05-17") {
		r.Set(k, v)
	}
	r.Set("curp", taken)
	err := app.SaveNoValidate(r)
	var errs validation.Errors
	if !errors.As(err, &errs) || errs["curp"] == nil || errs["curp"].Error() != want {
		t.Errorf("unique index: %v", err)
	}
	if _, err := app.FindRecordById("returnees", "dupcurp00000001"); err == nil {
		t.Error("the refused record was saved")
	}
}

// validCURP completes the first 16 characters of a CURP of someone born
// before 2000 with a homonym digit and the check digit.
func validCURP(t testing.TB, first16 string) string {
	t.Helper()
	d, err := curp.CheckDigit(first16 + "0")
	if err != nil {
		t.Fatal(err)
	}
	value := first16 + "0" + string(d)
	if err := curp.Validate(value); err != nil {
		t.Fatalf("%s: %v", value, err)
	}
	return value
}

// Detection reads only the people born on the day (or the swapped day),
// through the index on (birth_date, first_surname), never the whole table.
func TestFindMatches_UsesBirthDateIndex(t *testing.T) {
	app := newApp(t)
	var matches []dedup.Match
	var err error
	logged := testapp.Queries(t, app, func() {
		matches, err = dedup.FindMatches(app, dedup.Person{GivenNames: "María José", FirstSurname: "Pérez", BirthDate: "1990-05-07"}, "", nil)
	})
	if err != nil || len(logged) != 1 {
		t.Fatalf("matches %v, err %v, queries %v", matches, err, logged)
	}
	plan := testapp.QueryPlan(t, app, logged[0])
	if len(plan) == 0 || !strings.Contains(strings.Join(plan, "\n"), "USING INDEX idx_returnees_birth") {
		t.Errorf("query %s\nplan %v", logged[0], plan)
	}
}
