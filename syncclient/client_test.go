package syncclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// device returns a client of the staff member staffID on srv, with a fresh
// memory store and short retry delays.
func device(t *testing.T, app core.App, srv *httptest.Server, staffID string) *syncclient.Client {
	t.Helper()
	return &syncclient.Client{
		BaseURL:    srv.URL,
		Token:      testapp.Token(t, app, "staff", staffID),
		RetryDelay: time.Millisecond,
		PullLimit:  7, // several pages even on the small fixture set
	}
}

// person returns the fields of a valid returnee registered at Tijuana.
func person(app core.App, given string) map[string]any {
	return map[string]any{
		"given_names": given, "first_surname": "Prueba", "birth_date": "1988-03-04", "sex": "H",
		"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana"),
	}
}

// localIDs lists the ids of collection in the client's copy, in the order
// the client lists them.
func localIDs(t *testing.T, c *syncclient.Client, collection string) []string {
	t.Helper()
	items, err := c.List(collection)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

func serverRev(t *testing.T, app core.App, collection, id string) int {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("%s/%s on the server: %v", collection, id, err)
	}
	return r.GetInt("rev")
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := syncclient.NewID()
		if len(id) != 15 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
		if m := syncclient.NewMutationID(); len(m) < 8 || len(m) > 64 || seen[m] {
			t.Fatalf("bad or repeated mutation id %q", m)
		}
		seen[syncclient.NewMutationID()] = true
	}
}

