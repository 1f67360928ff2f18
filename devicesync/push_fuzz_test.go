package devicesync_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// FuzzDecodePush sends arbitrary bodies to the real push handler of one test
// app (built once per fuzzing process and reused across inputs) as field
// worker A. Properties:
//   - the decoder accepts only a body that is one JSON value;
//   - nothing panics (neither the decoder, the shape check nor the handler);
//   - the answer is 200, 400 or 413, never a 500 or anything else;
//   - the status agrees with the decoder: 200 exactly when the body decodes
//     to a push, 413 when it carries too many mutations, 400 otherwise;
//   - a 200 holds one result per mutation, in order, each with a known
//     status, and a rejected or conflicting result carries a known code;
//   - a refusal answers a JSON error with a message;
//   - resending a body that answered 200 (the device lost the answer)
//     answers 200 again: applied and merged mutations answer duplicate, the
//     others the same status and error code.
//
// Bodies that decode to valid mutations may write to the app: that is fine,
// the properties do not depend on its state.
//
// Seeds: the f.Add calls below and testdata/fuzz/FuzzDecodePush/. Run it with
//
//	go test -run='^$' -fuzz=FuzzDecodePush -fuzztime=5s ./devicesync/
func FuzzDecodePush(f *testing.F) {
	for _, seed := range pushSeeds() {
		f.Add(seed)
	}

	app, srv := testapp.NewServed(f)
	token := testapp.Token(f, app, "staff", testapp.FieldWorkerA)
	seen := map[string]bool{} // client/mutation ids answered in this process

	f.Fuzz(func(t *testing.T, body []byte) {
		req, decErr := devicesync.DecodePush(body)
		if decErr == nil && !json.Valid(body) {
			t.Fatalf("the decoder accepts a body that is not one JSON value: %q", truncate(body))
		}
		if decErr == nil {
			for _, m := range req.Mutations {
				if bad := devicesync.CheckShape(m); bad != nil && (bad.Code != devicesync.CodeValidation || len(bad.Fields) == 0) {
					t.Fatalf("CheckShape(%+v) = %+v: want validation_failed with field errors", m, bad)
				}
			}
		}

		status, out := testapp.Request(t, srv.URL, token, http.MethodPost, "/api/sync/push", string(body))
		switch status {
		case http.StatusOK:
			if decErr != nil {
				t.Fatalf("200 for a body the decoder refuses (%v): %s", decErr, out)
			}
			first := checkResults(t, req, out, seen)
			// the device lost the answer and resends the same body
			status, out = testapp.Request(t, srv.URL, token, http.MethodPost, "/api/sync/push", string(body))
			if status != http.StatusOK {
				t.Fatalf("the resent push answers %d: %s", status, out)
			}
			again := checkResults(t, req, out, seen)
			for i, r := range again {
				want := first[i].Status
				if want == devicesync.StatusApplied || want == devicesync.StatusMerged {
					want = devicesync.StatusDuplicate
				}
				if r.Status != want || (r.Error == nil) != (first[i].Error == nil) || (r.Error != nil && r.Error.Code != first[i].Error.Code) {
					t.Fatalf("result %d: %s %+v, resent: %s %+v", i, first[i].Status, first[i].Error, r.Status, r.Error)
				}
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			tooMany := decErr != nil && strings.Contains(decErr.Error(), fmt.Sprintf("at most %d mutations", devicesync.MaxMutations))
			tooBig := len(body) > devicesync.MaxPushBytes
			switch {
			case decErr == nil && !tooBig:
				t.Fatalf("%d for a body the decoder accepts: %s", status, out)
			case status == http.StatusRequestEntityTooLarge && !tooMany && !tooBig:
				t.Fatalf("413 for a body that is neither too big nor has too many mutations (%v): %s", decErr, out)
			case status == http.StatusBadRequest && (tooMany || tooBig):
				t.Fatalf("400 for a body that should answer 413 (%v): %s", decErr, out)
			}
			var apiErr struct {
				Status  int    `json:"status"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(out, &apiErr); err != nil || apiErr.Message == "" || apiErr.Status != status {
				t.Fatalf("%d without a JSON error message: %s (%v)", status, out, err)
			}
		default:
			t.Fatalf("status %d (want 200, 400 or 413) for %q: %s", status, truncate(body), out)
		}
	})
}

// checkResults checks a 200 answer to req. seen holds the client/mutation ids
// of earlier answered pushes of this process: the server remembers them, and
// a client that reuses one for another mutation gets the first one's answer
// (duplicate, or its refusal), so that answer may name another record and a
// malformed reuse may answer duplicate. seen is updated.
func checkResults(t *testing.T, req *devicesync.PushRequest, out []byte, seen map[string]bool) []devicesync.Result {
	t.Helper()
	var res devicesync.PushResponse
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("200 with a body that is not a push response: %v: %s", err, out)
	}
	if len(res.Results) != len(req.Mutations) {
		t.Fatalf("%d results for %d mutations: %s", len(res.Results), len(req.Mutations), out)
	}
	statuses := map[string]bool{devicesync.StatusApplied: true, devicesync.StatusDuplicate: true,
		devicesync.StatusMerged: true, devicesync.StatusConflict: true, devicesync.StatusRejected: true}
	codes := map[string]bool{devicesync.CodeValidation: true, devicesync.CodeForbidden: true, devicesync.CodeNotFound: true,
		devicesync.CodeImmutable: true, devicesync.CodeUnknownCollection: true}
	for i, r := range res.Results {
		m := req.Mutations[i]
		key := req.ClientID + "\x00" + m.MutationID
		reused := seen[key]
		seen[key] = true
		if r.MutationID != m.MutationID || (r.RecordID != m.RecordID && !reused) {
			t.Fatalf("result %d is for %q/%q, want %q/%q", i, r.MutationID, r.RecordID, m.MutationID, m.RecordID)
		}
		if !statuses[r.Status] {
			t.Fatalf("result %d: unknown status %q", i, r.Status)
		}
		refused := r.Status == devicesync.StatusRejected || r.Status == devicesync.StatusConflict
		if refused && (r.Error == nil || !codes[r.Error.Code] || r.Error.Message == "") {
			t.Fatalf("result %d: %s without a known error code: %+v", i, r.Status, r.Error)
		}
		if bad := devicesync.CheckShape(m); bad != nil && r.Status != devicesync.StatusRejected && !reused {
			t.Fatalf("result %d: a malformed mutation (%v) answered %s", i, bad.Fields, r.Status)
		}
	}
	return res.Results
}

func truncate(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

// pushSeeds is the in-code seed corpus; testdata/fuzz/FuzzDecodePush holds
// more.
func pushSeeds() [][]byte {
	mut := func(id, collection, record, op string, baseRev any, fields string) string {
		return fmt.Sprintf(`{"mutation_id":%q,"collection":%q,"record_id":%q,"op":%q,"base_rev":%v,"fields":%s,"client_ts":"2026-11-27T10:00:00Z"}`,
			id, collection, record, op, baseRev, fields)
	}
	push := func(ms ...string) string {
		return `{"client_id":"fuzz-device-01","schema_version":1,"mutations":[` + strings.Join(ms, ",") + `]}`
	}
	note := mut("fuzz-note-000001", "case_notes", "fuzznote0000001", "create", 0,
		`{"returnee":"`+testapp.ReturneeA1+`","text":"Nota desde el campo"}`)
	phone := mut("fuzz-phone-00001", "returnees", testapp.ReturneeA2, "update", 1, `{"phone":"+526641234567"}`)

	many := make([]string, devicesync.MaxMutations+1)
	for i := range many {
		many[i] = mut(fmt.Sprintf("fuzz-many-%06d", i), "nope", "manymanymany001", "create", 0, `{}`)
	}

	seeds := []string{
		// valid pushes
		push(),
		push(note),
		push(phone, note),
		push(mut("fuzz-del-000001", "case_notes", testapp.NoteA1, "delete", 1, `null`)),
		// a mutation_id reused for another record (a client bug): answered as the first use
		push(mut("fuzz-del-000001", "case_notes", "fuzznote0000009", "update", 1, `{"text":"reuse"}`)),
		push(mut("fuzz-ledger-001", "ledger_entries", testapp.EntryA1, "update", 1, `{"note":"x"}`)),
		push(mut("fuzz-b1-0000001", "returnees", testapp.ReturneeB1, "update", 1, `{"phone":"+521234567890"}`)),
		push(mut("fuzz-idrev-0001", "returnees", testapp.ReturneeA2, "update", 1, `{"id":"x","rev":99,"created":"","updated":""}`)),
		push(mut("fuzz-IDREV-0002", "returnees", testapp.ReturneeA2, "update", 1, `{"ID":"x","Rev":99}`)),
		push(mut("short", "case_notes", "BAD", "upsert", -1, `{}`)),
		`{"client_id":"fuzz-device-01","schema_version":1}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":null}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[null,{}]}`,
		// malformed JSON
		``, ` `, `{`, `}`, `[]`, `null`, `true`, `"push"`, `0`, `{"client_id":}`, `{"client_id":"fuzz-device-01",}`,
		`{'client_id':'fuzz-device-01'}`, `{"client_id":"fuzz-device-01","schema_version":1}{}`,
		`{"client_id":"fuzz-device-01","schema_version":1}}`, `{"client_id":"fuzz-device-01","schema_version":1}]`,
		`{"client_id":"fuzz-device-01","schema_version":1} x`, "\xef\xbb\xbf" + push(),
		// missing or bad client_id, schema_version
		`{"schema_version":1,"mutations":[]}`, `{"client_id":"short","schema_version":1}`,
		`{"client_id":"has spaces in it","schema_version":1}`, `{"client_id":"` + strings.Repeat("x", 65) + `","schema_version":1}`,
		`{"client_id":"fuzz-device-01","schema_version":2}`, `{"client_id":"fuzz-device-01"}`, `{"client_id":"fuzz-device-01","schema_version":-1}`,
		// unknown top-level fields, duplicate and case-variant keys
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[],"extra":true}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"Mutations":[],"CLIENT_ID":"fuzz-device-02"}`,
		`{"client_id":"short","client_id":"fuzz-device-01","schema_version":1}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[{"mutation_id":"fuzz-unknown-01","surprise":1}]}`,
		// huge numbers
		`{"client_id":"fuzz-device-01","schema_version":1e400}`,
		`{"client_id":"fuzz-device-01","schema_version":99999999999999999999999}`,
		`{"client_id":"fuzz-device-01","schema_version":1.0}`,
		`{"client_id":"fuzz-device-01","schema_version":1.5}`,
		push(mut("fuzz-huge-00001", "returnees", testapp.ReturneeA2, "update", "9223372036854775807", `{"phone":1e308}`)),
		push(mut("fuzz-huge-00002", "returnees", testapp.ReturneeA2, "update", "1e400", `{}`)),
		push(mut("fuzz-huge-00003", "returnees", testapp.ReturneeA2, "update", 1, `{"phone":1e400}`)),
		push(mut("fuzz-huge-00004", "training_courses", testapp.CourseN1, "update", 1, `{"capacity":-1e300}`)),
		// wrong types
		`{"client_id":12345678,"schema_version":1}`, `{"client_id":"fuzz-device-01","schema_version":"1"}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":{}}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":"all"}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[1,2,3]}`,
		push(`{"mutation_id":1,"collection":[],"record_id":{},"op":true,"base_rev":"3","fields":[]}`),
		push(mut("fuzz-types-0001", "returnees", testapp.ReturneeA2, "update", 1, `{"phone":[1,2],"skills":{"a":1},"birth_date":true,"reception_point":7}`)),
		push(mut("fuzz-types-0002", "case_notes", "fuzznote0000002", "create", 0, `{"returnee":["`+testapp.ReturneeA1+`"],"text":null}`)),
		// too many mutations
		push(many...),
		// nested garbage
		push(mut("fuzz-nest-00001", "case_notes", "fuzznote0000003", "create", 0,
			`{"returnee":"`+testapp.ReturneeA1+`","text":{"a":[[[[[[[[[[{"b":null}]]]]]]]]]]}}`)),
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}`,
		strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000),
		`{"a":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5001),
		// unicode
		`{"client_id":"dispositivo-ñandú","schema_version":1}`,
		`{"client_id":"fuzz-device-01","schema_version":1,"mutations":[],"clïent_id":"x"}`,
		`{"client_id":"fuzz\u002ddevice\u002d01","schema_version":1}`,
		`{"client_id":"fuzz-device-01\u0000","schema_version":1}`,
		push(mut("fuzz-uni-000001", "returnees", testapp.ReturneeA2, "update", 1, `{"skills":"albañilería 🧱 \u202e\ud83d"}`)),
		push(mut("fuzz-uni-000002", "returñees", "fuzznote0000004", "create", 0, `{}`)),
		push(mut("fuzz-uni-000003", "case_notes", "fuzznöte000005", "create", 0, `{}`)),
		"{\"client_id\":\"fuzz-device-01\",\"schema_version\":1,\"mutations\":[{\"mutation_id\":\"fuzz-\xff\xfe-0001\"}]}",
	}
	out := make([][]byte, len(seeds))
	for i, s := range seeds {
		out[i] = []byte(s)
	}
	return out
}
