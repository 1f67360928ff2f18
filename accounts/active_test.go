package accounts_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// Accounts the fixtures lack: a NODESS of Baja California alone, its staff
// member, a second coordinator of Baja California, and a field worker of
// Mexicali (also Baja California).
const (
	nodessBC      = "nodessbcnorte01"
	nodessStaffBC = "staffnodessbc01"
	coordBC2      = "staffcoordbc002"
	workerBC2     = "staffworkermxl1"
)

// addAccounts writes the accounts above.
func addAccounts(t *testing.T, app core.App) {
	t.Helper()
	bc := testapp.ID(app, "states", "curp_code", "BC")
	testapp.Save(t, app, "nodess", map[string]any{"id": nodessBC, "name": "NODESS Frontera", "region": "frontera_norte", "states": []string{bc}})
	for _, s := range []map[string]any{
		{"id": nodessStaffBC, "email": "nbc@retorno.test", "name": "Nadia", "role": "nodess_staff", "nodess": nodessBC},
		{"id": coordBC2, "email": "coord.bc2@retorno.test", "name": "Claudia", "role": "coordinator", "state": bc},
		{"id": workerBC2, "email": "fw.mxl@retorno.test", "name": "Mario", "role": "field_worker", "reception_point": testapp.ID(app, "reception_points", "city", "Mexicali")},
	} {
		s["password"] = testapp.Password
		testapp.Save(t, app, "staff", s)
	}
}

// TestSwitch_WhoMay: through REST, a coordinator switches off (and on) the
// field workers of their state's points and the NODESS staff of a node of
// their state alone, not other states', not coordinators, not themselves, and
// no other field; superusers switch anyone; nobody else anything. Each switch
// is audited with who did it.
func TestSwitch_WhoMay(t *testing.T) {
	cases := []struct {
		who    [2]string // auth collection, id
		target string
		body   string
		status int
	}{
		{[2]string{"staff", testapp.CoordBC}, testapp.FieldWorkerA, `{"active":false}`, http.StatusOK},
		{[2]string{"staff", testapp.CoordBC}, workerBC2, `{"active":false}`, http.StatusOK},
		{[2]string{"staff", testapp.CoordBC}, nodessStaffBC, `{"active":false}`, http.StatusOK},
		{[2]string{"staff", testapp.CoordBC}, testapp.FieldWorkerB, `{"active":false}`, http.StatusNotFound}, // Tamaulipas
		{[2]string{"staff", testapp.CoordBC}, testapp.NodessStaff1, `{"active":false}`, http.StatusNotFound}, // Guerrero and México
		{[2]string{"staff", testapp.CoordBC}, coordBC2, `{"active":false}`, http.StatusNotFound},
		{[2]string{"staff", testapp.CoordBC}, testapp.CoordBC, `{"active":false}`, http.StatusNotFound},
		{[2]string{"staff", testapp.CoordBC}, testapp.FieldWorkerA, `{"active":false,"name":"Otra"}`, http.StatusBadRequest},
		{[2]string{"staff", testapp.CoordBC}, testapp.FieldWorkerA, `{"role":"coordinator"}`, http.StatusBadRequest},
		{[2]string{"staff", testapp.FieldWorkerA}, workerBC2, `{"active":false}`, http.StatusNotFound},
		{[2]string{"staff", testapp.FieldWorkerA}, testapp.FieldWorkerA, `{"active":false}`, http.StatusNotFound},
		{[2]string{"staff", testapp.NodessStaff1}, testapp.FieldWorkerA, `{"active":false}`, http.StatusNotFound},
		{[2]string{"returnee_accounts", testapp.AccountA1}, testapp.FieldWorkerA, `{"active":false}`, http.StatusNotFound},
		{[2]string{"", ""}, testapp.FieldWorkerA, `{"active":false}`, http.StatusNotFound},
		{[2]string{core.CollectionNameSuperusers, testapp.Superuser}, testapp.FieldWorkerB, `{"active":false}`, http.StatusOK},
		{[2]string{core.CollectionNameSuperusers, testapp.Superuser}, testapp.CoordBC, `{"active":false}`, http.StatusOK},
	}
	for _, c := range cases {
		t.Run(c.who[1]+"→"+c.target+" "+c.body, func(t *testing.T) {
			app, srv := testapp.NewServed(t)
			testapp.AddSuperuser(t, app)
			addAccounts(t, app)
			token := ""
			if c.who[0] != "" {
				token = testapp.Token(t, app, c.who[0], c.who[1])
			}
			status, body := testapp.Request(t, srv.URL, token, http.MethodPatch, "/api/collections/staff/records/"+c.target, c.body)
			if status != c.status {
				t.Fatalf("got %d %s, want %d", status, body, c.status)
			}
			active := testapp.Find(t, app, "staff", c.target).GetBool("active")
			if c.status != http.StatusOK {
				if !active {
					t.Fatal("refused, and yet the account is off")
				}
				return
			}
			if active {
				t.Fatal("answered 200, and the account is still on")
			}
			entry := auditOf(t, app, c.target)
			if entry.GetString("action") != "deactivate" || entry.GetString("actor_id") != c.who[1] || !strings.Contains(entry.GetString("fields"), "active") {
				t.Fatalf("audit entry %v", entry.FieldsData())
			}
		})
	}
}

