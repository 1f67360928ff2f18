package accounts_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestDeviceSecret: the secret is the same for one account and device,
// another for another device or account; staff and returnee accounts get
// one, guests and superusers none; a malformed client_id is refused.
func TestDeviceSecret(t *testing.T) {
	app, srv := testapp.NewServed(t)
	testapp.AddSuperuser(t, app)
	get := func(collection, id, clientID string) (int, string) {
		t.Helper()
		token := ""
		if id != "" {
			token = testapp.Token(t, app, collection, id)
		}
		status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/device-secret?client_id="+clientID, nil)
		var answer struct{ Secret string }
		_ = json.Unmarshal(body, &answer)
		return status, answer.Secret
	}
	_, a := get("staff", testapp.FieldWorkerA, "device-one-1")
	_, again := get("staff", testapp.FieldWorkerA, "device-one-1")
	_, otherDevice := get("staff", testapp.FieldWorkerA, "device-two-2")
	_, otherAccount := get("staff", testapp.FieldWorkerB, "device-one-1")
	status, returnee := get("returnee_accounts", testapp.AccountA1, "device-one-1")
	if len(a) != 43 || a != again || a == otherDevice || a == otherAccount || status != http.StatusOK || returnee == "" || returnee == a {
		t.Fatalf("secrets: %q %q %q %q %d %q", a, again, otherDevice, otherAccount, status, returnee)
	}
	for _, c := range []struct {
		collection, id, clientID string
		want                     int
	}{
		{"", "", "device-one-1", http.StatusUnauthorized},
		{core.CollectionNameSuperusers, testapp.Superuser, "device-one-1", http.StatusForbidden},
		{"staff", testapp.FieldWorkerA, "short", http.StatusBadRequest},
	} {
		if status, secret := get(c.collection, c.id, c.clientID); status != c.want || secret != "" {
			t.Errorf("%s %s %s: %d %q, want %d", c.collection, c.id, c.clientID, status, secret, c.want)
		}
	}
}
