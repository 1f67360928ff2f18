package notify_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// writer sends one create or update as a user through a path.
type writer struct {
	t     testing.TB
	app   *tests.TestApp
	srv   *httptest.Server
	token string
}

func newWriter(t testing.TB, app *tests.TestApp, srv *httptest.Server, collection, id string) writer {
	return writer{t: t, app: app, srv: srv, token: testapp.Token(t, app, collection, id)}
}

// write creates (id "" in record, fields["id"] the new id) or updates
// record id of collection through p, and fails the test unless it was
// applied.
func (w writer) write(p testapp.Path, collection, id string, fields map[string]any) {
	w.t.Helper()
	op := "update"
	if id == "" {
		op, id, fields = "create", fields["id"].(string), withoutID(fields)
	}
	if status, body := testapp.Write(w.t, w.app, w.srv.URL, w.token, p, op, collection, id, fields); status != http.StatusOK {
		w.t.Fatalf("%s %s %s/%s: %d %s", p, op, collection, id, status, body)
	}
}

func withoutID(fields map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range fields {
		if k != "id" {
			out[k] = v
		}
	}
	return out
}

// grant records a granted consent of purpose for returnee (a system write).
func grant(t testing.TB, app core.App, returnee, purpose string) *core.Record {
	t.Helper()
	return testapp.Save(t, app, "consents", map[string]any{"returnee": returnee, "purpose": purpose, "granted": true,
		"notice_version": "2026-01", "method": "verbal"})
}

// outbox lists the notifications of returnee, oldest first.
func outbox(t testing.TB, app core.App, returnee string) []*core.Record {
	t.Helper()
	found, err := app.FindAllRecords("notifications", dbx.HashExp{"returnee": returnee})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// params decodes a notification's params.
func params(t testing.TB, r *core.Record) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := json.Unmarshal([]byte(r.GetString("params")), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// describe is one line per notification, for failure messages.
func describe(rs []*core.Record) string {
	var lines []string
	for _, r := range rs {
		lines = append(lines, r.GetString("channel")+" "+r.GetString("template")+" "+r.GetString("status")+" "+r.GetString("params"))
	}
	return "[" + strings.Join(lines, "; ") + "]"
}

// asSuperuser returns a function that sends a request to srv as the
// superuser, whom it adds to app.
func asSuperuser(t testing.TB, app *tests.TestApp, srv *httptest.Server) func(method, path string, body any) (int, []byte) {
	t.Helper()
	token := testapp.RecordToken(t, testapp.AddSuperuser(t, app))
	return func(method, path string, body any) (int, []byte) {
		t.Helper()
		return testapp.Request(t, srv.URL, token, method, path, body)
	}
}

// settingsPath is the REST path of the one record of notification_settings.
func settingsPath(t testing.TB, app core.App) string {
	t.Helper()
	settings, err := app.FindFirstRecordByFilter("notification_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	return "/api/collections/notification_settings/records/" + settings.Id
}