// A field worker registers three people offline, edits one before syncing,
// and syncs: each is applied once, and a second device of the same worker
// pulls them.
func TestSync_OfflineRegistrationsAppliedOnceAndSeenByOtherDevice(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := device(t, app, srv, testapp.FieldWorkerA)

	ids := []string{syncclient.NewID(), syncclient.NewID(), syncclient.NewID()}
	for i, id := range ids {
		if err := c.Create("returnees", id, person(app, "Persona "+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Create("returnees", ids[0], person(app, "Otra")); !errors.Is(err, syncclient.ErrExists) {
		t.Errorf("second create of the same id: %v, want ErrExists", err)
	}
	// an edit of a record not pushed yet is folded into its create
	if err := c.Update("returnees", ids[1], map[string]any{"phone": "+526641112233"}); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Pending()
	if len(q) != 3 || q[1].Op != "create" || q[1].Fields["phone"] != "+526641112233" {
		t.Fatalf("queue after create and edit: %+v", q)
	}
	it, ok, err := c.Get("returnees", ids[1])
	if err != nil || !ok || !it.Pending || it.Rev != 0 || it.Fields["phone"] != "+526641112233" {
		t.Fatalf("local view of the pending record: %+v %v %v", it, ok, err)
	}

	rep := testapp.Sync(t, c)
	if rep.Push.Sent != 3 || rep.Push.Applied != 3 || len(rep.Push.Problems) != 0 {
		t.Fatalf("push: %+v", rep.Push)
	}
	if rep.Pull.Pages < 2 {
		t.Errorf("pull took %d pages; the small limit should make several", rep.Pull.Pages)
	}
	for _, id := range ids {
		if rev := serverRev(t, app, "returnees", id); rev != 1 {
			t.Errorf("%s: rev %d on the server, want 1 (applied once)", id, rev)
		}
		it, ok, _ := c.Get("returnees", id)
		if !ok || it.Pending || it.Rev != 1 {
			t.Errorf("%s: local %+v, want the confirmed rev 1", id, it)
		}
	}
	if r, _ := app.FindRecordById("returnees", ids[1]); r.GetString("phone") != "+526641112233" {
		t.Errorf("folded edit lost: phone %q", r.GetString("phone"))
	}
	testapp.Converged(t, c)

	again := testapp.Sync(t, c)
	if again.Push.Sent != 0 {
		t.Errorf("a second sync sent %d mutations", again.Push.Sent)
	}

	other := device(t, app, srv, testapp.FieldWorkerA)
	testapp.Sync(t, other)
	got := localIDs(t, other, "returnees")
	for _, id := range ids {
		if !slices.Contains(got, id) {
			t.Errorf("second device lacks %s", id)
		}
	}
	testapp.Converged(t, other)
	if a, b := mustID(t, c), mustID(t, other); a == b {
		t.Errorf("two devices share the client id %s", a)
	}
}

func mustID(t *testing.T, c *syncclient.Client) string {
	t.Helper()
	id, err := c.ID()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Two devices change different fields of one record offline: after both
// sync, both changes are on the server and on both devices.
func TestSync_ConcurrentEditsOfDifferentFieldsBothSurvive(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c1 := device(t, app, srv, testapp.FieldWorkerA)
	c2 := device(t, app, srv, testapp.FieldWorkerA)
	testapp.Sync(t, c1)
	testapp.Sync(t, c2)

	if err := c1.Update("returnees", testapp.ReturneeA2, map[string]any{"phone": "+526649998877"}); err != nil {
		t.Fatal(err)
	}
	if err := c2.Update("returnees", testapp.ReturneeA2, map[string]any{"skills": "soldadura"}); err != nil {
		t.Fatal(err)
	}
	r1 := testapp.Sync(t, c1)
	r2 := testapp.Sync(t, c2)
	testapp.Sync(t, c1)
	if r1.Push.Applied != 1 || r2.Push.Merged != 1 || len(r2.Push.Results[0].Conflicts) != 0 {
		t.Errorf("results: first %+v, second %+v", r1.Push.Results, r2.Push.Results)
	}
	server, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	if server.GetString("phone") != "+526649998877" || server.GetString("skills") != "soldadura" {
		t.Errorf("server: phone %q skills %q", server.GetString("phone"), server.GetString("skills"))
	}
	for i, c := range []*syncclient.Client{c1, c2} {
		it, _, _ := c.Get("returnees", testapp.ReturneeA2)
		if it.Fields["phone"] != "+526649998877" || it.Fields["skills"] != "soldadura" || it.Rev != server.GetInt("rev") {
			t.Errorf("device %d: %+v", i+1, it)
		}
		testapp.Converged(t, c)
	}
}

// A refused mutation leaves the queue as a problem for the user and does not
// stop the mutation behind it.
func TestPush_RejectedIsKeptAsProblemAndDoesNotBlock(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := device(t, app, srv, testapp.FieldWorkerA)
	bad, good := syncclient.NewID(), syncclient.NewID()
	badFields := person(app, "Mala")
	badFields["curp"] = "XXXX"
	if err := c.Create("returnees", bad, badFields); err != nil {
		t.Fatal(err)
	}
	if err := c.Create("returnees", good, person(app, "Buena")); err != nil {
		t.Fatal(err)
	}
	rep := testapp.Sync(t, c)
	if rep.Push.Rejected != 1 || rep.Push.Applied != 1 {
		t.Fatalf("push: %+v", rep.Push)
	}
	problems, _ := c.Problems()
	if len(problems) != 1 || problems[0].Mutation.RecordID != bad || problems[0].Result.Error == nil ||
		problems[0].Result.Error.Code != devicesync.CodeValidation || problems[0].Result.Error.Fields["curp"] == "" {
		t.Fatalf("problems: %+v", problems)
	}
	if _, ok, _ := c.Get("returnees", bad); ok {
		t.Error("the refused record is still shown on the device")
	}
	testapp.Converged(t, c)
	if again := testapp.Sync(t, c); again.Push.Sent != 0 {
		t.Error("a refused mutation was retried")
	}
	if err := c.DismissProblems(); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Problems(); len(p) != 0 {
		t.Errorf("problems after dismiss: %v", p)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// An edit made while its record's create is on the wire is not folded into
// it (the sent create must stay as sent): it is pushed next, with the rev the
// server gave the create as its base.
func TestPush_EditWhileCreateIsOnTheWire(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := device(t, app, srv, testapp.FieldWorkerA)
	id := syncclient.NewID()
	var once atomic.Bool
	c.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/api/sync/push" && once.CompareAndSwap(false, true) {
			if err := c.Update("returnees", id, map[string]any{"skills": "carpintería"}); err != nil {
				t.Error(err)
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	if err := c.Create("returnees", id, person(app, "Viaje")); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Push(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Batches != 2 || rep.Applied != 2 || rep.Merged != 0 {
		t.Fatalf("push: %+v", rep)
	}
	if rev := serverRev(t, app, "returnees", id); rev != 2 {
		t.Errorf("rev %d, want 2", rev)
	}
	r, _ := app.FindRecordById("returnees", id)
	if r.GetString("skills") != "carpintería" {
		t.Errorf("the edit was lost: %q", r.GetString("skills"))
	}
	testapp.Sync(t, c)
	testapp.Converged(t, c)
}

// Moving the field worker to another reception point resets the device's
// cursor: its copy switches to the new point's people, and its unpushed
// registration survives the reset.
func TestPull_ResetSwitchesToTheNewPointAndKeepsTheQueue(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := device(t, app, srv, testapp.FieldWorkerA)
	testapp.Sync(t, c)
	if got := localIDs(t, c, "returnees"); !slices.Equal(got, []string{testapp.ReturneeA1, testapp.ReturneeA2}) {
		t.Fatalf("before the move: %v", got)
	}

	matamoros := testapp.ID(app, "reception_points", "city", "Matamoros")
	fresh := syncclient.NewID()
	fields := person(app, "Recién")
	fields["reception_point"] = matamoros
	if err := c.Create("returnees", fresh, fields); err != nil {
		t.Fatal(err)
	}
	testapp.Update(t, app, "staff", testapp.FieldWorkerA, map[string]any{"reception_point": matamoros})

	pull, err := c.Pull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !pull.Reset {
		t.Fatal("the pull after the move was not reset")
	}
	if q, _ := c.Pending(); len(q) != 1 || q[0].RecordID != fresh {
		t.Fatalf("queue after the reset: %+v", q)
	}
	if got := localIDs(t, c, "returnees"); !slices.Equal(got, sorted(testapp.ReturneeB1, fresh)) {
		t.Errorf("after the reset: %v, want Matamoros' person and the pending one", got)
	}

	rep := testapp.Sync(t, c)
	if rep.Push.Applied != 1 {
		t.Errorf("push after the reset: %+v", rep.Push)
	}
	if got := localIDs(t, c, "returnees"); !slices.Equal(got, sorted(testapp.ReturneeB1, fresh)) {
		t.Errorf("after the sync: %v", got)
	}
	testapp.Converged(t, c)
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// With the server unreachable, a push fails and the queue stays as it was;
// once the server is reachable the queue is pushed once.
func TestPush_NetworkFailureKeepsTheQueue(t *testing.T) {
	app, srv := testapp.NewServed(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	c := device(t, app, srv, testapp.FieldWorkerA)
	c.BaseURL = closed.URL
	c.MaxAttempts = 2
	ids := []string{syncclient.NewID(), syncclient.NewID()}
	for _, id := range ids {
		if err := c.Create("returnees", id, person(app, "Sin Red")); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.Push(context.Background())
	if err == nil || !syncclient.IsTransient(err) {
		t.Fatalf("push to a closed server: %v, want a transient error", err)
	}
	rep, err := c.Sync(context.Background())
	if err == nil || rep.Attempts != 2 {
		t.Fatalf("sync to a closed server: %v after %d attempts, want an error after 2", err, rep.Attempts)
	}
	q, _ := c.Pending()
	if len(q) != 2 || q[0].RecordID != ids[0] || q[1].RecordID != ids[1] {
		t.Fatalf("queue after the failures: %+v", q)
	}

	c.BaseURL = srv.URL
	c.BatchSize = 1
	push, err := c.Push(context.Background())
	if err != nil || push.Sent != 2 || push.Applied != 2 || push.Batches != 2 {
		t.Fatalf("push once reachable: %+v %v", push, err)
	}
	if push, _ := c.Push(context.Background()); push.Sent != 0 {
		t.Errorf("pushed again: %+v", push)
	}
	for _, id := range ids {
		if rev := serverRev(t, app, "returnees", id); rev != 1 {
			t.Errorf("%s: rev %d, want 1", id, rev)
		}
	}
	testapp.Sync(t, c)
	testapp.Converged(t, c)
}

// The server applies a push but its answer is lost: Sync retries the same
// mutations, which are answered duplicate and applied only once; an edit
// made in between is pushed after them, based on the applied create.
func TestSync_LostAnswerIsRetriedIdempotently(t *testing.T) {
	app, srv := testapp.NewServed(t)
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var dropped atomic.Int32
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/sync/push" && dropped.Add(1) == 1 {
			proxy.ServeHTTP(httptest.NewRecorder(), r) // the server applies it...
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return // ...and the device never hears
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(flaky.Close)

	c := device(t, app, srv, testapp.FieldWorkerA)
	c.BaseURL = flaky.URL
	ids := []string{syncclient.NewID(), syncclient.NewID()}
	for _, id := range ids {
		if err := c.Create("returnees", id, person(app, "Eco")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Push(context.Background()); err == nil || !syncclient.IsTransient(err) {
		t.Fatalf("push with a lost answer: %v, want a transient error", err)
	}
	// the creates were sent: an edit now must not change them
	if err := c.Update("returnees", ids[0], map[string]any{"skills": "pintura"}); err != nil {
		t.Fatal(err)
	}
	q, _ := c.Pending()
	if len(q) != 3 || q[0].Fields["skills"] != nil || q[2].Op != "update" {
		t.Fatalf("queue: %+v", q)
	}

	rep := testapp.Sync(t, c)
	if rep.Push.Duplicate != 2 || rep.Push.Applied != 1 || rep.Push.Merged != 0 {
		t.Fatalf("retry: %+v", rep.Push)
	}
	if rev := serverRev(t, app, "returnees", ids[0]); rev != 2 {
		t.Errorf("%s: rev %d, want 2 (create and edit, each once)", ids[0], rev)
	}
	if rev := serverRev(t, app, "returnees", ids[1]); rev != 1 {
		t.Errorf("%s: rev %d, want 1", ids[1], rev)
	}
	testapp.Converged(t, c)
}

// A record created on the device and deleted before any push never reaches
// the server; an update of an unknown record is refused locally.
func TestLocalDeleteOfUnsentCreate(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := device(t, app, srv, testapp.FieldWorkerA)
	id := syncclient.NewID()
	if err := c.Create("returnees", id, person(app, "Borrada")); err != nil {
		t.Fatal(err)
	}
	if err := c.Update("returnees", id, map[string]any{"skills": "x"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete("returnees", id); err != nil {
		t.Fatal(err)
	}
	if q, _ := c.Pending(); len(q) != 0 {
		t.Fatalf("queue: %+v", q)
	}
	if err := c.Update("returnees", syncclient.NewID(), map[string]any{"skills": "x"}); !errors.Is(err, syncclient.ErrNotFound) {
		t.Errorf("update of an unknown record: %v", err)
	}
	if err := c.Create("returnees", "NOT-AN-ID", nil); !errors.Is(err, syncclient.ErrInvalidID) {
		t.Errorf("create with a bad id: %v", err)
	}
	rep := testapp.Sync(t, c)
	if rep.Push.Sent != 0 {
		t.Errorf("sent %d", rep.Push.Sent)
	}
	if _, err := app.FindRecordById("returnees", id); err == nil {
		t.Error("the deleted record reached the server")
	}
}
