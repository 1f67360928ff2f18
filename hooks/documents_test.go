package hooks_test

// Documents beyond the rule matrix: who may download a document's file
// (protected: a file token, and the token's user must pass the view rule),
// that a file the caller may not see answers exactly like a missing one, the
// file's type and size on every write path, and the fields the server keeps.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/pb_migrations"
)

// fileToken asks the server for a file token as the user of token.
func fileToken(t *testing.T, base, token string) string {
	t.Helper()
	status, body := testapp.Request(t, base, token, http.MethodPost, "/api/files/token", nil)
	var res struct{ Token string }
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK || res.Token == "" {
		t.Fatalf("file token: %d %s", status, body)
	}
	return res.Token
}

// fetchFile downloads the file of a document with a file token ("" for
// none), as an <img src> or a link does (no Authorization header).
func fetchFile(t *testing.T, base, id, filename, token, query string) (int, []byte, string) {
	t.Helper()
	url := base + "/api/files/documents/" + id + "/" + filename + "?token=" + token + query
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b.Bytes(), resp.Header.Get("Content-Type")
}

func TestDocuments_FileDownloadScope(t *testing.T) {
	app, srv := testapp.NewServed(t)
	tokens := map[string]string{"guest": ""}
	for name, id := range map[string]string{
		"field worker A": testapp.FieldWorkerA, "field worker B": testapp.FieldWorkerB, "coordinator BC": testapp.CoordBC,
		"NODESS 1": testapp.NodessStaff1, "NODESS 2": testapp.NodessStaff2,
	} {
		tokens[name] = fileToken(t, srv.URL, testapp.Token(t, app, "staff", id))
	}
	tokens["account A1"] = fileToken(t, srv.URL, testapp.Token(t, app, "returnee_accounts", testapp.AccountA1))
	tokens["account B1"] = fileToken(t, srv.URL, testapp.Token(t, app, "returnee_accounts", testapp.AccountB1))
	name := func(id string) string { return testapp.Find(t, app, "documents", id).GetString("file") }

	// what a record that does not exist answers: every refusal below must be
	// this, byte for byte
	missingStatus, missingBody, _ := fetchFile(t, srv.URL, "nosuchrecord001", name(testapp.DocumentA1ID), tokens["field worker A"], "")
	if missingStatus != http.StatusNotFound {
		t.Fatalf("a missing record: %d %s", missingStatus, missingBody)
	}

	cases := []struct {
		doc  string
		sees []string // the others get the missing record's answer
	}{
		// an identity document: never a NODESS, though A1 shares their data with N1
		{testapp.DocumentA1ID, []string{"field worker A", "coordinator BC", "account A1"}},
		{testapp.DocumentA1Other, []string{"field worker A", "coordinator BC", "account A1", "NODESS 1"}},
		// B1 shares their data with N2, whose staff still never read B1's birth certificate
		{testapp.DocumentB1ID, []string{"field worker B", "account B1"}},
	}
	for _, c := range cases {
		for who, token := range tokens {
			for _, query := range []string{"", "&thumb=" + pb_migrations.DocumentThumb, "&download=1"} {
				status, body, _ := fetchFile(t, srv.URL, c.doc, name(c.doc), token, query)
				want := slices.Contains(c.sees, who)
				switch {
				case want && status != http.StatusOK:
					t.Errorf("%s fetching %s%s: %d %s, want 200", who, c.doc, query, status, body)
				case !want && (status != missingStatus || !bytes.Equal(body, missingBody)):
					t.Errorf("%s fetching %s%s: %d %s, want what a missing record answers: %d %s", who, c.doc, query, status, body, missingStatus, missingBody)
				}
			}
		}
	}

	// a file token is a user's: the Authorization header of a user who sees
	// the document does not open it without one
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/files/documents/"+testapp.DocumentA1ID+"/"+name(testapp.DocumentA1ID), nil)
	if status, body := testapp.Do(t, req, testapp.Token(t, app, "staff", testapp.FieldWorkerA)); status != missingStatus || !bytes.Equal(body, missingBody) {
		t.Errorf("the auth token instead of a file token: %d %s", status, body)
	}

	// a photo's thumbnail is a JPEG of 200x200 made by the server
	status, _, contentType := fetchFile(t, srv.URL, testapp.DocumentA1ID, name(testapp.DocumentA1ID), tokens["field worker A"], "&thumb="+pb_migrations.DocumentThumb)
	if status != http.StatusOK || contentType != "image/jpeg" {
		t.Errorf("thumbnail: %d %s", status, contentType)
	}

	// the person withdraws share_nodess: N1 loses the shared document at once
	consent := testapp.Find(t, app, "consents", testapp.ConsentA1)
	consent.Set("withdrawn_at", time.Now().UTC())
	if err := app.Save(consent); err != nil {
		t.Fatal(err)
	}
	if status, body, _ := fetchFile(t, srv.URL, testapp.DocumentA1Other, name(testapp.DocumentA1Other), tokens["NODESS 1"], ""); status != missingStatus || !bytes.Equal(body, missingBody) {
		t.Errorf("N1 after the withdrawal: %d %s", status, body)
	}
}

