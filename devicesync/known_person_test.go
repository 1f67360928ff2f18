package devicesync_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// giveCURP saves a valid CURP, built from their names, on a fixture person.
func giveCURP(t *testing.T, app core.App, id string) string {
	t.Helper()
	p := testapp.Find(t, app, "returnees", id)
	born, _ := time.Parse(time.DateOnly, p.GetString("birth_date"))
	state, _ := app.FindRecordById("states", p.GetString("birth_state"))
	code := "NE"
	if state != nil {
		code = state.GetString("curp_code")
	}
	c := curp.Build(p.GetString("first_surname"), p.GetString("second_surname"), p.GetString("given_names"), born, p.GetString("sex"), code, '0')
	testapp.Update(t, app, "returnees", id, map[string]any{"curp": c})
	return c
}

// knownA2 returns a served template clone where ReturneeA2 (registered at
// Tijuana) holds a CURP, that CURP, and a device clientID of field worker B
// (Matamoros).
func knownA2(t *testing.T, clientID string) (*tests.TestApp, *httptest.Server, string, *device) {
	t.Helper()
	app, srv := testapp.NewServed(t)
	known := giveCURP(t, app, testapp.ReturneeA2)
	return app, srv, known, newDevice(t, srv, app, "staff", testapp.FieldWorkerB, clientID)
}

// registration is what the web app pushes when a field worker registers
// someone: the person (with a claim code's hash), the return under the
// person's id, and a consent.
func registration(prefix, id, point, personCURP, code string, person map[string]any) []devicesync.Mutation {
	fields := map[string]any{"curp": personCURP, "reception_point": point, "repatriation_date": "2026-12-01",
		"claim_hash": claim.Hash(id, code)}
	for k, v := range person {
		fields[k] = v
	}
	return []devicesync.Mutation{
		mutation(prefix+"-person", "returnees", id, "create", 0, fields),
		mutation(prefix+"-return", "returns", id, "create", 0, map[string]any{"returnee": id, "reception_point": point,
			"repatriation_date": "2026-12-01", "registered_at": "2026-12-01 17:00:00.000Z", "services": []string{"food"}, "identity_confirmed": true}),
		mutation(prefix+"-consent", "consents", "c"+id[1:], "create", 0, map[string]any{"returnee": id, "purpose": "contact_whatsapp",
			"granted": true, "notice_version": "2026-01", "method": "verbal"}),
	}
}

// A person registered at Tijuana, registered again offline at Matamoros with
// the same CURP: the push makes the registration a new return of the same
// person (merged, with the person's id), applies the consent made with it to
// the person, keeps the code handed out, records the scope that Matamoros
// gained for the coordinator, merges a new phone field by field, and answers
// a retry the same without doing anything twice.
func TestPush_KnownCURPBecomesANewReturn(t *testing.T) {
	app, srv, known, b := knownA2(t, "fw-b-known")
	matamoros := pointID(app, "Matamoros")

	const device, code = "devicejuan00001", "4839201756"
	ms := registration("known", device, matamoros, known, code, map[string]any{"given_names": "Juan", "first_surname": "García",
		"birth_date": "1985-01-02", "sex": "H", "phone": "+528681234567", "destination_state": testapp.ID(app, "states", "curp_code", "TS")})
	res := b.push(ms...)

	if res[0].Status != devicesync.StatusMerged || res[0].RecordID != testapp.ReturneeA2 || res[0].Record == nil {
		t.Fatalf("registration of a known CURP: %+v", res[0])
	}
	if !hasConflict(res[0], "destination_state") {
		t.Errorf("the new destination state should be reported as a merge over the server's: %+v", res[0].Conflicts)
	}
	for _, r := range res[1:] {
		if r.Status != devicesync.StatusApplied {
			t.Errorf("%s: %+v %+v", r.MutationID, r, r.Error)
		}
	}
	person, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	if person.GetString("reception_point") != matamoros || person.GetString("previous_point") != pointID(app, "Tijuana") ||
		person.GetString("phone") != "+528681234567" {
		t.Errorf("person after the return: point %s, previous %s, phone %s", person.GetString("reception_point"),
			person.GetString("previous_point"), person.GetString("phone"))
	}
	if _, err := app.FindRecordById("returnees", device); err == nil {
		t.Error("a second person was created")
	}
	ret, err := app.FindRecordById("returns", device)
	if err != nil || ret.GetString("returnee") != testapp.ReturneeA2 || !ret.GetBool("identity_confirmed") ||
		len(ret.GetStringSlice("services")) != 1 || ret.GetString("registered_by") != testapp.FieldWorkerB {
		t.Fatalf("the new return: %v %v", ret, err)
	}
	if n := testapp.Count(t, app, "returns", dbx.HashExp{"returnee": testapp.ReturneeA2}); n != 2 {
		t.Errorf("returns of the person: %d, want 2", n)
	}
	if n := testapp.Count(t, app, "consents", dbx.HashExp{"returnee": testapp.ReturneeA2, "purpose": "contact_whatsapp"}); n != 1 {
		t.Errorf("the consent made with the registration: %d", n)
	}
	grant, err := app.FindFirstRecordByData("scope_grants", "return_event", device)
	if err != nil || grant.GetString("granted_by") != testapp.FieldWorkerB || !grant.GetBool("identity_confirmed") ||
		grant.GetString("state") != testapp.ID(app, "states", "curp_code", "TS") {
		t.Errorf("scope grant for the coordinator: %v %v", grant, err)
	}

	// the retry of a lost answer changes nothing and answers the same
	again := b.push(ms...)
	if again[0].Status != devicesync.StatusMerged || again[0].RecordID != testapp.ReturneeA2 {
		t.Errorf("retry: %+v", again[0])
	}
	if n := testapp.Count(t, app, "returns", dbx.HashExp{"returnee": testapp.ReturneeA2}); n != 2 {
		t.Errorf("returns after the retry: %d, want 2", n)
	}

	// a later change the device made to its own copy reaches the person
	later := b.push(mutation("known-later", "returnees", device, "update", 0, map[string]any{"skills": "soldadura"}))
	if later[0].Status != devicesync.StatusApplied || later[0].RecordID != testapp.ReturneeA2 {
		t.Errorf("update under the device's id: %+v", later[0])
	}
	if p, _ := app.FindRecordById("returnees", testapp.ReturneeA2); p.GetString("skills") != "soldadura" {
		t.Errorf("skills: %q", p.GetString("skills"))
	}

	// the code handed out offline works
	status, body := testapp.Request(t, srv.URL, "", http.MethodPost, "/api/returnee-accounts/claim",
		map[string]any{"curp": known, "code": code, "password": "una-clave-larga-1", "passwordConfirm": "una-clave-larga-1"})
	if status != http.StatusOK {
		t.Errorf("claim with the code given at Matamoros: %d %s", status, body)
	}
}

