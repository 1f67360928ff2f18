package certificates_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/certificates"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

const enrollmentPath = "/api/collections/enrollments/records/" + testapp.EnrollmentA1

// check asks the public check for code, as a guest.
func check(t *testing.T, base, code string) (int, certificates.Check, string) {
	t.Helper()
	status, body := testapp.Request(t, base, "", http.MethodGet, "/api/certificates/"+code, nil)
	var c certificates.Check
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("check %s: %d %s", code, status, body)
	}
	return status, c, string(body)
}

func TestCertificate_IssueVerifyRevoke(t *testing.T) {
	app, srv := testapp.NewServed(t)
	node := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	code := func() string {
		return testapp.Find(t, app, "enrollments", testapp.EnrollmentA1).GetString(certificates.FieldCode)
	}

	// enrolled: no certificate
	if code() != "" {
		t.Fatalf("an enrolled person holds code %q", code())
	}
	// the NODESS marks the course completed, and tries to choose the code
	status, body := testapp.Request(t, srv.URL, node, http.MethodPatch, enrollmentPath,
		map[string]any{"status": "completed", certificates.FieldCode: "AAAAAAAAAA", certificates.FieldCompletedOn: "2020-01-01"})
	if status != http.StatusOK {
		t.Fatalf("complete: %d %s", status, body)
	}
	first := code()
	if first == "AAAAAAAAAA" || certificates.Normalize(first) != first {
		t.Fatalf("code %q: want one drawn by the server", first)
	}
	day := testapp.Find(t, app, "enrollments", testapp.EnrollmentA1).GetString(certificates.FieldCompletedOn)
	if day != certificates.Day(time.Now()) {
		t.Errorf("completed_on %s, want today in Mexico City", day)
	}

	// anyone checks it, as printed or typed carelessly; only course, day, validity
	for _, typed := range []string{first, strings.ToLower(first[:5]) + "-" + first[5:], first[:5] + " " + first[5:]} {
		status, c, raw := check(t, srv.URL, typed)
		if status != http.StatusOK || !c.Valid || c.Status != certificates.StatusValid || c.Course != "Cooperativas agrícolas" || c.CompletedOn != day {
			t.Errorf("check %q: %d %s", typed, status, raw)
		}
		for _, secret := range []string{"María", "Pérez", testapp.ReturneeA1, testapp.EnrollmentA1, "returnee"} {
			if strings.Contains(raw, secret) {
				t.Errorf("check %q tells %q: %s", typed, secret, raw)
			}
		}
	}

	// a code nobody holds, and what is not a code, answer alike: 404, not valid
	for _, typed := range []string{"0000000000", "ZZZZZ-ZZZZZ", "abc", "UUUUUUUUUU", strings.Repeat("A", 11)} {
		if status, c, raw := check(t, srv.URL, typed); status != http.StatusNotFound || c.Valid || c.Status != certificates.StatusUnknown || c.Course != "" {
			t.Errorf("check %q: %d %s", typed, status, raw)
		}
	}

	// the person cannot drop out of a course completed, nor set a code
	person := testapp.Token(t, app, "returnee_accounts", testapp.AccountA1)
	if status, body := testapp.Request(t, srv.URL, person, http.MethodPatch, enrollmentPath, map[string]any{"status": "dropped"}); status != http.StatusBadRequest ||
		!strings.Contains(string(body), `"status":{"code":"invalid_status"`) {
		t.Errorf("the person drops a completed course: %d %s", status, body)
	}

	// nor through the sync push
	rev := testapp.Find(t, app, "enrollments", testapp.EnrollmentA1).GetInt("rev")
	dropPush := devicesync.PushRequest{ClientID: "certificates-person-a1", SchemaVersion: 1, Mutations: []devicesync.Mutation{{
		MutationID: "cert-drop-000001", Collection: "enrollments", RecordID: testapp.EnrollmentA1, Op: "update", BaseRev: rev,
		Fields: map[string]any{"status": "dropped"}}}}
	status, body = testapp.Request(t, srv.URL, person, http.MethodPost, "/api/sync/push", dropPush)
	var dropped devicesync.PushResponse
	if err := json.Unmarshal(body, &dropped); err != nil || status != http.StatusOK ||
		dropped.Results[0].Status != devicesync.StatusRejected || dropped.Results[0].Error.FieldCodes["status"] != "invalid_status" {
		t.Errorf("the person drops a completed course by push: %d %s", status, body)
	}

	// the NODESS revokes it (back to enrolled): the code answers revoked
	if status, body := testapp.Request(t, srv.URL, node, http.MethodPatch, enrollmentPath, map[string]any{"status": "enrolled"}); status != http.StatusOK {
		t.Fatalf("revoke: %d %s", status, body)
	}
	if status, c, raw := check(t, srv.URL, first); status != http.StatusOK || c.Valid || c.Status != certificates.StatusRevoked || c.Course == "" {
		t.Errorf("revoked: %d %s", status, raw)
	}

	// completed again, through the sync push: a new code, the old one unknown
	rev = testapp.Find(t, app, "enrollments", testapp.EnrollmentA1).GetInt("rev")
	push := devicesync.PushRequest{ClientID: "certificates-node-1", SchemaVersion: 1, Mutations: []devicesync.Mutation{{
		MutationID: "cert-complete-01", Collection: "enrollments", RecordID: testapp.EnrollmentA1, Op: "update", BaseRev: rev,
		Fields: map[string]any{"status": "completed", certificates.FieldCode: first}}}}
	status, body = testapp.Request(t, srv.URL, node, http.MethodPost, "/api/sync/push", push)
	var res devicesync.PushResponse
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK || res.Results[0].Status != devicesync.StatusApplied {
		t.Fatalf("push: %d %s", status, body)
	}
	second := code()
	if second == "" || second == first || !strings.Contains(string(res.Results[0].Record), second) {
		t.Errorf("completed again: code %q (first %q), answer %s", second, first, res.Results[0].Record)
	}
	if status, _, raw := check(t, srv.URL, first); status != http.StatusNotFound {
		t.Errorf("the first code after a new one: %d %s", status, raw)
	}
	if status, c, raw := check(t, srv.URL, second); status != http.StatusOK || !c.Valid {
		t.Errorf("the new code: %d %s", status, raw)
	}
}

