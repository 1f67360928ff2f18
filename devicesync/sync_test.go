package devicesync_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestPull_InitialSyncEqualsRESTList(t *testing.T) {
	app, srv := testapp.NewServed(t)
	for _, who := range []struct{ collection, id string }{
		{"staff", testapp.FieldWorkerA}, {"staff", testapp.FieldWorkerB}, {"staff", testapp.NodessStaff1},
		{"staff", testapp.NodessStaff2}, {"staff", testapp.CoordBC},
		{"returnee_accounts", testapp.AccountA1}, {"returnee_accounts", testapp.AccountB1},
	} {
		d := newDevice(t, srv, app, who.collection, who.id, "device-"+who.id)
		changes, _ := d.pullAll()
		r := replica{}
		r.apply(changes)
		d.converged(r, syncedCollections...)
	}
}

// A coordinator's devices keep no personal data (their screens read it
// online): the initial pull and later changes bring reference data and
// programmes only, though the REST API lists the state's people to them.
func TestPull_CoordinatorKeepsNoPersonalData(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.CoordBC, "coord-bc-phone")
	if len(d.restIDs("returnees")) == 0 {
		t.Fatal("the coordinator lists no returnees: the test proves nothing")
	}
	changes, _ := d.pullAll()
	testapp.Update(t, app, "returnees", testapp.ReturneeA2, map[string]any{"phone": "+526641230000"})
	later, _ := d.pullAll()
	pulled := map[string]int{}
	for _, c := range append(changes, later...) {
		pulled[c.Collection]++
	}
	for name := range pulled {
		if c, _ := catalog.Lookup(name); c.Audited {
			t.Errorf("the coordinator's device pulled %d records of %s", pulled[name], name)
		}
	}
	if pulled["states"] == 0 || pulled["training_courses"] == 0 {
		t.Errorf("the coordinator's device lacks reference data or courses: %v", pulled)
	}
}

func TestPush_CreateThenRetryIsDuplicate(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	tijuana := testapp.ID(app, "reception_points", "city", "Tijuana")
	gr := testapp.ID(app, "states", "curp_code", "GR")
	create := mutation("mut-create-0001", "returnees", "newreturnee0001", "create", 0, map[string]any{
		"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1992-03-04", "sex": "H",
		"reception_point": tijuana, "destination_state": gr, "registered_by": testapp.FieldWorkerB,
	})
	res := d.push(create)
	if got, want := res[0].Status, devicesync.StatusApplied; got != want {
		t.Fatalf("status = %s, want %s (%+v)", got, want, res[0].Error)
	}
	var rec map[string]any
	_ = json.Unmarshal(res[0].Record, &rec)
	if rec["registered_by"] != testapp.FieldWorkerA || res[0].Rev != 1 {
		t.Errorf("record = %v rev %d; want registered_by set by the server and rev 1", rec, res[0].Rev)
	}

	again := d.push(create)
	if got, want := again[0].Status, devicesync.StatusDuplicate; got != want {
		t.Fatalf("retry status = %s, want %s", got, want)
	}
	if again[0].Rev != 1 || !json.Valid(again[0].Record) || len(again[0].Record) == 0 {
		t.Errorf("a duplicate answers with the current record: rev %d record %s", again[0].Rev, again[0].Record)
	}
	n, _ := app.CountRecords("returnees")
	if n != 4 {
		t.Errorf("returnees = %d, want 4 (three fixtures and one registration)", n)
	}
	changes, _ := d.pullAll()
	if ops(changes)["returnees/newreturnee0001"].Op != "put" {
		t.Errorf("the registration is not in the pull")
	}
}

func TestPush_RejectedMutationIsRecordedAndOthersApply(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	tijuana := testapp.ID(app, "reception_points", "city", "Tijuana")
	matamoros := testapp.ID(app, "reception_points", "city", "Matamoros")
	gr := testapp.ID(app, "states", "curp_code", "GR")
	person := func(curp, point string) map[string]any {
		return map[string]any{"given_names": "Ana", "first_surname": "Luna", "birth_date": "1956-06-26", "sex": "M",
			"reception_point": point, "destination_state": gr, "curp": curp}
	}
	res := d.push(
		mutation("mut-bad-curp-01", "returnees", "badcurp00000001", "create", 0, person("LUXA560626MDFNXN07", tijuana)),
		mutation("mut-good-000001", "returnees", "goodcurp0000001", "create", 0, person("LUXA560626MDFNXN06", tijuana)),
		mutation("mut-other-point", "returnees", "otherpoint00001", "create", 0, person("", matamoros)),
		mutation("mut-unknown-col", "audit_log", "whatever0000001", "create", 0, map[string]any{}),
		mutation("mut-b1-update01", "returnees", testapp.ReturneeB1, "update", 1, map[string]any{"phone": "+521234567890"}),
		mutation("mut-ledger-edit", "ledger_entries", testapp.EntryA1, "update", 1, map[string]any{"note": "x"}),
	)
	want := []struct{ status, code, field string }{
		{"rejected", "validation_failed", "curp"},
		{"applied", "", ""},
		{"rejected", "validation_failed", "reception_point"},
		{"rejected", "unknown_collection", ""},
		{"rejected", "not_found", ""},
		{"rejected", "immutable", ""},
	}
	for i, w := range want {
		r := res[i]
		if r.Status != w.status {
			t.Errorf("%s: status = %s, want %s (%+v)", r.MutationID, r.Status, w.status, r.Error)
			continue
		}
		if w.code != "" && (r.Error == nil || r.Error.Code != w.code) {
			t.Errorf("%s: error = %+v, want code %s", r.MutationID, r.Error, w.code)
		}
		if w.field != "" && (r.Error == nil || r.Error.Fields[w.field] == "") {
			t.Errorf("%s: error = %+v, want a field error on %s", r.MutationID, r.Error, w.field)
		}
	}
	if _, err := app.FindRecordById("returnees", "badcurp00000001"); err == nil {
		t.Error("the rejected registration was saved")
	}
	if msg := res[0].Error.Fields["curp"]; msg == "" || strings.HasPrefix(msg, "map[") {
		t.Errorf("the curp error should be its message, got %q", msg)
	}
	rejected, _ := app.FindAllRecords("sync_conflicts")
	if got := len(rejected); got != 5 {
		t.Errorf("sync_conflicts = %d, want the 5 rejections recorded", got)
	}

	// a resent rejected mutation answers the same refusal and is not recorded twice
	again := d.push(mutation("mut-bad-curp-01", "returnees", "badcurp00000001", "create", 0, person("LUXA560626MDFNXN07", tijuana)))
	if again[0].Status != "rejected" || again[0].Error == nil || again[0].Error.Fields["curp"] != res[0].Error.Fields["curp"] {
		t.Errorf("resent rejection: %+v", again[0])
	}
	if n, _ := app.CountRecords("sync_conflicts"); n != 5 {
		t.Errorf("sync_conflicts = %d after the resend, want still 5", n)
	}
}

