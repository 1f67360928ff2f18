package savings_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/savings"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// addGroup saves a savings group of NODESS N1 in Guerrero, active, with the
// cycle 2026-09-01..2027-06-30; fields override the defaults.
func addGroup(t testing.TB, app core.App, id string, fields map[string]any) {
	t.Helper()
	base := map[string]any{"id": id, "name": "Grupo " + id, "nodess": testapp.NodessN1,
		"state": testapp.ID(app, "states", "curp_code", "GR"), "methodology": "vsla",
		"share_value_cents": 2000, "min_shares": 1, "max_shares": 5, "monthly_interest_bp": 500,
		"cycle_start": "2026-09-01", "cycle_end": "2027-06-30", "status": "active"}
	for k, v := range fields {
		base[k] = v
	}
	testapp.Save(t, app, "savings_groups", base)
}

// addMember registers a returnee (a distinct name and birth date for each
// n, so nobody looks like anybody else) and their membership of group with
// status; it returns the membership id.
func addMember(t testing.TB, app core.App, group string, n int, status string) string {
	t.Helper()
	returnee := fmt.Sprintf("r%s%02d", group[:12], n)
	member := fmt.Sprintf("m%s%02d", group[:12], n)
	testapp.Save(t, app, "returnees", map[string]any{"id": returnee, "given_names": "Integrante " + string(rune('A'+n%26)) + fmt.Sprint(n),
		"first_surname": "Ahorro " + group[:12], "birth_date": fmt.Sprintf("19%02d-%02d-%02d", 60+n%40, 1+n%12, 1+n%28), "sex": "M",
		"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana"), "registered_by": testapp.FieldWorkerA})
	testapp.Save(t, app, "group_members", map[string]any{"id": member, "group": group, "returnee": returnee, "status": status, "joined_on": "2026-09-01"})
	return member
}

// entry is the fields of a ledger entry.
func entry(id, group, member, typ string, shares, amount any, date string) map[string]any {
	return map[string]any{"id": id, "group": group, "member": member, "type": typ, "shares": shares, "amount_cents": amount, "meeting_date": date}
}

// client calls srv as the user of token ("" for a guest).
type client struct {
	t     testing.TB
	srv   *httptest.Server
	token string
}

func (c client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	return testapp.Request(c.t, c.srv.URL, c.token, method, path, body)
}

// summary returns the summary of group as c's user gets it, failing on a
// non-200.
func (c client) summary(group string) savings.Summary {
	c.t.Helper()
	status, body := c.do(http.MethodGet, "/api/savings-groups/"+group+"/summary", nil)
	var s savings.Summary
	if err := json.Unmarshal(body, &s); err != nil || status != http.StatusOK {
		c.t.Fatalf("summary: %d %s", status, body)
	}
	return s
}

// push sends mutations to /api/sync/push as client id, failing on a non-200.
func (c client) push(clientID string, ms []devicesync.Mutation) []devicesync.Result {
	c.t.Helper()
	status, body := c.do(http.MethodPost, "/api/sync/push", devicesync.PushRequest{ClientID: clientID, SchemaVersion: 1, Mutations: ms})
	if status != http.StatusOK {
		c.t.Fatalf("push: %d %s", status, body)
	}
	var res devicesync.PushResponse
	if err := json.Unmarshal(body, &res); err != nil {
		c.t.Fatal(err)
	}
	if len(res.Results) != len(ms) {
		c.t.Fatalf("push: %d results for %d mutations", len(res.Results), len(ms))
	}
	return res.Results
}

func staffClient(t testing.TB, app core.App, srv *httptest.Server, id string) client {
	return client{t: t, srv: srv, token: testapp.Token(t, app, "staff", id)}
}

// countEntries counts the ledger entries of group.
func countEntries(t testing.TB, app core.App, group string) int {
	t.Helper()
	n, err := app.CountRecords("ledger_entries", dbx.HashExp{"group": group})
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// A coordinator of Guerrero (GroupN1's state) is not a fixture of the
// template, nor is the superuser: factory adds them to each clone with fixed
// ids and token keys, so that one token is valid in every clone.
const coordGR = "staffcoordgr001"

// factory is the TestAppFactory of the scenarios: a template clone with the
// superuser and the coordinator of Guerrero.
func factory(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	testapp.AddSuperuser(t, app)
	staff, err := app.FindCachedCollectionByNameOrId("staff")
	if err != nil {
		t.Fatal(err)
	}
	coord := core.NewRecord(staff)
	coord.Id = coordGR
	coord.SetEmail("coord.gr@retorno.test")
	coord.SetTokenKey("retorno-savings-test-token-key-of-" + coordGR)
	coord.Set("name", "Coordinación Guerrero")
	coord.Set("role", "coordinator")
	coord.Set("state", testapp.ID(app, "states", "curp_code", "GR"))
	// no password: the tests never sign in with one
	if err := app.SaveNoValidate(coord); err != nil {
		t.Fatal(err)
	}
	return app
}

// tokens are the auth tokens of the callers of the route tables, valid in
// every clone made by factory.
func tokens(t testing.TB) map[string]string {
	app := factory(t)
	out := map[string]string{"guest": ""}
	for name, id := range map[string]string{"nodess staff N1": testapp.NodessStaff1, "nodess staff N2": testapp.NodessStaff2,
		"field worker": testapp.FieldWorkerA, "coordinator BC": testapp.CoordBC, "coordinator GR": coordGR} {
		out[name] = testapp.Token(t, app, "staff", id)
	}
	out["member A1"] = testapp.Token(t, app, "returnee_accounts", testapp.AccountA1)
	out["returnee B1"] = testapp.Token(t, app, "returnee_accounts", testapp.AccountB1)
	out["superuser"] = testapp.Token(t, app, core.CollectionNameSuperusers, testapp.Superuser)
	return out
}

// restIDs lists, sorted, the ids of collection the REST list API gives c's
// user.
func restIDs(t testing.TB, c client, collection string) []string {
	t.Helper()
	return slices.Sorted(maps.Keys(testapp.ListRevs(t, c.srv.URL, c.token, collection)))
}
