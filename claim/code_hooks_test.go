package claim_test

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

// registration is a returnee record as a field worker at Tijuana sends it.
func registration(app core.App, id string) map[string]any {
	return map[string]any{"id": id, "given_names": "Ana", "first_surname": "Ruiz", "birth_date": "1995-07-01", "sex": "M",
		"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana")}
}

func TestCode_IssuedAtRegistration(t *testing.T) {
	app := testapp.New(t)
	h := router(t, app)
	worker := authed(h, testapp.Token(t, app, "staff", testapp.FieldWorkerA))
	const id = "registered00001"

	body := registration(app, id)
	body["phone"] = "+526645550100"
	body["claim_hash"] = claim.Hash(id, code)
	body["claimed"] = true                             // server-owned: ignored
	body["claim_expires"] = "2099-01-01 00:00:00.000Z" // idem
	got := send(t, worker, http.MethodPost, "/api/collections/returnees/records", "198.51.100.1", body)
	if got.status != http.StatusOK {
		t.Fatalf("registration: %d %s", got.status, got.raw)
	}
	if got.body["claim_hash"] != "" || strings.Contains(got.raw, "claim_verifier") || got.body["claimed"] != false {
		t.Errorf("answer shows a hash or a client's claimed: %s", got.raw)
	}
	person := testapp.Find(t, app, "returnees", id)
	if h := person.GetString("claim_verifier"); !strings.HasPrefix(h, "hmac-sha256:") || person.GetString("claim_hash") != "" {
		t.Errorf("stored: verifier %q (want an HMAC), hash %q (want none)", h, person.GetString("claim_hash"))
	}
	expires := person.GetDateTime("claim_expires").Time()
	if d := time.Until(expires) - claim.CodeTTL; d > time.Minute || d < -time.Minute {
		t.Errorf("expires %v, want in %v", expires, claim.CodeTTL)
	}

	// a new code replaces the old one, and starts a new period
	person.Set("claim_expires", time.Now().Add(time.Hour))
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	got = send(t, worker, http.MethodPatch, "/api/collections/returnees/records/"+id, "198.51.100.1",
		map[string]any{"claim_hash": claim.Hash(id, "5555666677")})
	if got.status != http.StatusOK {
		t.Fatalf("new code: %d %s", got.status, got.raw)
	}
	if d := time.Until(testapp.Find(t, app, "returnees", id).GetDateTime("claim_expires").Time()); d < claim.CodeTTL-time.Minute {
		t.Errorf("a new code expires in %v", d)
	}
	// the person claims with the new code, not the old one
	if got := claimFrom(t, h, "198.51.100.2", byPhone("6645550100", code)); got.status != http.StatusBadRequest {
		t.Errorf("claim with the replaced code: %d %s", got.status, got.raw)
	}
	if got := claimFrom(t, h, "198.51.100.2", byPhone("6645550100", "5555666677")); got.status != http.StatusOK {
		t.Errorf("claim with the new code: %d %s", got.status, got.raw)
	}
}

func TestCode_BadWrites(t *testing.T) {
	app := testapp.New(t)
	newPerson(t, app)
	h := router(t, app)
	worker := authed(h, testapp.Token(t, app, "staff", testapp.FieldWorkerA))
	owner := authed(h, testapp.Token(t, app, "returnee_accounts", testapp.AccountA1))
	for _, c := range []struct {
		name   string
		as     http.Handler
		path   string
		body   map[string]any
		field  string
		status int
	}{
		{"not a device hash", worker, "/api/collections/returnees/records/" + personID,
			map[string]any{"claim_hash": "123456"}, "claim_hash", http.StatusBadRequest},
		{"a bcrypt hash from a client", worker, "/api/collections/returnees/records/" + personID,
			map[string]any{"claim_hash": "$2a$10$abcdefghijklmnopqrstuuJ3yQ7n0vG8yK0j1bQh0d3w0Gq2QkqW"}, "claim_hash", http.StatusBadRequest},
		{"a returnee issues their own code", owner, "/api/collections/returnees/records/" + testapp.ReturneeA1,
			map[string]any{"claim_hash": claim.Hash(testapp.ReturneeA1, code)}, "claim_hash", http.StatusBadRequest},
		{"a code for a person with an account", worker, "/api/collections/returnees/records/" + testapp.ReturneeA1,
			map[string]any{"claim_hash": claim.Hash(testapp.ReturneeA1, code)}, "claim_hash", http.StatusBadRequest},
		{"an account changes its login", owner, "/api/collections/returnee_accounts/records/" + testapp.AccountA1,
			map[string]any{"login": personCURP}, "login", http.StatusBadRequest},
	} {
		got := send(t, c.as, http.MethodPatch, c.path, "198.51.100.1", c.body)
		data, _ := got.body["data"].(map[string]any)
		if got.status != c.status || data[c.field] == nil {
			t.Errorf("%s: %d %s, want %d with an error on %s", c.name, got.status, got.raw, c.status, c.field)
		}
	}
	if h := testapp.Find(t, app, "returnees", personID).GetString("claim_verifier"); h != "" {
		t.Errorf("a refused write stored %q", h)
	}
}