// auditOf returns the latest audit_log entry about the staff account id.
func auditOf(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	entries, err := app.FindRecordsByFilter("audit_log", "collection_name = 'staff' && record_id = {:id}", "-created", 0, 0, dbx.Params{"id": id})
	if err != nil || len(entries) == 0 {
		t.Fatalf("no audit entry for staff %s: %v", id, err)
	}
	return entries[0]
}

// TestSwitch_Reactivate: the coordinator switches the account on again,
// audited as reactivate; a field error names a change of another field.
func TestSwitch_Reactivate(t *testing.T) {
	app, srv := testapp.NewServed(t)
	setActive(t, app, testapp.FieldWorkerA, false)
	token := testapp.Token(t, app, "staff", testapp.CoordBC)
	status, body := testapp.Request(t, srv.URL, token, http.MethodPatch, "/api/collections/staff/records/"+testapp.FieldWorkerA, `{"active":true}`)
	if status != http.StatusOK || !testapp.Find(t, app, "staff", testapp.FieldWorkerA).GetBool("active") {
		t.Fatalf("reactivation: %d %s", status, body)
	}
	if a := auditOf(t, app, testapp.FieldWorkerA); a.GetString("action") != "reactivate" || a.GetString("actor_id") != testapp.CoordBC {
		t.Fatalf("audit entry %v", a.FieldsData())
	}
	_, body = testapp.Request(t, srv.URL, token, http.MethodPatch, "/api/collections/staff/records/"+testapp.FieldWorkerA, `{"name":"Otra"}`)
	var answer struct {
		Data map[string]struct{ Code string }
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.Data["name"].Code != "not_editable" {
		t.Fatalf("a coordinator renaming staff: %s", body)
	}
}

// TestSwitch_OwnAccount: a write that switches its own actor's account is
// refused on any path (the update rule already keeps coordinators off their
// own record on REST).
func TestSwitch_OwnAccount(t *testing.T) {
	app := testapp.New(t)
	r := testapp.Find(t, app, "staff", testapp.CoordBC)
	actor.Set(r, r.Clone())
	r.Set("active", false)
	err := app.Save(r)
	var errs validation.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("switching one's own account: %v", err)
	}
	if e, ok := errs["active"].(validation.Error); !ok || e.Code() != "own_account" {
		t.Fatalf("switching one's own account: %v", err)
	}
}

// TestCreate_Active: an account is created on, whatever the request says.
func TestCreate_Active(t *testing.T) {
	app, srv := testapp.NewServed(t)
	testapp.AddSuperuser(t, app)
	token := testapp.Token(t, app, core.CollectionNameSuperusers, testapp.Superuser)
	status, body := testapp.Request(t, srv.URL, token, http.MethodPost, "/api/collections/staff/records", map[string]any{
		"id": "staffnewworker1", "email": "nuevo@retorno.test", "password": testapp.Password, "passwordConfirm": testapp.Password,
		"name": "Nuevo", "role": "field_worker", "reception_point": testapp.ID(app, "reception_points", "city", "Tijuana"), "active": false,
	})
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	if !testapp.Find(t, app, "staff", "staffnewworker1").GetBool("active") {
		t.Fatal("a new account is off")
	}
	for _, id := range []string{testapp.FieldWorkerA, testapp.CoordBC} {
		if !testapp.Find(t, app, "staff", id).GetBool("active") {
			t.Fatalf("the migration left %s off", id)
		}
	}
}
