package accounts_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/accounts"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// route is one request a device's token may carry.
type route struct {
	name, method, path string
	body               any
}

// routes are a field worker's requests of every kind: REST list and view,
// batch, realtime subscription, sync push and pull, custom routes, the token
// refresh and the device secret.
func routes(clientID string) []route {
	return []route{
		{"REST list", http.MethodGet, "/api/collections/returnees/records", nil},
		{"REST view", http.MethodGet, "/api/collections/returnees/records/" + testapp.ReturneeA1, nil},
		{"REST public list", http.MethodGet, "/api/collections/states/records?perPage=1", nil},
		{"batch", http.MethodPost, "/api/batch", map[string]any{"requests": []map[string]any{{
			"method": http.MethodPatch, "url": "/api/collections/returnees/records/" + testapp.ReturneeA1,
			"body": map[string]any{"skills": "cocina"}}}}},
		{"sync push", http.MethodPost, "/api/sync/push", map[string]any{"client_id": "fwa-device-lock", "schema_version": 1,
			"mutations": []map[string]any{{"mutation_id": "lockmut" + clientID, "collection": "returnees", "record_id": testapp.ReturneeA1,
				"op": "update", "base_rev": 1, "fields": map[string]any{"skills": "pan"}, "client_ts": "2026-11-27T10:00:00Z"}}}},
		{"sync pull", http.MethodGet, "/api/sync/pull?client_id=fwa-device-lock", nil},
		{"report", http.MethodGet, "/api/reports/returns?by=month", nil},
		{"export", http.MethodGet, "/api/exports/returnees?format=csv", nil},
		{"check duplicate", http.MethodGet, "/api/returnees/check-duplicate?given_names=Ana&first_surname=Sol&birth_date=1990-01-02", nil},
		{"token refresh", http.MethodPost, "/api/collections/staff/auth-refresh", nil},
		{"device secret", http.MethodGet, "/api/device-secret?client_id=fwa-device-lock", nil},
		{"realtime subscription", http.MethodPost, "/api/realtime", map[string]any{"clientId": clientID, "subscriptions": []string{"sync"}}},
	}
}

