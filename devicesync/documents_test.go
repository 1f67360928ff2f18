package devicesync_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestPull_Documents: a document's metadata syncs like the person's other
// records (the file's name in it, never the file), to each role as its list
// rule says: a NODESS device holds only the shared kinds of a person who
// shares their data with it, and loses a document when a field worker makes
// it an identity document, or when the person withdraws their consent.
func TestPull_Documents(t *testing.T) {
	app, srv := testapp.NewServed(t)
	docs := func(d *device) map[string]devicesync.Change {
		changes, _ := d.pullAll()
		out := map[string]devicesync.Change{}
		for _, c := range ops(changes) {
			if c.Collection == "documents" {
				out[c.RecordID] = c
			}
		}
		return out
	}
	worker := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "docs-fw-a")
	node1 := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "docs-node-1")
	node2 := newDevice(t, srv, app, "staff", testapp.NodessStaff2, "docs-node-2")
	person := newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "docs-person-a1")

	for _, c := range []struct {
		d    *device
		want []string
	}{
		{worker, []string{testapp.DocumentA1ID, testapp.DocumentA1Other}},
		{node1, []string{testapp.DocumentA1Other}},
		{node2, nil}, // B1 shares their data with N2; B1's only document identifies them
		{person, []string{testapp.DocumentA1ID, testapp.DocumentA1Other}},
	} {
		got := docs(c.d)
		if len(got) != len(c.want) {
			t.Errorf("%s pulled documents %v, want %v", c.d.authID, got, c.want)
		}
		for _, id := range c.want {
			var rec struct{ File, Kind string }
			if ch, ok := got[id]; !ok || ch.Op != "put" || json.Unmarshal(ch.Record, &rec) != nil || rec.File == "" {
				t.Errorf("%s: document %s: %+v", c.d.authID, id, ch)
			}
		}
	}

	// the worker corrects the kind: a certificate was in fact a CURP
	rev := testapp.Find(t, app, "documents", testapp.DocumentA1Other).GetInt("rev")
	if r := worker.push(mutation("docs-kind-curp01", "documents", testapp.DocumentA1Other, "update", rev, map[string]any{"kind": "curp"}))[0]; r.Status != devicesync.StatusApplied {
		t.Fatalf("kind to curp: %+v", r)
	}
	if c := docs(node1)[testapp.DocumentA1Other]; c.Op != "evict" {
		t.Errorf("N1 after the document became a CURP: %+v, want evict", c)
	}
	if r := worker.push(mutation("docs-kind-back01", "documents", testapp.DocumentA1Other, "update", rev+1, map[string]any{"kind": "other"}))[0]; r.Status != devicesync.StatusApplied {
		t.Fatalf("kind back to other: %+v", r)
	}
	if c := docs(node1)[testapp.DocumentA1Other]; c.Op != "put" {
		t.Errorf("N1 after the document became other again: %+v, want put", c)
	}

	// the person withdraws share_nodess: the NODESS device loses the document
	consent := testapp.Find(t, app, "consents", testapp.ConsentA1)
	consent.Set("withdrawn_at", time.Now().UTC())
	if err := app.Save(consent); err != nil {
		t.Fatal(err)
	}
	if c := docs(node1)[testapp.DocumentA1Other]; c.Op != "evict" {
		t.Errorf("N1 after the withdrawal: %+v, want evict", c)
	}
}
