package privacy_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// phone is a test's installed app: a user's token, a device id and where its
// pulls stand.
type phone struct {
	t                       testing.TB
	base, token, id, cursor string
}

// push sends ms and returns their results (a non-200 fails the test).
func (p *phone) push(ms ...devicesync.Mutation) []devicesync.Result {
	p.t.Helper()
	status, body := testapp.Request(p.t, p.base, p.token, http.MethodPost, "/api/sync/push",
		devicesync.PushRequest{ClientID: p.id, SchemaVersion: 1, Mutations: ms})
	var out devicesync.PushResponse
	if status != http.StatusOK || json.Unmarshal(body, &out) != nil {
		p.t.Fatalf("push: %d %s", status, body)
	}
	return out.Results
}

// pull pulls until nothing more is owed and returns the last op per record
// ("collection/id").
func (p *phone) pull() map[string]string {
	p.t.Helper()
	got := map[string]string{}
	for range 200 {
		status, body := testapp.Request(p.t, p.base, p.token, http.MethodGet,
			"/api/sync/pull?"+url.Values{"client_id": {p.id}, "cursor": {p.cursor}}.Encode(), nil)
		var page devicesync.PullResponse
		if status != http.StatusOK || json.Unmarshal(body, &page) != nil || page.Reset {
			p.t.Fatalf("pull: %d %s", status, body)
		}
		for _, c := range page.Changes {
			got[c.Collection+"/"+c.RecordID] = c.Op
		}
		p.cursor = page.Cursor
		if !page.HasMore {
			return got
		}
	}
	p.t.Fatal("the pull never ends")
	return nil
}

// withSuperuser is a scenario's app: a template clone with the superuser.
func withSuperuser(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	testapp.AddSuperuser(t, app)
	return app
}

// tokensOf returns a token of the superuser and of each fixture account, by
// id: valid in every clone of the template, which shares their keys.
func tokensOf(t testing.TB) map[string]string {
	t.Helper()
	app := withSuperuser(t)
	out := map[string]string{}
	for _, who := range [][2]string{
		{core.CollectionNameSuperusers, testapp.Superuser}, {"staff", testapp.FieldWorkerA}, {"staff", testapp.FieldWorkerB},
		{"staff", testapp.CoordBC}, {"staff", testapp.NodessStaff1}, {"returnee_accounts", testapp.AccountA1}, {"returnee_accounts", testapp.AccountB1},
	} {
		out[who[1]] = testapp.Token(t, app, who[0], who[1])
	}
	return out
}

func create(mutationID, collection, id string, fields map[string]any) devicesync.Mutation {
	return devicesync.Mutation{MutationID: mutationID, Collection: collection, RecordID: id, Op: "create", Fields: fields}
}

func update(mutationID, collection, id string, baseRev int, fields map[string]any) devicesync.Mutation {
	return devicesync.Mutation{MutationID: mutationID, Collection: collection, RecordID: id, Op: "update", BaseRev: baseRev, Fields: fields}
}

// write sends a create or update of collection's record id with fields
// (testapp.Write), as the auth record authCollection/authID, by way, on a
// fresh app that setup (if not nil) prepares, and returns the app and the
// answer's text (the push's result for a sync push).
func write(t *testing.T, way testapp.Path, setup func(core.App), authCollection, authID, op, collection, id string, fields map[string]any) (*tests.TestApp, string) {
	t.Helper()
	app, srv := testapp.NewServed(t)
	if setup != nil {
		setup(app)
	}
	_, out := testapp.Write(t, app, srv.URL, testapp.Token(t, app, authCollection, authID), way, op, collection, id, fields)
	return app, string(out)
}