// storedFiles lists the files the app keeps for a document (none if the
// document has no directory).
func storedFiles(t testing.TB, app core.App, id string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(app.DataDir(), "storage", "pbc_documents", id))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestDocuments_BadFile: a file over 2 MB, or of a type that is neither a
// photo nor a PDF (whatever its name says), or none at all: a field error on
// file, and nothing saved (no record, no file kept), on REST, batch and the
// sync push.
func TestDocuments_BadFile(t *testing.T) {
	e := getEnv(t)
	jpeg := testapp.JPEG(16, 16)
	tooBig := append(append([]byte{}, jpeg...), make([]byte, pb_migrations.DocumentMaxBytes+1-len(jpeg))...)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	const id = "documentbad0001"
	nothingKept := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if _, err := app.FindRecordById("documents", id); err == nil {
			t.Errorf("document %s was saved", id)
		}
		if files := storedFiles(t, app, id); len(files) > 0 {
			t.Errorf("files kept for a refused document: %v", files)
		}
	}
	fields := map[string]string{"id": id, "returnee": rA1, "kind": "ine"}
	for _, c := range []struct {
		name, file string
		content    []byte
		code       string
	}{
		{"over 2 MB", "ine.jpg", tooBig, "validation_file_size_limit"},
		{"text named .jpg", "ine.jpg", []byte("esto no es una foto"), "validation_invalid_mime_type"},
		{"svg named .png", "ine.png", svg, "validation_invalid_mime_type"},
		{"no file", "", nil, "validation_required"},
	} {
		key := "file"
		if c.file == "" {
			key = ""
		}
		body, contentType := formWithFile(fields, key, c.file, c.content)
		call{name: "REST: " + c.name, who: fieldWorkerA,
			op:   op{name: "create", method: http.MethodPost, collection: "documents", body: body, contentType: contentType},
			want: fieldError("file", c.code), after: nothingKept}.run(t, e)

		// the batch API: the same request, its file under requests.0.file
		payload, _ := json.Marshal(map[string]any{"requests": []map[string]any{
			{"method": "POST", "url": "/api/collections/documents/records", "body": fields}}})
		if key != "" {
			key = "requests.0.file"
		}
		body, contentType = formWithFile(map[string]string{"@jsonPayload": string(payload)}, key, c.file, c.content)
		call{name: "batch: " + c.name, who: fieldWorkerA,
			op:      op{name: "batch", method: http.MethodPost, path: "/api/batch", body: body, contentType: contentType},
			want:    badRequest("Batch transaction failed."),
			content: []string{`"file":{"code":"` + c.code + `"`},
			before:  func(t testing.TB, app *tests.TestApp) { app.Settings().Batch.Enabled = true },
			after:   nothingKept}.run(t, e)
	}
}