// A field worker's device registers a person offline with a claim code;
// once it has pushed, the person claims their account with that code. A
// refused push keeps no usable hash in the sync conflicts.
func TestCode_ThroughSync(t *testing.T) {
	app, srv := testapp.NewServed(t)
	device := &syncclient.Client{BaseURL: srv.URL, Token: testapp.Token(t, app, "staff", testapp.FieldWorkerA), RetryDelay: time.Millisecond}

	id := syncclient.NewID()
	personCode := claim.NewCode()
	fields := registration(app, id)
	delete(fields, "id")
	fields["phone"] = "+526645550101"
	fields["claim_hash"] = claim.Hash(id, personCode)
	if err := device.Create("returnees", id, fields); err != nil {
		t.Fatal(err)
	}
	// and one the server refuses: another reception point
	refusedID := syncclient.NewID()
	refused := registration(app, refusedID)
	delete(refused, "id")
	refused["reception_point"] = testapp.ID(app, "reception_points", "city", "Matamoros")
	refused["claim_hash"] = claim.Hash(refusedID, personCode)
	if err := device.Create("returnees", refusedID, refused); err != nil {
		t.Fatal(err)
	}
	report := testapp.Sync(t, device)
	if report.Push.Applied != 1 || report.Push.Rejected != 1 {
		t.Fatalf("push: %d applied, %d rejected", report.Push.Applied, report.Push.Rejected)
	}
	it, ok, err := device.Get("returnees", id)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, shown := it.Fields["claim_verifier"]; shown || it.Fields["claim_hash"] != "" {
		t.Errorf("the device got a hash back: %v", it.Fields)
	}

	conflicts, err := app.FindAllRecords("sync_conflicts")
	if err != nil || len(conflicts) != 1 {
		t.Fatalf("sync conflicts: %d (%v)", len(conflicts), err)
	}
	if yours := conflicts[0].GetString("yours"); strings.Contains(yours, refused["claim_hash"].(string)) || !strings.Contains(yours, "[redacted]") {
		t.Errorf("the conflict keeps the device's hash: %s", yours)
	}

	server, _ := url.Parse(srv.URL)
	got := claimFrom(t, httputil.NewSingleHostReverseProxy(server), "198.51.100.1", byPhone("6645550101", personCode))
	if got.status != http.StatusOK {
		t.Fatalf("claim after the sync: %d %s", got.status, got.raw)
	}
}

// A person who spent their attempts (a forgotten code, many guesses from
// their own phone) gets a new code from a field worker, and claims with it
// at once from that same phone: a new code forgets the attempts made on the
// person, their CURP and their phone.
func TestCode_ReissueResetsAttempts(t *testing.T) {
	app := withCode(t)
	h := router(t, app)
	const phone = "198.51.100.40"
	for i := range claim.PersonAttempts {
		claimWant(t, h, phone, byCURP(personCURP, "0000000000"), http.StatusBadRequest, fmt.Sprintf("wrong code %d", i+1))
	}
	claimWant(t, h, phone, byCURP(personCURP, code), http.StatusTooManyRequests, fmt.Sprintf("the old code after %d wrong ones", claim.PersonAttempts))

	worker := authed(h, testapp.Token(t, app, "staff", testapp.FieldWorkerA))
	const newCode = "5555666677"
	got := send(t, worker, http.MethodPatch, "/api/collections/returnees/records/"+personID, "198.51.100.1",
		map[string]any{"claim_hash": claim.Hash(personID, newCode)})
	if got.status != http.StatusOK {
		t.Fatalf("new code: %d %s", got.status, got.raw)
	}
	claimWant(t, h, phone, byCURP(personCURP, newCode), http.StatusOK, "the new code from the same phone")
}
