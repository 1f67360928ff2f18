package dedup_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/dedup"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// curpA1First16 starts the CURP that checkApp gives fixture A1 ("María José
// Pérez López", 1990-05-17, Tijuana).
const curpA1First16 = "PELJ900517MGRRPS"

// checkApp is a template clone where A1 holds a CURP.
func checkApp(t testing.TB) *tests.TestApp {
	app := newApp(t)
	testapp.Update(t, app, "returnees", testapp.ReturneeA1, map[string]any{"curp": validCURP(t, curpA1First16)})
	return app
}

func TestCheckDuplicate(t *testing.T) {
	gr := func(t testing.TB) string { return testapp.ID(checkApp(t), "states", "curp_code", "GR") }
	query := func(kv ...string) string {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return "/api/returnees/check-duplicate?" + q.Encode()
	}
	// A1 as another device might type her
	a1 := query("given_names", "Ma. Jose", "first_surname", "perez", "second_surname", "LÓPEZ", "birth_date", "1990-05-17", "birth_state", gr(t))
	curp := validCURP(t, curpA1First16)

	scenarios := []tests.ApiScenario{
		{Name: "guest", Method: http.MethodGet, URL: a1, ExpectedStatus: 401, ExpectedContent: []string{`"data":{}`}},
		{Name: "returnee account", Method: http.MethodGet, URL: a1, Headers: auth(t, "account:"+testapp.AccountA1),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`}},
		{Name: "missing names and date", Method: http.MethodGet, URL: query("second_surname", "x"), Headers: auth(t, testapp.FieldWorkerA),
			ExpectedStatus: 400, ExpectedContent: []string{`"given_names":{"code":"validation_required"`, `"first_surname":{"code":"validation_required"`,
				`"birth_date":{"code":"invalid_date"`}},
		{Name: "invalid CURP", Method: http.MethodGet, URL: query("given_names", "Juan", "first_surname", "García", "curp", "GARJ850102HDFRRN00"),
			Headers: auth(t, testapp.FieldWorkerA), ExpectedStatus: 400, ExpectedContent: []string{`"curp":{"code":"invalid_check_digit"`}},
		{Name: "field worker of the point finds A1", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.FieldWorkerA),
			ExpectedStatus: 200, ExpectedContent: []string{`"curp_taken":false`, `"score":100`, `"id":"` + testapp.ReturneeA1 + `"`, `"same_given_names"`}},
		{Name: "field worker of another point sees nothing", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.FieldWorkerB),
			ExpectedStatus: 200, ExpectedContent: []string{`"matches":[]`}, NotExpectedContent: []string{testapp.ReturneeA1, "Pérez"}},
		// only those who register people may ask: curp_taken answers for
		// everyone, in scope or not
		{Name: "coordinator", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.CoordBC),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`}, NotExpectedContent: []string{testapp.ReturneeA1, "curp_taken"}},
		{Name: "NODESS staff with A1's consent", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.NodessStaff1),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`}, NotExpectedContent: []string{testapp.ReturneeA1, "curp_taken"}},
		{Name: "NODESS staff asking about a CURP", Method: http.MethodGet, URL: query("given_names", "Otra", "first_surname", "Persona", "curp", curp),
			Headers: auth(t, testapp.NodessStaff2), ExpectedStatus: 403, NotExpectedContent: []string{"curp_taken"}},
		{Name: "superuser", Method: http.MethodGet, URL: a1, Headers: auth(t, "superuser"),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + testapp.ReturneeA1 + `"`}},
		{Name: "a date that does not exist", Method: http.MethodGet, URL: query("given_names", "Maria Jose", "first_surname", "Perez", "birth_date", "1990-17-05"),
			Headers: auth(t, testapp.FieldWorkerA), ExpectedStatus: 400, ExpectedContent: []string{`"birth_date":{"code":"invalid_date"`}},
		{Name: "day and month swapped (A2 is born 1985-01-02)", Method: http.MethodGet, URL: query("given_names", "JUAN", "first_surname", "Garcia", "birth_date", "1985-02-01"),
			Headers: auth(t, testapp.FieldWorkerA), ExpectedStatus: 200,
			ExpectedContent: []string{`"id":"` + testapp.ReturneeA2 + `"`, `"birth_day_month_swapped"`}},
		{Name: "CURP held in scope: first, with its own reason; the birth date comes from it",
			Method: http.MethodGet, URL: query("given_names", "Otra", "first_surname", "Persona", "curp", curp),
			Headers: auth(t, testapp.FieldWorkerA), ExpectedStatus: 200,
			ExpectedContent: []string{`"curp_taken":true`, `"matches":[{"score":100,"reasons":["same_curp"]`, `"id":"` + testapp.ReturneeA1 + `"`}},
		{Name: "CURP held out of scope: taken, without details", Method: http.MethodGet, URL: query("given_names", "Otra", "first_surname", "Persona", "curp", curp),
			Headers: auth(t, testapp.FieldWorkerB), ExpectedStatus: 200,
			ExpectedContent: []string{`"curp_taken":true`, `"matches":[]`}, NotExpectedContent: []string{testapp.ReturneeA1}},
		{Name: "expand works as on the list API", Method: http.MethodGet, URL: a1 + "&expand=reception_point", Headers: auth(t, testapp.FieldWorkerA),
			ExpectedStatus: 200, ExpectedContent: []string{`"expand":{"reception_point":{`, `"Tijuana"`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = checkApp
		s.Test(t)
	}
}

// Each check leaves an audit entry (who and when, nothing of the query);
// the (CheckLimit+1)th of an account in CheckWindow is refused with 429,
// other accounts are not, and the limit lifts once the window has passed.
func TestCheckDuplicate_LimitAndAudit(t *testing.T) {
	app := checkApp(t)
	srv := testapp.Serve(t, app)
	q := url.Values{"given_names": {"Ma. Jose"}, "first_surname": {"Perez"}, "birth_date": {"1990-05-17"},
		"curp": {validCURP(t, curpA1First16)}}
	path := "/api/returnees/check-duplicate?" + q.Encode()
	checks := func(who string) []*core.Record {
		t.Helper()
		records, err := app.FindAllRecords("audit_log", dbx.HashExp{"action": dedup.AuditCheck, "actor_id": who})
		if err != nil {
			t.Fatal(err)
		}
		return records
	}

	for i := range dedup.CheckLimit {
		var out map[string]any
		if status := call(t, srv, testapp.FieldWorkerA, http.MethodGet, path, nil, &out); status != http.StatusOK {
			t.Fatalf("check %d: %d %v", i+1, status, out)
		}
		if got := len(checks(testapp.FieldWorkerA)); got != i+1 {
			t.Fatalf("after check %d: %d audit entries", i+1, got)
		}
	}
	var out map[string]any
	if status := call(t, srv, testapp.FieldWorkerA, http.MethodGet, path, nil, &out); status != http.StatusTooManyRequests ||
		!strings.Contains(fmt.Sprint(out["message"]), "Too many duplicate checks") {
		t.Fatalf("check %d: %d %v, want 429", dedup.CheckLimit+1, status, out)
	}
	if got := len(checks(testapp.FieldWorkerA)); got != dedup.CheckLimit {
		t.Errorf("a refused check was audited: %d entries", got)
	}
	entry := checks(testapp.FieldWorkerA)[0]
	if entry.GetString("actor_collection") != "staff" || entry.GetString("collection_name") != "returnees" ||
		entry.GetString("record_id") != "" || entry.GetString("fields") != "[]" || entry.GetDateTime("created").IsZero() {
		t.Errorf("audit entry: %v", entry.FieldsData())
	}
	raw, _ := json.Marshal(entry.FieldsData())
	for _, value := range []string{"Jose", "Perez", "1990-05-17", curpA1First16} {
		if strings.Contains(string(raw), value) {
			t.Errorf("the audit entry holds %q: %s", value, raw)
		}
	}

	// another account has its own count
	if status := call(t, srv, testapp.FieldWorkerB, http.MethodGet, path, nil, nil); status != http.StatusOK {
		t.Errorf("another field worker: %d", status)
	}
	// the window passes (the audit log is append-only: raw SQL moves it)
	_, err := app.DB().NewQuery("UPDATE audit_log SET created = {:at}").
		Bind(dbx.Params{"at": types.NowDateTime().Add(-dedup.CheckWindow - time.Minute).String()}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if status := call(t, srv, testapp.FieldWorkerA, http.MethodGet, path, nil, nil); status != http.StatusOK {
		t.Errorf("after the window: %d", status)
	}
}
