package dedup_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// curpA1First16 starts the CURP that checkApp gives fixture A1 ("María José
// Pérez López", 1990-05-17, Tijuana).
const curpA1First16 = "PELM900517MGRRPR"

// checkApp is a template clone where A1 holds a CURP.
func checkApp(t testing.TB) *tests.TestApp {
	app := newApp(t)
	a1, err := app.FindRecordById("returnees", testapp.ReturneeA1)
	if err != nil {
		t.Fatal(err)
	}
	a1.Set("curp", validCURP(t, curpA1First16))
	if err := app.Save(a1); err != nil {
		t.Fatal(err)
	}
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
		{Name: "coordinator of the state finds A1", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.CoordBC),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + testapp.ReturneeA1 + `"`}},
		{Name: "NODESS staff with A1's consent finds her", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.NodessStaff1),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + testapp.ReturneeA1 + `"`}},
		{Name: "NODESS staff without it does not", Method: http.MethodGet, URL: a1, Headers: auth(t, testapp.NodessStaff2),
			ExpectedStatus: 200, ExpectedContent: []string{`"matches":[]`}, NotExpectedContent: []string{testapp.ReturneeA1}},
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