// Two devices register the same new CURP offline at once: one person with two
// returns.
func TestPush_SameNewCURPOnTwoDevices(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-same")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-same")
	born, _ := time.Parse(time.DateOnly, "1992-03-14")
	c := curp.Build("Ramírez", "Soto", "Pedro", born, "H", "SR", '0')
	person := map[string]any{"given_names": "Pedro", "first_surname": "Ramírez", "second_surname": "Soto", "birth_date": "1992-03-14",
		"sex": "H", "birth_state": testapp.ID(app, "states", "curp_code", "SR"), "destination_state": testapp.ID(app, "states", "curp_code", "SR")}
	ra := a.push(registration("same-a", "pedroondevicea1", pointID(app, "Tijuana"), c, "1111111111", person)...)
	rb := b.push(registration("same-b", "pedroondeviceb1", pointID(app, "Matamoros"), c, "2222222222", person)...)
	if ra[0].Status != devicesync.StatusApplied || rb[0].Status != devicesync.StatusMerged || rb[0].RecordID != "pedroondevicea1" {
		t.Fatalf("first device: %+v %+v; second: %+v %+v", ra[0], ra[0].Error, rb[0], rb[0].Error)
	}
	if n := testapp.Count(t, app, "returnees", dbx.HashExp{"curp": c}); n != 1 {
		t.Errorf("people with the CURP: %d", n)
	}
	if n := testapp.Count(t, app, "returns", dbx.HashExp{"returnee": "pedroondevicea1"}); n != 2 {
		t.Errorf("returns: %d, want 2", n)
	}
	if n := testapp.Count(t, app, "consents", dbx.HashExp{"returnee": "pedroondevicea1"}); n != 2 {
		t.Errorf("consents: %d, want both", n)
	}
}

// A registration rebound by its CURP is refused like any registration when
// its return is bad, and a worker cannot open more than MaxScopeGains people
// a day that way.
func TestPush_KnownCURPRefusals(t *testing.T) {
	app, _, known, b := knownA2(t, "fw-b-known-refusals")
	matamoros := pointID(app, "Matamoros")
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	res := b.push(mutation("known-future", "returnees", "knownfuture0001", "create", 0, map[string]any{"curp": known,
		"given_names": "Juan", "first_surname": "García", "birth_date": "1985-01-02", "sex": "H",
		"reception_point": matamoros, "repatriation_date": tomorrow}))
	if res[0].Status != devicesync.StatusRejected || res[0].Error.Fields["repatriation_date"] == "" {
		t.Errorf("a rebound registration with a future date: %+v", res[0])
	}
	if p, _ := app.FindRecordById("returnees", testapp.ReturneeA2); p.GetString("reception_point") == matamoros {
		t.Error("a refused registration moved the person")
	}
	if n := testapp.Count(t, app, "scope_grants", dbx.HashExp{}); n != 0 {
		t.Errorf("scope grants after a refusal: %d", n)
	}

	// a worker who opened MaxScopeGains people today opens no more
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	for i := range hooks.MaxScopeGains {
		id := fmt.Sprintf("grantfill%06d", i)
		_, err := app.DB().NewQuery(`INSERT INTO scope_grants (id, returnee, return_event, reception_point, granted_by, state, created, updated)
			VALUES ({:id}, {:p}, {:id}, {:point}, {:by}, '', {:now}, {:now})`).
			Bind(dbx.Params{"id": id, "p": testapp.ReturneeB1, "point": matamoros, "by": testapp.FieldWorkerB, "now": now}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
	res = b.push(mutation("known-limit", "returnees", "knownlimit00001", "create", 0, map[string]any{"curp": known,
		"given_names": "Juan", "first_surname": "García", "birth_date": "1985-01-02", "sex": "H",
		"reception_point": matamoros, "repatriation_date": "2026-12-01"}))
	if res[0].Status != devicesync.StatusRejected || res[0].Error.FieldCodes["returnee"] != "scope_gain_limit" {
		t.Errorf("over the day's limit: %+v %+v", res[0], res[0].Error)
	}
}

func hasConflict(r devicesync.Result, field string) bool {
	for _, c := range r.Conflicts {
		if c.Field == field {
			return true
		}
	}
	return false
}
