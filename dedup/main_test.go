package dedup_test

// The tests of this package run against real apps cloned from the migrated
// template of internal/testapp (fixtures: people A1 and A2 at Tijuana, B1 at
// Matamoros), through PocketBase's router: tests.ApiScenario tables, or a
// loopback server for devices that sync.

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// newApp is a template clone with the superuser (with a fixed token key:
// one token is valid in every clone, as the fixtures' tokens are).
func newApp(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	testapp.AddSuperuser(t, app)
	return app
}

// newServed is newApp and its router on loopback until t ends.
func newServed(t testing.TB) (*tests.TestApp, *httptest.Server) {
	t.Helper()
	app := newApp(t)
	return app, testapp.Serve(t, app)
}

// tokens are valid in every clone: the auth records, their token keys and
// the collections' secrets are cloned with the database.
var tokens = map[string]string{}

// token returns the auth token of a fixture staff member, of a returnee
// account ("account:<id>"), or of the superuser ("superuser").
func token(t testing.TB, who string) string {
	t.Helper()
	if tok, ok := tokens[who]; ok {
		return tok
	}
	app := newApp(t)
	var tok string
	switch {
	case who == "superuser":
		tok = testapp.Token(t, app, core.CollectionNameSuperusers, testapp.Superuser)
	case len(who) > 8 && who[:8] == "account:":
		tok = testapp.Token(t, app, "returnee_accounts", who[8:])
	default:
		tok = testapp.Token(t, app, "staff", who)
	}
	tokens[who] = tok
	return tok
}

func auth(t testing.TB, who string) map[string]string {
	return map[string]string{"Authorization": token(t, who)}
}

// call sends a request to srv as who ("" for a guest) and decodes the JSON
// answer into out (if not nil).
func call(t testing.TB, srv *httptest.Server, who, method, path string, body any, out any) int {
	t.Helper()
	tok := ""
	if who != "" {
		tok = token(t, who)
	}
	status, raw := testapp.Request(t, srv.URL, tok, method, path, body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s: %v", method, path, status, raw, err)
		}
	}
	return status
}

// person returns the fields of a returnee at Tijuana going to Guerrero.
func person(app core.App, id, given, first, second, born string) map[string]any {
	return map[string]any{
		"id": id, "given_names": given, "first_surname": first, "second_surname": second,
		"birth_date": born, "sex": "M", "birth_state": testapp.ID(app, "states", "curp_code", "GR"),
		"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana"),
	}
}

// pairs returns the duplicate candidate pairs naming id.
func pairs(t testing.TB, app core.App, id string) []*core.Record {
	t.Helper()
	records, err := app.FindAllRecords("duplicate_candidates",
		dbx.Or(dbx.HashExp{"returnee": id}, dbx.HashExp{"candidate": id}, dbx.HashExp{"merged_from": id}))
	if err != nil {
		t.Fatal(err)
	}
	return records
}