// setActive switches the staff account id as a system write.
func setActive(t *testing.T, app core.App, id string, on bool) {
	t.Helper()
	r := testapp.Find(t, app, "staff", id)
	r.Set("active", on)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// realtimeClient opens the realtime stream and returns its client id and a
// channel closed when the server ends the connection.
func realtimeClient(t *testing.T, base string) (string, <-chan struct{}) {
	t.Helper()
	resp, err := http.Get(base + "/api/realtime")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	lines := bufio.NewScanner(resp.Body)
	id := ""
	for id == "" && lines.Scan() {
		if data, ok := strings.CutPrefix(lines.Text(), "data:"); ok {
			var connect struct{ ClientID string }
			if err := json.Unmarshal([]byte(data), &connect); err != nil {
				t.Fatal(err)
			}
			id = connect.ClientID
		}
	}
	if id == "" {
		t.Fatal("no PB_CONNECT on the realtime stream")
	}
	closed := make(chan struct{})
	go func() {
		for lines.Scan() {
		}
		close(closed)
	}()
	return id, closed
}

// isDisabled reports whether an answer is the refusal of an account that is off.
func isDisabled(status int, body []byte, want int) bool {
	var answer struct{ Code string }
	_ = json.Unmarshal(body, &answer)
	return status == want && answer.Code == accounts.CodeAccountDisabled
}

// TestDisabled_EveryRoute: the token of a field worker and of a coordinator
// is taken on every kind of route (answered as the caller's role deserves:
// a field worker gets no report); once the account is off, the same token is
// answered 401 account_disabled on all of them, before any handler, and the
// open realtime connection is closed.
func TestDisabled_EveryRoute(t *testing.T) {
	for _, id := range []string{testapp.FieldWorkerA, testapp.CoordBC} {
		t.Run(id, func(t *testing.T) {
			app, srv := testapp.NewServed(t)
			app.Settings().Batch.Enabled = true
			token := testapp.Token(t, app, "staff", id)

			clientID, closed := realtimeClient(t, srv.URL)
			for _, r := range routes(clientID) {
				status, body := testapp.Request(t, srv.URL, token, r.method, r.path, r.body)
				if status == http.StatusUnauthorized {
					t.Fatalf("%s while active: %d %s", r.name, status, body)
				}
				t.Logf("%s while active: %d", r.name, status)
			}

			setActive(t, app, id, false)
			select {
			case <-closed:
			case <-time.After(5 * time.Second):
				t.Fatal("the realtime connection of the deactivated account is still open")
			}
			clientID, _ = realtimeClient(t, srv.URL) // the device reconnects: its subscription is refused
			for _, r := range routes(clientID) {
				status, body := testapp.Request(t, srv.URL, token, r.method, r.path, r.body)
				if !isDisabled(status, body, http.StatusUnauthorized) {
					t.Errorf("%s after deactivation: %d %s, want 401 %s", r.name, status, body, accounts.CodeAccountDisabled)
				}
			}
			// another account's token is untouched
			other := testapp.Token(t, app, "staff", testapp.FieldWorkerB)
			if status, body := testapp.Request(t, srv.URL, other, http.MethodGet, "/api/sync/pull?client_id=fwb-device-lock", nil); status != http.StatusOK {
				t.Fatalf("an active account after another's deactivation: %d %s", status, body)
			}
		})
	}
}

// TestDisabled_SignIn: the right password of an account that is off is
// refused 403 account_disabled; a wrong one as for any account, so the switch
// is told only to who knows the password.
func TestDisabled_SignIn(t *testing.T) {
	app, srv := testapp.NewServed(t)
	signIn := func(password string) (int, []byte) {
		return testapp.Request(t, srv.URL, "", http.MethodPost, "/api/collections/staff/auth-with-password",
			map[string]string{"identity": "fw.a@retorno.test", "password": password})
	}
	if status, body := signIn(testapp.Password); status != http.StatusOK {
		t.Fatalf("sign-in while active: %d %s", status, body)
	}
	wrongBefore, _ := signIn("not-the-password")
	setActive(t, app, testapp.FieldWorkerA, false)
	if status, body := signIn(testapp.Password); !isDisabled(status, body, http.StatusForbidden) {
		t.Fatalf("sign-in of a deactivated account: %d %s, want 403 %s", status, body, accounts.CodeAccountDisabled)
	}
	if status, body := signIn("not-the-password"); status != wrongBefore || strings.Contains(string(body), accounts.CodeAccountDisabled) {
		t.Fatalf("a wrong password of a deactivated account: %d %s, want %d as for any account", status, body, wrongBefore)
	}
}

// TestReactivate_OldTokensStayRefused: switching an account on again rotates
// its token key: a token from before (a lost phone's) is refused as any
// invalid token (not account_disabled: the device signs in again), a new
// sign-in works, and the device secret changes.
func TestReactivate_OldTokensStayRefused(t *testing.T) {
	app, srv := testapp.NewServed(t)
	old := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	secretBefore := accounts.DeviceSecret(testapp.Find(t, app, "staff", testapp.FieldWorkerA), "fwa-device-lock")
	setActive(t, app, testapp.FieldWorkerA, false)
	setActive(t, app, testapp.FieldWorkerA, true)

	status, body := testapp.Request(t, srv.URL, old, http.MethodGet, "/api/sync/pull?client_id=fwa-device-lock", nil)
	if status != http.StatusUnauthorized || strings.Contains(string(body), accounts.CodeAccountDisabled) {
		t.Fatalf("a token from before the deactivation: %d %s, want a plain 401", status, body)
	}
	fresh := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	if status, body := testapp.Request(t, srv.URL, fresh, http.MethodGet, "/api/sync/pull?client_id=fwa-device-lock", nil); status != http.StatusOK {
		t.Fatalf("a new token after reactivation: %d %s", status, body)
	}
	if after := accounts.DeviceSecret(testapp.Find(t, app, "staff", testapp.FieldWorkerA), "fwa-device-lock"); after == secretBefore {
		t.Fatal("the device secret survived the reactivation: a PIN set before would still unlock")
	}
}

// TestSwitch_KeepsCursors: the switch is not part of a user's scope
// (devicesync.Config.ScopeFree): a device that synced before the field
// existed (the upgrade) goes on from its cursor, with no reset of every
// device at once.
func TestSwitch_KeepsCursors(t *testing.T) {
	app, srv := testapp.NewServed(t)
	pull := func(cursor string) (reset bool, next string) {
		t.Helper()
		token := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
		for {
			status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/sync/pull?client_id=fwa-device-lock&cursor="+cursor, nil)
			var page struct {
				Cursor  string
				HasMore bool `json:"has_more"`
				Reset   bool
			}
			if err := json.Unmarshal(body, &page); err != nil || status != http.StatusOK {
				t.Fatalf("pull: %d %s", status, body)
			}
			if page.Reset || !page.HasMore {
				return page.Reset, page.Cursor
			}
			cursor = page.Cursor
		}
	}
	staff, err := app.FindCollectionByNameOrId("staff")
	if err != nil {
		t.Fatal(err)
	}
	active := staff.Fields.GetByName("active")
	staff.Fields.RemoveByName("active") // as before the migration
	if err := app.Save(staff); err != nil {
		t.Fatal(err)
	}
	_, cursor := pull("")
	staff.Fields.Add(active)
	if err := app.Save(staff); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("UPDATE staff SET active = TRUE").Execute(); err != nil {
		t.Fatal(err)
	}
	if reset, _ := pull(cursor); reset {
		t.Fatal("adding the switch reset the device")
	}
}
