package devicesync_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// device is a test's view of one installed app: a user's token, a client id
// and its pull cursor.
type device struct {
	t        testing.TB
	base     string
	token    string
	authID   string
	auth     *core.Record
	clientID string
	cursor   string
	pending  []devicesync.Mutation // offline work not pushed yet
}

func newDevice(t testing.TB, srv *httptest.Server, app core.App, collection, authID, clientID string) *device {
	auth, err := app.FindRecordById(collection, authID)
	if err != nil {
		t.Fatal(err)
	}
	return &device{t: t, base: srv.URL, token: testapp.Token(t, app, collection, authID), authID: authID, auth: auth, clientID: clientID}
}

func (d *device) do(method, path string, body any) (int, []byte) {
	d.t.Helper()
	return testapp.Request(d.t, d.base, d.token, method, path, body)
}

// push sends mutations and returns the results, failing on a non-200.
func (d *device) push(ms ...devicesync.Mutation) []devicesync.Result {
	d.t.Helper()
	status, body := d.do(http.MethodPost, "/api/sync/push", devicesync.PushRequest{ClientID: d.clientID, SchemaVersion: 1, Mutations: ms})
	if status != http.StatusOK {
		d.t.Fatalf("push: %d %s", status, body)
	}
	var res devicesync.PushResponse
	if err := json.Unmarshal(body, &res); err != nil {
		d.t.Fatal(err)
	}
	return res.Results
}

// page pulls one page of 50 from d's cursor (without moving it).
func (d *device) page() devicesync.PullResponse {
	d.t.Helper()
	q := url.Values{"client_id": {d.clientID}, "limit": {"50"}}
	if d.cursor != "" {
		q.Set("cursor", d.cursor)
	}
	status, body := d.do(http.MethodGet, "/api/sync/pull?"+q.Encode(), nil)
	if status != http.StatusOK {
		d.t.Fatalf("pull: %d %s", status, body)
	}
	var page devicesync.PullResponse
	if err := json.Unmarshal(body, &page); err != nil {
		d.t.Fatal(err)
	}
	return page
}

// pullAll pulls until has_more is false and returns every change, in order.
func (d *device) pullAll() ([]devicesync.Change, bool) {
	d.t.Helper()
	var all []devicesync.Change
	reset := false
	for i := 0; i < 1000; i++ {
		page := d.page()
		if page.Reset {
			reset = true
			d.cursor = ""
			all = nil
			continue
		}
		all = append(all, page.Changes...)
		d.cursor = page.Cursor
		if !page.HasMore {
			return all, reset
		}
	}
	d.t.Fatal("pull did not end")
	return nil, false
}

// ops indexes changes by collection/record id, keeping the last op.
func ops(changes []devicesync.Change) map[string]devicesync.Change {
	out := map[string]devicesync.Change{}
	for _, c := range changes {
		out[c.Collection+"/"+c.RecordID] = c
	}
	return out
}

func mutation(id, collection, record, op string, baseRev int, fields map[string]any) devicesync.Mutation {
	return devicesync.Mutation{MutationID: id, Collection: collection, RecordID: record, Op: op, BaseRev: baseRev, Fields: fields}
}

// restIDs lists the ids the REST list API returns to d's user.
func (d *device) restIDs(collection string) map[string]bool {
	d.t.Helper()
	ids := map[string]bool{}
	for id := range testapp.ListRevs(d.t, d.base, d.token, collection) {
		ids[id] = true
	}
	return ids
}

// replica is a device's local copy: collection -> id -> record JSON.
type replica map[string]map[string]json.RawMessage

func (r replica) apply(changes []devicesync.Change) {
	for _, c := range changes {
		if r[c.Collection] == nil {
			r[c.Collection] = map[string]json.RawMessage{}
		}
		switch c.Op {
		case "put":
			r[c.Collection][c.RecordID] = c.Record
		default:
			delete(r[c.Collection], c.RecordID)
		}
	}
}

// pullInto pulls into r what d has not seen yet and returns the changes.
func (d *device) pullInto(r replica) []devicesync.Change {
	changes, _ := d.pullAll()
	r.apply(changes)
	return changes
}

// pulled is a new replica of all that d pulls from its cursor.
func (d *device) pulled() replica {
	r := replica{}
	d.pullInto(r)
	return r
}

// converged fails unless, for every synced collection, the replica holds
// exactly the ids that the REST list API gives d's user, or none of a
// collection the user's devices do not pull (hooks.SyncConfig.Pulls).
func (d *device) converged(r replica, collections ...string) {
	d.t.Helper()
	for _, c := range collections {
		want := map[string]bool{}
		if hooks.SyncConfig.Pulls(d.auth, c) {
			want = d.restIDs(c)
		}
		for id := range r[c] {
			if !want[id] {
				d.t.Errorf("%s: device %s holds %s/%s, which the user cannot list", d.clientID, d.clientID, c, id)
			}
		}
		for id := range want {
			if _, ok := r[c][id]; !ok {
				d.t.Errorf("%s: device %s lacks %s/%s", d.clientID, d.clientID, c, id)
			}
		}
	}
}

// syncedCollections are the collections devices sync, from the catalog.
var syncedCollections = catalog.Where(catalog.Collection.Synced)
