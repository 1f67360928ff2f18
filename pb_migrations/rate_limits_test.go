package pb_migrations_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// send posts or gets path on srv from the loopback address and returns the
// status.
func send(t *testing.T, base, method, path, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Wrong passwords from one address end in 429 on every auth collection, and
// then the right password is refused too (before the limits: 100 wrong
// superuser passwords answered 400, the right one 200).
func TestRateLimits_SignIn(t *testing.T) {
	app := testapp.NewRateLimited(t)
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(superusers)
	su.SetEmail("admin@retorno.test")
	su.SetPassword(testapp.Password)
	if err := app.Save(su); err != nil {
		t.Fatal(err)
	}
	base := testapp.Serve(t, app).URL

	const maxTries = 50
	for _, c := range []struct{ collection, identity string }{
		{core.CollectionNameSuperusers, "admin@retorno.test"},
		{"staff", "fw.a@retorno.test"},
		{"returnee_accounts", "maria@retorno.test"},
	} {
		path := "/api/collections/" + c.collection + "/auth-with-password"
		body := func(password string) string {
			return `{"identity":"` + c.identity + `","password":"` + password + `"}`
		}
		tries := 0
		for ; tries < maxTries; tries++ {
			status := send(t, base, http.MethodPost, path, body("not-the-password"))
			if status == http.StatusTooManyRequests {
				break
			}
			if status != http.StatusBadRequest {
				t.Fatalf("%s: wrong password %d: %d", c.collection, tries+1, status)
			}
		}
		if tries == maxTries {
			t.Errorf("%s: %d wrong passwords from one address, never a 429", c.collection, maxTries)
			continue
		}
		if got := send(t, base, http.MethodPost, path, body(testapp.Password)); got != http.StatusTooManyRequests {
			t.Errorf("%s: the right password after %d wrong ones: %d, want 429", c.collection, tries, got)
		}
	}
}

// Every custom endpoint answers 429 to one address that calls it too often.
func TestRateLimits_Endpoints(t *testing.T) {
	const maxTries = 300 // above the largest limit (pulls)
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/api/returnee-accounts/claim", `{}`},
		{http.MethodGet, "/api/sync/pull", ""},
		{http.MethodPost, "/api/sync/push", `{}`},
		{http.MethodGet, "/api/returnees/check-duplicate?given_names=Ana", ""},
		{http.MethodPost, "/api/returnees/" + testapp.ReturneeA1 + "/merge", `{}`},
		{http.MethodGet, "/api/returnees/" + testapp.ReturneeA1 + "/suggestions", ""},
		{http.MethodGet, "/api/reports/returns", ""},
		{http.MethodGet, "/api/reports/course-seats", ""},
		{http.MethodGet, "/api/reports/savings", ""},
		{http.MethodGet, "/api/savings-groups/" + testapp.GroupN1 + "/summary", ""},
		{http.MethodPost, "/api/savings-groups/" + testapp.GroupN1 + "/share-out", `{}`},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			base := testapp.Serve(t, testapp.NewRateLimited(t)).URL
			for i := range maxTries {
				if send(t, base, c.method, c.path, c.body) == http.StatusTooManyRequests {
					t.Logf("429 after %d requests", i)
					return
				}
			}
			t.Errorf("%d requests from one address, never a 429", maxTries)
		})
	}
}

// No rule counts the record requests a sync push makes for each of its
// mutations: a push of 500 mutations must not limit itself.
func TestRateLimits_NotOnPushedMutations(t *testing.T) {
	app := testapp.NewRateLimited(t)
	limits := app.Settings().RateLimits
	if !limits.Enabled {
		t.Fatal("rate limits are off")
	}
	for _, col := range hooks.SyncConfig.Collections {
		for _, a := range []struct{ action, method, path string }{
			{"create", http.MethodPost, "/api/collections/" + col.Name + "/records"},
			{"update", http.MethodPatch, "/api/collections/" + col.Name + "/records/abc"},
			{"delete", http.MethodDelete, "/api/collections/" + col.Name + "/records/abc"},
		} {
			// the labels PocketBase's record handlers look up
			labels := []string{col.Name + ":" + a.action, "*:" + a.action, a.method + " " + a.path, a.path}
			if rule, ok := limits.FindRateLimitRule(labels); ok {
				t.Errorf("%s %s is limited by %s", a.method, a.path, rule.String())
			}
		}
	}
}

// PocketBase's limit on claims never refuses a claim that the claim's own
// limits (per address, in the database) would still try.
func TestRateLimits_ClaimWithinClaimLimits(t *testing.T) {
	limits := testapp.NewRateLimited(t).Settings().RateLimits
	path := "/api/returnee-accounts/claim"
	rule, ok := limits.FindRateLimitRule([]string{http.MethodPost + " " + path, path})
	if !ok {
		t.Fatal("claims are not limited")
	}
	if rule.MaxRequests < claim.IPAttempts || rule.DurationTime() > claim.IPWindow {
		t.Errorf("rule %s refuses claims within claim.IPAttempts (%d per %s)", rule.String(), claim.IPAttempts, claim.IPWindow)
	}
}
