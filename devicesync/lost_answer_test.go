package devicesync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The server commits a push but the device never sees the answer (the
// connection drops): the device retries the same push, which must answer
// duplicate for every mutation and change nothing.
func TestPush_LostAnswerRetryIsDuplicate(t *testing.T) {
	app, srv := testapp.NewServed(t)

	for i, lose := range []struct {
		name string
		send func(t *testing.T, base, token string, body []byte)
	}{
		{"connection closed right after sending", sendAndHangUp},
		{"request context cancelled right after sending", sendAndCancel},
	} {
		t.Run(lose.name, func(t *testing.T) {
			d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-lost-answer")
			lostAnswer(t, app, d, fmt.Sprintf("%04d", i), lose.send)
		})
	}
}

func lostAnswer(t *testing.T, app *tests.TestApp, d *device, suffix string, send func(*testing.T, string, string, []byte)) {
	a2, err := app.FindRecordById("returnees", testapp.ReturneeA2)
	if err != nil {
		t.Fatal(err)
	}
	noteID := "lostnote000" + suffix
	phone := "+52664555" + suffix
	ms := []devicesync.Mutation{
		mutation("lost-note-"+suffix, "case_notes", noteID, "create", 0, map[string]any{"returnee": testapp.ReturneeA1, "text": "Llamada de seguimiento"}),
		mutation("lost-phone-"+suffix, "returnees", testapp.ReturneeA2, "update", a2.GetInt("rev"), map[string]any{"phone": phone}),
	}
	audit := func(id string) int {
		n, err := app.CountRecords("audit_log", dbx.HashExp{"record_id": id})
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	logRows := func(id string) int {
		var n int
		if err := app.DB().Select("count(*)").From("_sync_log").Where(dbx.HashExp{"record_id": id}).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a2Audit := audit(a2.Id)

	body, _ := json.Marshal(devicesync.PushRequest{ClientID: d.clientID, SchemaVersion: 1, Mutations: ms})
	send(t, d.base, d.token, body)

	// the server goes on without the device: wait for the commit
	var note *core.Record
	for deadline := time.Now().Add(5 * time.Second); ; {
		if note, err = app.FindRecordById("case_notes", noteID); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the push whose answer was lost was not committed within 5s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// one transaction: the update committed with the create
	after, _ := app.FindRecordById("returnees", a2.Id)
	if after.GetString("phone") != phone || after.GetInt("rev") != a2.GetInt("rev")+1 || audit(a2.Id) != a2Audit+1 {
		t.Fatalf("first attempt: phone %q rev %d audit %d; want %q, rev %d, one audit entry more",
			after.GetString("phone"), after.GetInt("rev"), audit(a2.Id), phone, a2.GetInt("rev")+1)
	}
	if n := audit(noteID); n != 1 {
		t.Fatalf("first attempt: %d audit entries for the note, want 1", n)
	}
	noteLog, a2Log := logRows(noteID), logRows(a2.Id)

	// the device retries, twice
	for attempt := 1; attempt <= 2; attempt++ {
		res := d.push(ms...)
		if len(res) != len(ms) {
			t.Fatalf("retry %d: %d results", attempt, len(res))
		}
		for i, r := range res {
			if r.Status != devicesync.StatusDuplicate || r.MutationID != ms[i].MutationID || r.RecordID != ms[i].RecordID {
				t.Errorf("retry %d, mutation %d: %s %s/%s %+v, want duplicate", attempt, i, r.Status, r.MutationID, r.RecordID, r.Error)
			}
		}
		// a duplicate answers the current record
		var rec struct {
			ID    string `json:"id"`
			Rev   int    `json:"rev"`
			Phone string `json:"phone"`
		}
		if err := json.Unmarshal(res[1].Record, &rec); err != nil || rec.ID != a2.Id || rec.Phone != phone || rec.Rev != after.GetInt("rev") || res[1].Rev != after.GetInt("rev") {
			t.Errorf("retry %d: the duplicate update answers %s rev %d; want the current record", attempt, res[1].Record, res[1].Rev)
		}
		if res[0].Rev != note.GetInt("rev") || len(res[0].Record) == 0 {
			t.Errorf("retry %d: the duplicate create answers %s rev %d; want the note at rev %d", attempt, res[0].Record, res[0].Rev, note.GetInt("rev"))
		}
	}

	if n, _ := app.CountRecords("case_notes", dbx.HashExp{"id": noteID}); n != 1 {
		t.Errorf("the note exists %d times, want once", n)
	}
	if again, _ := app.FindRecordById("case_notes", noteID); again.GetInt("rev") != note.GetInt("rev") || again.GetString("updated") != note.GetString("updated") {
		t.Errorf("the note changed on retry: rev %d -> %d", note.GetInt("rev"), again.GetInt("rev"))
	}
	if again, _ := app.FindRecordById("returnees", a2.Id); again.GetInt("rev") != after.GetInt("rev") || again.GetString("updated") != after.GetString("updated") {
		t.Errorf("the returnee changed on retry: rev %d -> %d", after.GetInt("rev"), again.GetInt("rev"))
	}
	if audit(noteID) != 1 || audit(a2.Id) != a2Audit+1 {
		t.Errorf("the retries added audit entries: note %d (want 1), returnee %d (want %d)", audit(noteID), audit(a2.Id), a2Audit+1)
	}
	if logRows(noteID) != noteLog || logRows(a2.Id) != a2Log {
		t.Error("the retries added change log rows")
	}
	if n, _ := app.CountRecords("sync_conflicts", dbx.HashExp{"client_id": d.clientID}); n != 0 {
		t.Errorf("the retries left %d sync_conflicts records", n)
	}
}

// sendAndHangUp writes the whole request on a raw connection and closes it
// without reading a byte of the answer.
func sendAndHangUp(t *testing.T, base, token string, body []byte) {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "POST /api/sync/push HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		u.Host, token, len(body))
	req.Write(body)
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
}

// sendAndCancel sends the request with a client whose context is cancelled
// as soon as the request is written.
func sendAndCancel(t *testing.T, base, token string, body []byte) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { cancel() },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/sync/push", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the answer was not lost: %d", resp.StatusCode)
	}
}
