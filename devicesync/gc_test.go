package devicesync_test

import (
	"testing"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestGarbageCollection(t *testing.T) {
	app, srv := testapp.NewServed(t)
	count := func() int {
		var n int
		if err := app.DB().NewQuery("SELECT count(*) FROM _sync_log").Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	r := a.pulled()
	a.pullAll() // the device has acknowledged everything up to its cursor

	note, _ := app.FindRecordById("case_notes", testapp.NoteA1)
	for _, text := range []string{"uno", "dos", "tres"} {
		note.Set("text", text)
		if err := app.Save(note); err != nil {
			t.Fatal(err)
		}
	}
	// nothing the active device has not seen may go: only rows it has seen
	rowsBefore := count()
	dropped, err := devicesync.CollectGarbage(app, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if dropped == 0 || count() != rowsBefore-int(dropped) {
		t.Fatalf("dropped %d of %d rows", dropped, rowsBefore)
	}
	changes, reset := a.pullAll()
	if reset || ops(changes)["case_notes/"+testapp.NoteA1].Op != "put" {
		t.Fatalf("after collection the active device must get the note's last state without reset: reset=%v %v", reset, ops(changes))
	}
	r.apply(changes)
	a.converged(r, syncedCollections...)

	// a device silent for longer than the retention period is reset
	note.Set("text", "cuatro")
	if err := app.Save(note); err != nil {
		t.Fatal(err)
	}
	note.Set("text", "cinco")
	if err := app.Save(note); err != nil {
		t.Fatal(err)
	}
	if _, err := devicesync.CollectGarbage(app, time.Now().Add(devicesync.DefaultRetention+24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	_, reset = a.pullAll()
	if !reset {
		t.Error("a device whose cursor is older than the kept history must be reset")
	}
}

// A device whose cursor is ahead of the log (the server was restored from a
// backup that lacks what the device saw) is reset.
func TestReset_CursorAheadOfLog(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	a.pullAll()
	testapp.Update(t, app, "case_notes", testapp.NoteA1, map[string]any{"text": "antes de la falla"})
	a.pullAll()
	// the restored database lacks the last change the device saw
	if _, err := app.NonconcurrentDB().NewQuery("DELETE FROM _sync_log WHERE seq = (SELECT MAX(seq) FROM _sync_log)").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, reset := a.pullAll(); !reset {
		t.Error("a cursor ahead of the log must be reset")
	}
}