// TestDocuments_SyncPushCarriesNoFile: the sync push is JSON, so a document
// cannot be created through it (its file is required), nor its file set or
// changed; its kind is corrected through it like any field.
func TestDocuments_SyncPushCarriesNoFile(t *testing.T) {
	app, srv := testapp.NewServed(t)
	token := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	rev := testapp.Find(t, app, "documents", testapp.DocumentA1ID).GetInt("rev")
	push := devicesync.PushRequest{ClientID: "docs-push-fw-a", SchemaVersion: 1, Mutations: []devicesync.Mutation{
		{MutationID: "docs-create-0001", Collection: "documents", RecordID: "documentpush001", Op: "create",
			Fields: map[string]any{"returnee": testapp.ReturneeA1, "kind": "ine", "file": "ine.jpg"}},
		{MutationID: "docs-file-00001", Collection: "documents", RecordID: testapp.DocumentA1ID, Op: "update", BaseRev: rev,
			Fields: map[string]any{"file": "otra.jpg"}},
		{MutationID: "docs-kind-00001", Collection: "documents", RecordID: testapp.DocumentA1ID, Op: "update", BaseRev: rev,
			Fields: map[string]any{"kind": "curp"}},
	}}
	status, body := testapp.Request(t, srv.URL, token, http.MethodPost, "/api/sync/push", push)
	var res devicesync.PushResponse
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK {
		t.Fatalf("push: %d %s", status, body)
	}
	for i, want := range []string{"validation_invalid_file", "not_editable", ""} {
		r := res.Results[i]
		switch {
		case want == "" && r.Status != devicesync.StatusApplied:
			t.Errorf("%s: %+v, want applied", r.MutationID, r)
		case want != "" && (r.Status != devicesync.StatusRejected || r.Error == nil || r.Error.FieldCodes["file"] != want):
			t.Errorf("%s: %+v, want rejected with %s on file", r.MutationID, r, want)
		}
	}
	if _, err := app.FindRecordById("documents", "documentpush001"); err == nil {
		t.Error("a document was created without its file")
	}
	if d := testapp.Find(t, app, "documents", testapp.DocumentA1ID); d.GetString("kind") != "curp" || len(storedFiles(t, app, d.Id)) == 0 {
		t.Errorf("after the pushes: kind %s, files %v", d.GetString("kind"), storedFiles(t, app, d.Id))
	}
}

// TestDocuments_ServerFields: captured_by and captured_at are the server's;
// afterwards a document's person and file never change, and a document is
// deleted only by whoever took it, with its file.
func TestDocuments_ServerFields(t *testing.T) {
	app, srv := testapp.NewServed(t)
	token := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	send := func(method, path string, fields map[string]string, file string) (int, []byte) {
		key := ""
		if file != "" {
			key = "file"
		}
		body, contentType := formWithFile(fields, key, file, testapp.JPEG(20, 20))
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		return testapp.Do(t, req, token)
	}

	before := time.Now().Add(-time.Second)
	status, body := send(http.MethodPost, "/api/collections/documents/records", map[string]string{"id": "documentstamp01", "returnee": rA1,
		"kind": "constancia_repatriacion", "captured_by": testapp.FieldWorkerB, "captured_at": "2020-01-01 00:00:00.000Z"}, "constancia.jpg")
	if status != http.StatusOK {
		t.Fatalf("create: %d %s", status, body)
	}
	d := testapp.Find(t, app, "documents", "documentstamp01")
	if got := d.GetString("captured_by"); got != testapp.FieldWorkerA {
		t.Errorf("captured_by %s, want the writer %s", got, testapp.FieldWorkerA)
	}
	if at := d.GetDateTime("captured_at").Time(); at.Before(before) || at.After(time.Now()) {
		t.Errorf("captured_at %v, want the server's time of the create", at)
	}

	path := "/api/collections/documents/records/documentstamp01"
	for _, c := range []struct {
		name   string
		fields map[string]string
		file   string
		field  string
	}{
		{"another person", map[string]string{"returnee": rA2}, "", "returnee"},
		{"another file", nil, "otra.jpg", "file"},
		{"another time", map[string]string{"captured_at": "2021-01-01 00:00:00.000Z"}, "", "captured_at"},
	} {
		status, body := send(http.MethodPatch, path, c.fields, c.file)
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"`+c.field+`":{"code":"not_editable"`) {
			t.Errorf("%s: %d %s, want not_editable on %s", c.name, status, body, c.field)
		}
	}

	// taken by someone else: field worker A sees it and may not delete it
	testapp.Save(t, app, "documents", map[string]any{"id": "documentother01", "returnee": rA1, "kind": "other",
		"file": testapp.File(testapp.PDF(), "carta.pdf"), "captured_by": testapp.CoordBC})
	if status, body := testapp.Request(t, srv.URL, token, http.MethodDelete, "/api/collections/documents/records/documentother01", nil); status != http.StatusNotFound {
		t.Errorf("delete of another's document: %d %s", status, body)
	}
	if status, body := testapp.Request(t, srv.URL, token, http.MethodDelete, path, nil); status != http.StatusNoContent {
		t.Fatalf("delete of their own: %d %s", status, body)
	}
	// PocketBase deletes a deleted record's files in the background
	files := storedFiles(t, app, "documentstamp01")
	for deadline := time.Now().Add(5 * time.Second); len(files) > 0 && time.Now().Before(deadline); files = storedFiles(t, app, "documentstamp01") {
		time.Sleep(20 * time.Millisecond)
	}
	if len(files) > 0 {
		t.Errorf("files left after the delete: %v", files)
	}
}