func TestPush_FieldLevelMerge(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-2")
	person, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	base := person.GetInt("rev")

	// different fields: both survive
	ra := a.push(mutation("mut-a-phone-001", "returnees", testapp.ReturneeA2, "update", base, map[string]any{"phone": "+526641111111"}))
	rb := b.push(mutation("mut-b-skill-001", "returnees", testapp.ReturneeA2, "update", base, map[string]any{"skills": "albañilería"}))
	if ra[0].Status != "applied" || rb[0].Status != "merged" || len(rb[0].Conflicts) != 0 {
		t.Fatalf("different fields: %s / %s %+v", ra[0].Status, rb[0].Status, rb[0].Conflicts)
	}
	person, _ = app.FindRecordById("returnees", testapp.ReturneeA2)
	if person.GetString("phone") != "+526641111111" || person.GetString("skills") != "albañilería" {
		t.Fatalf("both edits should survive: phone %q skills %q", person.GetString("phone"), person.GetString("skills"))
	}

	// same field: the later push wins, the loser is recorded
	base = person.GetInt("rev")
	a.push(mutation("mut-a-phone-002", "returnees", testapp.ReturneeA2, "update", base, map[string]any{"phone": "+526642222222"}))
	rb = b.push(mutation("mut-b-phone-002", "returnees", testapp.ReturneeA2, "update", base, map[string]any{"phone": "+526643333333"}))
	if rb[0].Status != "merged" || len(rb[0].Conflicts) != 1 || rb[0].Conflicts[0].Field != "phone" {
		t.Fatalf("same field: %s %+v", rb[0].Status, rb[0].Conflicts)
	}
	person, _ = app.FindRecordById("returnees", testapp.ReturneeA2)
	if got := person.GetString("phone"); got != "+526643333333" {
		t.Errorf("phone = %s, want the later push", got)
	}
	conflicts, _ := app.FindAllRecords("sync_conflicts", nil)
	found := false
	for _, c := range conflicts {
		if c.GetString("kind") == "field_conflict" && c.GetString("field") == "phone" && c.GetString("lost") == `"+526642222222"` {
			found = true
		}
	}
	if !found {
		t.Errorf("the overwritten phone is not in sync_conflicts: %v", conflicts)
	}

	// both devices converge
	for _, d := range []*device{a, b} {
		changes, _ := d.pullAll()
		var rec map[string]any
		_ = json.Unmarshal(ops(changes)["returnees/"+testapp.ReturneeA2].Record, &rec)
		if rec["phone"] != "+526643333333" || rec["skills"] != "albañilería" {
			t.Errorf("%s sees %v", d.clientID, rec)
		}
	}
}

// Pull pages are built Config.PullsAtOnce at a time: while one pull holds
// the only slot, the next waits (a device whose request ends stops
// waiting), and it is served once the slot is free.
func TestPull_PagesBuiltAtOnceAreBounded(t *testing.T) {
	bound := hooks.SyncConfig.PullsAtOnce
	hooks.SyncConfig.PullsAtOnce = 1
	app, srv := testapp.NewServed(t)
	hooks.SyncConfig.PullsAtOnce = bound // read when the engine was registered

	held, release := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	app.OnRecordEnrich(catalog.Returnees).BindFunc(func(e *core.RecordEnrichEvent) error {
		if first.CompareAndSwap(false, true) { // only the first record of the first pull waits
			close(held)
			<-release
		}
		return e.Next()
	})
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-slot-1")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-slot-1")
	answered := make(chan int, 1)
	go func() { answered <- pullStatus(context.Background(), a) }()
	<-held // A's page is being built

	waiting, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if status := pullStatus(waiting, b); status != 0 {
		t.Errorf("a pull while the only slot was held was answered %d", status)
	}
	close(release)
	if status := <-answered; status != http.StatusOK {
		t.Errorf("the pull that held the slot: %d", status)
	}
	if status := pullStatus(context.Background(), b); status != http.StatusOK {
		t.Errorf("a pull once the slot was free: %d", status)
	}
}

// pullStatus is the status of d's pull of a first page, or 0 when the
// request ended without an answer (ctx).
func pullStatus(ctx context.Context, d *device) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/api/sync/pull?client_id="+d.clientID, nil)
	if err != nil {
		return -1
	}
	req.Header.Set("Authorization", d.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}
