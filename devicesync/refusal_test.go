package devicesync_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// apiError is PocketBase's error body.
type apiError struct {
	Status  int            `json:"status"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

func decodeAPIError(t *testing.T, body []byte) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("the refusal is not a JSON error: %v: %s", err, body)
	}
	return e
}

// wantRefusal fails unless the answer is status with a JSON error whose
// message contains every one of words (case-insensitive).
func wantRefusal(t *testing.T, what string, gotStatus int, body []byte, status int, words ...string) {
	t.Helper()
	if gotStatus != status {
		t.Errorf("%s: status %d, want %d: %s", what, gotStatus, status, body)
		return
	}
	e := decodeAPIError(t, body)
	if e.Status != status || e.Message == "" {
		t.Errorf("%s: error body %s, want status %d and a message", what, body, status)
	}
	for _, w := range words {
		if !strings.Contains(strings.ToLower(e.Message), strings.ToLower(w)) {
			t.Errorf("%s: message %q does not say %q", what, e.Message, w)
		}
	}
}

func pushBody(clientID string, ms ...devicesync.Mutation) string {
	if ms == nil {
		ms = []devicesync.Mutation{}
	}
	raw, _ := json.Marshal(devicesync.PushRequest{ClientID: clientID, SchemaVersion: 1, Mutations: ms})
	return string(raw)
}

func TestPushRefusal_WholeRequest(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-refusals")

	note := func(i int) devicesync.Mutation {
		return mutation(fmt.Sprintf("refusal-note-%04d", i), "case_notes", fmt.Sprintf("refusalnote%04d", i), "create", 0,
			map[string]any{"returnee": testapp.ReturneeA1, "text": "nota"})
	}
	many := make([]devicesync.Mutation, devicesync.MaxMutations+1)
	for i := range many {
		many[i] = note(i)
	}
	valid := pushBody(d.clientID, note(9999))

	for _, c := range []struct {
		name   string
		body   string
		status int
		words  []string
	}{
		{"malformed JSON", `{"client_id":"fw-a-refusals","schema_version":1,"mutations":[`, 400, []string{"not a valid push"}},
		{"not JSON at all", `client_id=fw-a-refusals`, 400, []string{"not a valid push"}},
		{"empty body", ``, 400, []string{"not a valid push"}},
		{"an array", `[]`, 400, []string{"not a valid push"}},
		{"two objects", valid + `{}`, 400, []string{"one JSON object"}},
		{"trailing garbage", valid + ` x`, 400, []string{"one JSON object"}},
		{"stray closing brace", valid + `}`, 400, []string{"one JSON object"}},
		{"stray closing bracket", valid + `]`, 400, []string{"one JSON object"}},
		{"missing client_id", `{"schema_version":1,"mutations":[]}`, 400, []string{"client_id"}},
		{"empty client_id", `{"client_id":"","schema_version":1,"mutations":[]}`, 400, []string{"client_id"}},
		{"short client_id", `{"client_id":"short","schema_version":1,"mutations":[]}`, 400, []string{"client_id", "8-64"}},
		{"long client_id", `{"client_id":"` + strings.Repeat("a", 65) + `","schema_version":1,"mutations":[]}`, 400, []string{"client_id"}},
		{"client_id with spaces", `{"client_id":"fw a refusals","schema_version":1,"mutations":[]}`, 400, []string{"client_id"}},
		{"client_id of the wrong type", `{"client_id":12345678,"schema_version":1,"mutations":[]}`, 400, []string{"client_id"}},
		{"unknown top-level field", `{"client_id":"fw-a-refusals","schema_version":1,"mutations":[],"extra":true}`, 400, []string{`"extra"`}},
		{"unknown mutation field", `{"client_id":"fw-a-refusals","schema_version":1,"mutations":[{"mutation_id":"refusal-unknown","priority":1}]}`, 400, []string{`"priority"`}},
		{"schema_version 2", `{"client_id":"fw-a-refusals","schema_version":2,"mutations":[]}`, 400, []string{"schema_version 2", "not supported"}},
		{"schema_version missing", `{"client_id":"fw-a-refusals","mutations":[]}`, 400, []string{"schema_version"}},
		{"schema_version a string", `{"client_id":"fw-a-refusals","schema_version":"1","mutations":[]}`, 400, []string{"schema_version"}},
		{"mutations an object", `{"client_id":"fw-a-refusals","schema_version":1,"mutations":{}}`, 400, []string{"mutations"}},
		{"base_rev beyond int", `{"client_id":"fw-a-refusals","schema_version":1,"mutations":[{"base_rev":1e400}]}`, 400, []string{"base_rev"}},
		{"501 mutations", pushBody(d.clientID, many...), 413, []string{"at most 500 mutations"}},
	} {
		status, body := d.do(http.MethodPost, "/api/sync/push", c.body)
		wantRefusal(t, c.name, status, body, c.status, c.words...)
	}

	// a refused request applies and records nothing
	if n, _ := app.CountRecords("case_notes", dbx.NewExp("id LIKE 'refusalnote%'")); n != 0 {
		t.Errorf("refused pushes created %d case notes", n)
	}
	if n, _ := app.CountRecords("sync_conflicts"); n != 0 {
		t.Errorf("refused pushes left %d sync_conflicts records", n)
	}

	// the limits themselves are allowed: 500 mutations and exactly 5 MB.
	// (500 updates that change nothing, which skip the REST handler: 500
	// creates would take seconds)
	a2, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	noop := make([]devicesync.Mutation, devicesync.MaxMutations)
	for i := range noop {
		noop[i] = mutation(fmt.Sprintf("refusal-noop-%04d", i), "returnees", testapp.ReturneeA2, "update", a2.GetInt("rev"),
			map[string]any{"phone": a2.GetString("phone")})
	}
	res := d.push(noop...)
	if len(res) != devicesync.MaxMutations {
		t.Fatalf("500 mutations: %d results", len(res))
	}
	for _, r := range res {
		if r.Status != devicesync.StatusApplied {
			t.Fatalf("500 mutations: %s %s %+v", r.MutationID, r.Status, r.Error)
		}
	}
	padded := pushBody(d.clientID) // no mutations: only the size matters
	padded += strings.Repeat(" ", devicesync.MaxPushBytes-len(padded))
	status, body := d.do(http.MethodPost, "/api/sync/push", padded)
	if status != http.StatusOK {
		t.Errorf("a push of exactly %d bytes: %d %s", devicesync.MaxPushBytes, status, body)
	}
	status, body = d.do(http.MethodPost, "/api/sync/push", padded+" ")
	wantRefusal(t, "a push of 5 MB + 1 byte", status, body, http.StatusRequestEntityTooLarge, fmt.Sprint(devicesync.MaxPushBytes))

	// over 5 MB of content, not padding: refused before anything is applied
	big := note(10000)
	big.Fields["text"] = strings.Repeat("x", devicesync.MaxPushBytes)
	status, body = d.do(http.MethodPost, "/api/sync/push", pushBody(d.clientID, big))
	wantRefusal(t, "a push over 5 MB", status, body, http.StatusRequestEntityTooLarge, "bytes")
	if _, err := app.FindRecordById("case_notes", big.RecordID); err == nil {
		t.Error("the oversized push was applied")
	}
}

func TestSyncRefusal_NoAuth(t *testing.T) {
	app, srv := testapp.NewServed(t)
	for _, token := range []string{"", "garbage", "Bearer garbage"} {
		d := &device{t: t, base: srv.URL, token: token, clientID: "no-auth-device"}
		status, body := d.do(http.MethodPost, "/api/sync/push", pushBody(d.clientID,
			mutation("noauth-note-0001", "case_notes", "noauthnote00001", "create", 0, map[string]any{"returnee": testapp.ReturneeA1, "text": "x"})))
		wantRefusal(t, fmt.Sprintf("push with token %q", token), status, body, http.StatusUnauthorized)
		status, body = d.do(http.MethodGet, "/api/sync/pull?client_id=no-auth-device", nil)
		wantRefusal(t, fmt.Sprintf("pull with token %q", token), status, body, http.StatusUnauthorized)
	}
	if _, err := app.FindRecordById("case_notes", "noauthnote00001"); err == nil {
		t.Error("an unauthenticated push was applied")
	}
}

func TestPullRefusal_BadParameters(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-pull-refusals")
	cursor := func(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }

	for _, c := range []struct {
		name  string
		query url.Values
		words []string
	}{
		{"garbage cursor", url.Values{"cursor": {"!!not-a-cursor!!"}}, []string{"cursor"}},
		{"cursor of another version", url.Values{"cursor": {cursor("v2.1.0123456789abcdef")}}, []string{"cursor"}},
		{"cursor with a negative position", url.Values{"cursor": {cursor("v1.-5.0123456789abcdef")}}, []string{"cursor"}},
		{"cursor with a word for a position", url.Values{"cursor": {cursor("v1.five.0123456789abcdef")}}, []string{"cursor"}},
		{"cursor of too many parts", url.Values{"cursor": {cursor("v1.1.a.b")}}, []string{"cursor"}},
		{"limit=0", url.Values{"limit": {"0"}}, []string{"limit"}},
		{"limit=-1", url.Values{"limit": {"-1"}}, []string{"limit"}},
		{"limit=abc", url.Values{"limit": {"abc"}}, []string{"limit"}},
		{"limit=1.5", url.Values{"limit": {"1.5"}}, []string{"limit"}},
		{"limit beyond int", url.Values{"limit": {"99999999999999999999999"}}, []string{"limit"}},
		{"short client_id", url.Values{"client_id": {"short"}}, []string{"client_id"}},
	} {
		status, body := d.do(http.MethodGet, "/api/sync/pull?"+c.query.Encode(), nil)
		wantRefusal(t, c.name, status, body, http.StatusBadRequest, c.words...)
	}

	// a cursor given to another user is not refused: it resets
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-pull-refusals")
	b.pullAll()
	status, body := d.do(http.MethodGet, "/api/sync/pull?"+url.Values{"cursor": {b.cursor}}.Encode(), nil)
	var page devicesync.PullResponse
	if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil || !page.Reset || len(page.Changes) != 0 {
		t.Errorf("another user's cursor: %d %s, want 200 with reset and no changes", status, body)
	}
}

func TestPull_LimitIsClamped(t *testing.T) {
	app := testapp.New(t)
	// 2100 case notes about ReturneeA1 written by raw SQL (no hooks): the
	// engine's backfill logs them when the server starts
	const bulk = 2100
	_, err := app.NonconcurrentDB().NewQuery(`INSERT INTO case_notes (id, returnee, author, text, rev, created, updated)
		SELECT printf('bulknote%07d', i), {:returnee}, {:author}, 'nota', 1, {:now}, {:now}
		FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {:count}) SELECT i FROM n)`).
		Bind(dbx.Params{"returnee": testapp.ReturneeA1, "author": testapp.FieldWorkerA, "now": "2026-11-27 10:00:00.000Z", "count": bulk}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	srv := testapp.Serve(t, app)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-bulk")
	visible := 0
	for _, c := range syncedCollections {
		visible += len(d.restIDs(c))
	}
	if visible <= devicesync.MaxPullLimit || visible > 2*devicesync.MaxPullLimit {
		t.Fatalf("the user sees %d records; the test needs between %d and %d", visible, devicesync.MaxPullLimit+1, 2*devicesync.MaxPullLimit)
	}

	pull := func(limit, cursor string) devicesync.PullResponse {
		t.Helper()
		q := url.Values{"client_id": {d.clientID}}
		if limit != "" {
			q.Set("limit", limit)
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		status, body := d.do(http.MethodGet, "/api/sync/pull?"+q.Encode(), nil)
		var page devicesync.PullResponse
		if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil {
			t.Fatalf("pull limit=%s: %d %s", limit, status, body)
		}
		return page
	}

	if page := pull("", ""); len(page.Changes) != devicesync.DefaultPullLimit || !page.HasMore {
		t.Errorf("no limit: %d changes, has_more %v; want %d and more", len(page.Changes), page.HasMore, devicesync.DefaultPullLimit)
	}
	first := pull("5000", "")
	if len(first.Changes) != devicesync.MaxPullLimit || !first.HasMore {
		t.Fatalf("limit=5000: %d changes, has_more %v; want %d and more", len(first.Changes), first.HasMore, devicesync.MaxPullLimit)
	}
	second := pull("5000", first.Cursor)
	if len(second.Changes) == 0 || len(second.Changes) > devicesync.MaxPullLimit {
		t.Errorf("second page: %d changes; want the rest", len(second.Changes))
	}
	rest := second.Changes
	// the initial sync ends; the log since it began (nothing) follows
	if second.HasMore {
		third := pull("5000", second.Cursor)
		if third.HasMore || len(third.Changes) != 0 {
			t.Errorf("third page: %d changes, has_more %v; want none and no more", len(third.Changes), third.HasMore)
		}
	}
	seen := map[string]bool{}
	for _, c := range append(first.Changes, rest...) {
		if c.Op == "put" {
			seen[c.Collection+"/"+c.RecordID] = true
		}
	}
	if len(seen) != visible {
		t.Errorf("two pages of limit=5000 hold %d records, want the %d the REST API lists", len(seen), visible)
	}
}

// refusalWant is what one mutation of a push must answer.
type refusalWant struct {
	m      devicesync.Mutation
	status string
	code   string
	field  string // a field error the rejection must name
}

// mutationsOf are the mutations of wants, in order.
func mutationsOf(wants []refusalWant) []devicesync.Mutation {
	out := make([]devicesync.Mutation, len(wants))
	for i, w := range wants {
		out[i] = w.m
	}
	return out
}

// perMutationWants deletes NoteA1 (a record deleted on the server while a
// device was offline) and returns one push of field worker A that holds every
// per-mutation refusal of the contract between two good mutations.
func perMutationWants(t *testing.T, app core.App) []refusalWant {
	t.Helper()
	// a case note deleted on the server while the device was offline
	deleted, err := app.FindRecordById("case_notes", testapp.NoteA1)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Delete(deleted); err != nil {
		t.Fatal(err)
	}
	b1, _ := app.FindRecordById("returnees", testapp.ReturneeB1)
	a2, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	entry, _ := app.FindRecordById("ledger_entries", testapp.EntryA1)
	newNote := func(id, record string, extra map[string]any) devicesync.Mutation {
		fields := map[string]any{"returnee": testapp.ReturneeA1, "text": "nota " + id}
		for k, v := range extra {
			fields[k] = v
		}
		return mutation(id, "case_notes", record, "create", 0, fields)
	}

	return []refusalWant{
		{m: newNote("pm-good-note-01", "pmgoodnote00001", nil), status: "applied"},
		{m: newNote("short", "pmbadmutid00001", nil), status: "rejected", code: "validation_failed", field: "mutation_id"},
		{m: newNote("pm-bad-mut-id-with-a-slash/", "pmbadmutid00002", nil), status: "rejected", code: "validation_failed", field: "mutation_id"},
		{m: newNote("pm-bad-record-1", "PMBADRECORD0001", nil), status: "rejected", code: "validation_failed", field: "record_id"},
		{m: newNote("pm-bad-record-2", "pmbadrecord01", nil), status: "rejected", code: "validation_failed", field: "record_id"},
		{m: mutation("pm-bad-op-00001", "case_notes", "pmbadop00000001", "upsert", 0, map[string]any{"text": "x"}), status: "rejected", code: "validation_failed", field: "op"},
		{m: mutation("pm-bad-op-00002", "case_notes", "pmbadop00000002", "", 0, nil), status: "rejected", code: "validation_failed", field: "op"},
		{m: mutation("pm-bad-base-001", "returnees", testapp.ReturneeA2, "update", -1, map[string]any{"skills": "x"}), status: "rejected", code: "validation_failed", field: "base_rev"},
		{m: newNote("pm-field-id-001", "pmfieldid000001", map[string]any{"id": "pmotherid000001"}), status: "rejected", code: "validation_failed", field: "fields.id"},
		{m: mutation("pm-field-rev-01", "returnees", testapp.ReturneeA2, "update", a2.GetInt("rev"), map[string]any{"rev": 99}), status: "rejected", code: "validation_failed", field: "fields.rev"},
		{m: mutation("pm-field-stamp1", "returnees", testapp.ReturneeA2, "update", a2.GetInt("rev"), map[string]any{"created": "2020-01-01 00:00:00.000Z", "updated": "2020-01-01 00:00:00.000Z"}), status: "rejected", code: "validation_failed", field: "fields.created"},
		{m: inCollection("no_such_collection", newNote("pm-unknown-col1", "pmunknowncol001", nil)), status: "rejected", code: "unknown_collection"},
		{m: mutation("pm-unknown-col2", "audit_log", "pmunknowncol002", "create", 0, map[string]any{"action": "create"}), status: "rejected", code: "unknown_collection"},
		{m: mutation("pm-unknown-col3", "sync_conflicts", "pmunknowncol003", "create", 0, map[string]any{}), status: "rejected", code: "unknown_collection"},
		{m: mutation("pm-other-point1", "returnees", testapp.ReturneeB1, "update", b1.GetInt("rev"), map[string]any{"phone": "+521234567890"}), status: "rejected", code: "not_found"},
		// a record out of sight is answered as one that does not exist, for every op
		{m: mutation("pm-other-point2", "returnees", testapp.ReturneeB1, "delete", b1.GetInt("rev"), nil), status: "rejected", code: "not_found"},
		// one in sight that the caller may not delete (superusers only): forbidden
		{m: mutation("pm-own-point-de", "returnees", testapp.ReturneeA2, "delete", a2.GetInt("rev"), nil), status: "rejected", code: "forbidden"},
		{m: newNote("pm-other-point3", "pmotherpoint003", map[string]any{"returnee": testapp.ReturneeB1}), status: "rejected", code: "validation_failed", field: "returnee"},
		{m: mutation("pm-no-such-rec1", "returnees", "nosuchreturnee1", "update", 1, map[string]any{"phone": "+521234567890"}), status: "rejected", code: "not_found"},
		{m: mutation("pm-ledger-edit1", "ledger_entries", testapp.EntryA1, "update", entry.GetInt("rev"), map[string]any{"note": "corrected"}), status: "rejected", code: "immutable"},
		{m: mutation("pm-ledger-del01", "ledger_entries", testapp.EntryA1, "delete", entry.GetInt("rev"), nil), status: "rejected", code: "immutable"},
		{m: mutation("pm-deleted-upd1", "case_notes", testapp.NoteA1, "update", deleted.GetInt("rev"), map[string]any{"text": "edited offline"}), status: "conflict", code: "not_found"},
		{m: mutation("pm-deleted-del1", "case_notes", testapp.NoteA1, "delete", deleted.GetInt("rev"), nil), status: "conflict", code: "not_found"},
		{m: mutation("pm-good-phone01", "returnees", testapp.ReturneeA2, "update", a2.GetInt("rev"), map[string]any{"phone": "+526649876543"}), status: "applied"},
	}
}

func TestPushRefusal_PerMutation(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-per-mutation")
	b1, _ := app.FindRecordById("returnees", testapp.ReturneeB1)
	a2, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	entry, _ := app.FindRecordById("ledger_entries", testapp.EntryA1)
	wants := perMutationWants(t, app)
	res := d.push(mutationsOf(wants)...)
	checkRefusals(t, app, d.clientID, testapp.FieldWorkerA, wants, res)

	// the mutations around the refusals were applied, the refused ones not
	if _, err := app.FindRecordById("case_notes", "pmgoodnote00001"); err != nil {
		t.Error("the first good mutation was not applied")
	}
	if got, _ := app.FindRecordById("returnees", testapp.ReturneeA2); got.GetString("phone") != "+526649876543" || got.GetInt("rev") != a2.GetInt("rev")+1 {
		t.Errorf("the last good mutation: phone %q rev %d, want it applied once", got.GetString("phone"), got.GetInt("rev"))
	}
	if got, _ := app.FindRecordById("returnees", testapp.ReturneeB1); got.GetString("phone") != b1.GetString("phone") || got.GetInt("rev") != b1.GetInt("rev") {
		t.Errorf("ReturneeB1 was changed by field worker A: phone %q rev %d", got.GetString("phone"), got.GetInt("rev"))
	}
	if got, _ := app.FindRecordById("ledger_entries", testapp.EntryA1); got == nil || got.GetInt("rev") != entry.GetInt("rev") {
		t.Error("the ledger entry was changed or deleted")
	}
	for _, id := range []string{"pmbadmutid00001", "pmfieldid000001", "pmotherid000001", "pmotherpoint003", "pmunknowncol001"} {
		if _, err := app.FindRecordById("case_notes", id); err == nil {
			t.Errorf("case note %s of a rejected mutation exists", id)
		}
	}
	if _, err := app.FindRecordById("case_notes", testapp.NoteA1); err == nil {
		t.Error("the case note deleted on the server came back")
	}

	// a role whose create rule refuses the write: forbidden
	n := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-per-mutation")
	gr := testapp.ID(app, "states", "curp_code", "GR")
	tijuana := testapp.ID(app, "reception_points", "city", "Tijuana")
	nWants := []refusalWant{
		{m: mutation("pm-nodess-reg01", "returnees", "pmnodessreg0001", "create", 0, map[string]any{
			"given_names": "Ana", "first_surname": "Luna", "birth_date": "1990-01-01", "sex": "M",
			"reception_point": tijuana, "destination_state": gr}), status: "rejected", code: "forbidden"},
	}
	checkRefusals(t, app, n.clientID, testapp.NodessStaff1, nWants, n.push(nWants[0].m))
	if _, err := app.FindRecordById("returnees", "pmnodessreg0001"); err == nil {
		t.Error("the forbidden registration exists")
	}
}

// A device resends a push whose answer it lost: the applied mutations answer
// duplicate, the refused ones the same refusal, nothing is recorded twice, and
// above all the push is answered (a refused mutation must not block the
// device's queue). Mutations without a valid mutation_id cannot be recognised
// and are left out.
func TestPushRefusal_ResentPushAnswersTheSame(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-resend")
	var wants, again []refusalWant
	var ms []devicesync.Mutation
	for _, w := range perMutationWants(t, app) {
		if w.field == "mutation_id" {
			continue
		}
		wants = append(wants, w)
		ms = append(ms, w.m)
		if w.status == devicesync.StatusApplied {
			w.status = devicesync.StatusDuplicate
		}
		again = append(again, w)
	}
	checkRefusals(t, app, d.clientID, testapp.FieldWorkerA, wants, d.push(ms...))
	checkRefusals(t, app, d.clientID, testapp.FieldWorkerA, again, d.push(ms...))

	// one refused mutation alone, resent: the smallest case
	for _, m := range []devicesync.Mutation{
		mutation("resend-unknown1", "no_such_collection", "resendunknown01", "create", 0, map[string]any{}),
		mutation("resend-bad-op01", "case_notes", "resendbadop0001", "upsert", 0, map[string]any{}),
	} {
		for attempt := 1; attempt <= 2; attempt++ {
			status, body := d.do(http.MethodPost, "/api/sync/push", pushBody(d.clientID, m))
			if status != http.StatusOK {
				t.Errorf("%s, attempt %d: %d %s", m.MutationID, attempt, status, body)
			}
		}
	}
}

// checkRefusals checks each result against its want and that every rejected
// or conflicting mutation, and nothing else of the push, left one
// sync_conflicts record that says what was refused and why.
func checkRefusals(t *testing.T, app core.App, clientID, authID string, wants []refusalWant, res []devicesync.Result) {
	t.Helper()
	if len(res) != len(wants) {
		t.Fatalf("%d results for %d mutations", len(res), len(wants))
	}
	records, err := app.FindAllRecords("sync_conflicts", dbx.HashExp{"client_id": clientID})
	if err != nil {
		t.Fatal(err)
	}
	byMutation := map[string][]*core.Record{}
	for _, r := range records {
		byMutation[r.GetString("mutation_id")] = append(byMutation[r.GetString("mutation_id")], r)
	}
	for i, w := range wants {
		r := res[i]
		what := fmt.Sprintf("mutation %d (%s %s/%s)", i, w.m.Op, w.m.Collection, w.m.RecordID)
		if r.MutationID != w.m.MutationID || r.RecordID != w.m.RecordID {
			t.Errorf("%s: result is for %q/%q", what, r.MutationID, r.RecordID)
		}
		if r.Status != w.status {
			t.Errorf("%s: status %s, want %s (%+v)", what, r.Status, w.status, r.Error)
			continue
		}
		refused := w.status == devicesync.StatusRejected || w.status == devicesync.StatusConflict
		if !refused {
			// applied, merged or duplicate
			if r.Error != nil || len(byMutation[w.m.MutationID]) != 0 {
				t.Errorf("%s: %s with error %+v and %d sync_conflicts records", what, r.Status, r.Error, len(byMutation[w.m.MutationID]))
			}
			continue
		}
		if r.Error == nil || r.Error.Code != w.code || r.Error.Message == "" {
			t.Errorf("%s: error %+v, want code %s and a message", what, r.Error, w.code)
			continue
		}
		if w.field != "" && r.Error.Fields[w.field] == "" {
			t.Errorf("%s: field errors %v, want one on %s", what, r.Error.Fields, w.field)
		}
		if r.Status == devicesync.StatusConflict && r.Rev != 0 {
			t.Errorf("%s: a conflict answered rev %d", what, r.Rev)
		}
		kept := byMutation[w.m.MutationID]
		if len(kept) != 1 {
			t.Errorf("%s: %d sync_conflicts records, want 1 (nothing vanishes silently)", what, len(kept))
			continue
		}
		c := kept[0]
		kind := "rejected"
		if w.status == devicesync.StatusConflict {
			kind = "deleted_on_server"
		}
		if c.GetString("kind") != kind || c.GetString("code") != w.code || c.GetString("message") == "" ||
			c.GetString("auth_id") != authID || c.GetString("collection_name") != w.m.Collection ||
			c.GetString("record_id") != w.m.RecordID || c.GetString("op") != w.m.Op || c.GetInt("base_rev") != w.m.BaseRev {
			t.Errorf("%s: sync_conflicts record %v, want kind %s code %s by %s", what, c.FieldsData(), kind, w.code, authID)
		}
		if w.m.Fields != nil {
			var yours map[string]any
			// only the collection's own fields are kept (none of an unknown one)
			own := 0
			if col, err := app.FindCachedCollectionByNameOrId(w.m.Collection); err == nil {
				for name := range w.m.Fields {
					if col.Fields.GetByName(name) != nil {
						own++
					}
				}
			}
			if err := json.Unmarshal([]byte(c.GetString("yours")), &yours); err != nil || len(yours) != own {
				t.Errorf("%s: sync_conflicts keeps yours = %s, want the mutation's fields", what, c.GetString("yours"))
			}
		}
		if w.field != "" && w.status == devicesync.StatusRejected && !strings.Contains(c.GetString("details"), w.field) {
			t.Errorf("%s: sync_conflicts details %s do not name %s", what, c.GetString("details"), w.field)
		}
	}
	if want := countRefused(wants); len(records) != want {
		t.Errorf("sync_conflicts holds %d records for %s, want %d", len(records), clientID, want)
	}
}

func inCollection(collection string, m devicesync.Mutation) devicesync.Mutation {
	m.Collection = collection
	return m
}

func countRefused(wants []refusalWant) int {
	n := 0
	for _, w := range wants {
		if w.status == devicesync.StatusRejected || w.status == devicesync.StatusConflict {
			n++
		}
	}
	return n
}
