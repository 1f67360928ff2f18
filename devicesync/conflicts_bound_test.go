package devicesync_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestPush_RefusalsAreBounded: one account's refusals are answered, but the
// server stores at most the hourly budget of them, counts the rest, and keeps
// of each only the collection's own fields with cut values. Before, one
// returnee account added 50 MB in 7 s.
func TestPush_RefusalsAreBounded(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "flood-account-a1")
	long := strings.Repeat("á", 8_000)
	pushes, per := 3, 100
	for p := 0; p < pushes; p++ {
		ms := make([]devicesync.Mutation, per)
		for i := range ms {
			ms[i] = mutation(fmt.Sprintf("flood-%d-%05d", p, i), "case_notes", fmt.Sprintf("flood%d%09d", p, i), "create", 0,
				map[string]any{"returnee": testapp.ReturneeA1, "text": long, "not_a_field": long})
		}
		for _, r := range d.push(ms...) {
			if r.Status != devicesync.StatusRejected || r.Error.Code != devicesync.CodeForbidden {
				t.Fatalf("a returnee's case note answered %+v, want rejected forbidden", r)
			}
		}
	}
	stored, err := app.FindAllRecords("sync_conflicts", dbx.HashExp{"auth_id": testapp.AccountA1})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != devicesync.DefaultMaxRefusalsPerHour {
		t.Errorf("%d refusals stored, want the hourly budget %d", len(stored), devicesync.DefaultMaxRefusalsPerHour)
	}
	dropped, err := devicesync.DroppedRefusals(app, testapp.AccountA1, time.Now().Add(-time.Hour))
	if err != nil || dropped != pushes*per-devicesync.DefaultMaxRefusalsPerHour {
		t.Errorf("%d refusals counted as dropped (%v), want %d", dropped, err, pushes*per-devicesync.DefaultMaxRefusalsPerHour)
	}
	for _, c := range stored[:3] {
		var yours map[string]any
		if err := json.Unmarshal([]byte(c.GetString("yours")), &yours); err != nil {
			t.Fatal(err)
		}
		if _, ok := yours["not_a_field"]; ok || len(c.GetString("yours")) > devicesync.MaxStoredPayloadBytes {
			t.Errorf("stored payload keeps %d bytes and names %v", len(c.GetString("yours")), yours)
		}
		if text, _ := yours["text"].(string); len([]rune(text)) != devicesync.MaxStoredValueRunes {
			t.Errorf("stored text has %d runes, want it cut to %d", len([]rune(text)), devicesync.MaxStoredValueRunes)
		}
		if !strings.Contains(c.GetString("details"), "_not_kept") {
			t.Errorf("details %s do not say a field was not kept", c.GetString("details"))
		}
	}
}

// TestPush_RefusalOutOfSightGoesToTheAuthorsState: guesses at a person of
// Baja California by a field worker of Matamoros land in Tamaulipas's review
// queue (the guesser's), never in Baja California's (the person's); a
// refusal about a record its author sees goes to the record's state.
func TestPush_RefusalOutOfSightGoesToTheAuthorsState(t *testing.T) {
	app, srv := testapp.NewServed(t)
	bc, tm := testapp.ID(app, "states", "curp_code", "BC"), testapp.ID(app, "states", "curp_code", "TS")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "review-state-fw-b")
	b.push(mutation("review-hidden-01", "returnees", testapp.ReturneeA1, "update", 1, map[string]any{"phone": "+521111111111"}))
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "review-state-fw-a")
	a.push(mutation("review-insight-1", "returnees", testapp.ReturneeA1, "update", 1, map[string]any{"sex": "Z"}))

	for clientID, want := range map[string]string{b.clientID: tm, a.clientID: bc} {
		records, err := app.FindAllRecords("sync_conflicts", dbx.HashExp{"client_id": clientID})
		if err != nil || len(records) != 1 {
			t.Fatalf("%s: %d conflicts (%v)", clientID, len(records), err)
		}
		if got := records[0].GetString("state"); got != want {
			t.Errorf("%s: refusal reviewed in state %s, want %s", clientID, got, want)
		}
	}
}

// TestPush_MutationIDIsBoundToItsUser: another user who sends a known
// client_id and mutation_id learns nothing of what the first push did: no
// duplicate, no record, no stored refusal replayed.
func TestPush_MutationIDIsBoundToItsUser(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "shared-client-id")
	m := mutation("shared-mutation-1", "returnees", testapp.ReturneeA2, "update", 1, map[string]any{"skills": "soldadura"})
	if r := a.push(m)[0]; r.Status != devicesync.StatusApplied && r.Status != devicesync.StatusMerged {
		t.Fatalf("first push: %+v", r)
	}
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "shared-client-id")
	r := b.push(m)[0]
	if r.Status != devicesync.StatusRejected || r.Record != nil || r.Error == nil || r.Error.Fields["mutation_id"] == "" {
		t.Errorf("another user's replay answered %+v, want a rejection of the mutation_id", r)
	}
	if again := a.push(m)[0]; again.Status != devicesync.StatusDuplicate {
		t.Errorf("the first user's own retry answered %s, want duplicate", again.Status)
	}
}

// TestCollectGarbage_OldRefusalsAndMutationIDs: refusals and idempotency
// records older than the retention period are collected; newer ones stay.
func TestCollectGarbage_OldRefusalsAndMutationIDs(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "gc-refusals-fw-b")
	d.push(mutation("gc-refused-0001", "returnees", testapp.ReturneeA1, "update", 1, map[string]any{"phone": "+521111111111"}),
		mutation("gc-applied-0001", "case_notes", "gcappliednote01", "create", 0, map[string]any{"returnee": testapp.ReturneeB1, "text": "nota"}))
	count := func(table string) int {
		var n int
		if err := app.DB().NewQuery("SELECT count(*) FROM " + table + " WHERE client_id = 'gc-refusals-fw-b'").Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count("sync_conflicts") != 1 || count("_sync_mutations") != 2 {
		t.Fatalf("before: %d conflicts, %d mutation ids", count("sync_conflicts"), count("_sync_mutations"))
	}
	if _, err := devicesync.CollectGarbage(app, time.Now()); err != nil {
		t.Fatal(err)
	}
	if count("sync_conflicts") != 1 || count("_sync_mutations") != 2 {
		t.Fatalf("collected within the retention period: %d conflicts, %d mutation ids", count("sync_conflicts"), count("_sync_mutations"))
	}
	if _, err := devicesync.CollectGarbage(app, time.Now().Add(devicesync.DefaultRetention+time.Hour)); err != nil {
		t.Fatal(err)
	}
	if count("sync_conflicts") != 0 || count("_sync_mutations") != 0 {
		t.Errorf("past the retention period: %d conflicts, %d mutation ids left", count("sync_conflicts"), count("_sync_mutations"))
	}
}