// TestCertificate_BatchKeepsServerCode: through the batch API too, the code
// is the server's, whatever a NODESS sends.
func TestCertificate_BatchKeepsServerCode(t *testing.T) {
	app := testapp.New(t)
	app.Settings().Batch.Enabled = true
	srv := testapp.Serve(t, app)
	node := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	status, body := testapp.Request(t, srv.URL, node, http.MethodPost, "/api/batch", map[string]any{"requests": []map[string]any{
		{"method": "PATCH", "url": enrollmentPath, "body": map[string]any{"status": "completed", certificates.FieldCode: "BBBBBBBBBB"}}}})
	if status != http.StatusOK {
		t.Fatalf("batch: %d %s", status, body)
	}
	if got := testapp.Find(t, app, "enrollments", testapp.EnrollmentA1).GetString(certificates.FieldCode); got == "" || got == "BBBBBBBBBB" {
		t.Errorf("code %q after a batch that sent its own", got)
	}
}

// TestCertificate_RateLimited: one address checks at most 30 codes a
// minute, right or wrong, so that codes cannot be enumerated.
func TestCertificate_RateLimited(t *testing.T) {
	app := testapp.NewRateLimited(t)
	srv := testapp.Serve(t, app)
	for i := range 40 {
		status, _ := testapp.Request(t, srv.URL, "", http.MethodGet, "/api/certificates/0000000000", nil)
		if status == http.StatusTooManyRequests {
			if i < 30 {
				t.Errorf("429 after %d checks, want 30 allowed", i)
			}
			return
		}
		if status != http.StatusNotFound {
			t.Fatalf("check %d: %d", i, status)
		}
	}
	t.Error("40 checks from one address a minute, never a 429")
}

func TestNormalize(t *testing.T) {
	for typed, want := range map[string]string{
		"abcde-12345":  "ABCDE12345",
		"ABCDE 12345":  "ABCDE12345",
		"oooooiiiii":   "0000011111",
		"LLLLL-00000":  "1111100000",
		"ABCDE1234":    "",
		"ABCDE-123456": "",
		"ABCDU12345":   "", // U is not of the alphabet
		"ABCDE1234é":   "",
	} {
		if got := certificates.Normalize(typed); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", typed, got, want)
		}
	}
	for range 100 {
		if c := certificates.NewCode(); certificates.Normalize(c) != c || len(c) != certificates.CodeLength {
			t.Errorf("NewCode %q does not read back", c)
		}
	}
}
