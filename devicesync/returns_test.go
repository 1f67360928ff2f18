package devicesync_test

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// A person returned again through another point reaches that point's devices
// and stays on the first point's (the last two points see them); a third
// return at yet another point takes them off the first point's devices, with
// the records about them.
func TestReturns_ScopeFollowsTheLastTwoPoints(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-returns")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-returns")
	ra, rb := a.pulled(), b.pulled()
	if rb["returnees"][testapp.ReturneeA1] != nil {
		t.Fatal("field worker B should not start with A1")
	}
	aboutA1 := []string{"returnees/" + testapp.ReturneeA1, "consents/" + testapp.ConsentA1, "referrals/" + testapp.ReferralA1,
		"case_notes/" + testapp.NoteA1, "returns/" + testapp.ReturnA1}

	// returned again, through Matamoros (the server's own write, as when a
	// device's registration with a known CURP becomes a new return)
	addReturn(t, app, "returna1matamo1", testapp.ReturneeA1, "Matamoros", "2026-12-01")
	person, _ := app.FindRecordById("returnees", testapp.ReturneeA1)
	if person.GetString("reception_point") != pointID(app, "Matamoros") || person.GetString("previous_point") != pointID(app, "Tijuana") ||
		person.GetString("repatriation_date") != "2026-12-01" {
		t.Fatalf("after the return at Matamoros: point %s, previous %s, date %s", person.GetString("reception_point"),
			person.GetString("previous_point"), person.GetString("repatriation_date"))
	}
	changesB, _ := b.pullAll()
	wantOps(t, "field worker B", changesB, "put", append(aboutA1, "returns/returna1matamo1"))
	rb.apply(changesB)
	b.converged(rb, syncedCollections...)
	changesA, _ := a.pullAll()
	if got := ops(changesA); got["returnees/"+testapp.ReturneeA1].Op != "put" || got["returns/returna1matamo1"].Op != "put" {
		t.Errorf("field worker A should keep A1 and see the new return: %v", got)
	}
	ra.apply(changesA)
	a.converged(ra, syncedCollections...)

	// both points may now write about A1
	res := b.push(mutation("ret-b-phone-0001", "returnees", testapp.ReturneeA1, "update", person.GetInt("rev"),
		map[string]any{"phone": "+528681112233"}))
	if res[0].Status != "applied" {
		t.Errorf("field worker B updating A1 after the return: %+v", res[0])
	}

	// a third return, at Nogales: Tijuana is no longer one of the last two
	addReturn(t, app, "returna1nogale1", testapp.ReturneeA1, "Nogales", "2026-12-03")
	changesA, _ = a.pullAll()
	wantOps(t, "field worker A after the return at Nogales", changesA, "evict", append(aboutA1, "returns/returna1matamo1"))
	ra.apply(changesA)
	a.converged(ra, syncedCollections...)
	changesB, _ = b.pullAll()
	rb.apply(changesB)
	b.converged(rb, syncedCollections...)
	if rb["returnees"][testapp.ReturneeA1] == nil {
		t.Error("field worker B (the previous point) lost A1")
	}
}

// wantOps checks that changes hold op for every collection/record key.
func wantOps(t *testing.T, who string, changes []devicesync.Change, op string, keys []string) {
	t.Helper()
	got := ops(changes)
	for _, key := range keys {
		if got[key].Op != op {
			t.Errorf("%s: %s = %q, want %s", who, key, got[key].Op, op)
		}
	}
}

func pointID(app core.App, city string) string {
	return testapp.ID(app, "reception_points", "city", city)
}

// addReturn saves a return of returnee at the point of city on date, as a
// system write.
func addReturn(t *testing.T, app core.App, id, returnee, city, date string) {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("returns")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"id": id, "returnee": returnee, "reception_point": pointID(app, city), "repatriation_date": date})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// Every refusal of a return through the sync push, with its field.
func TestPushRefusal_Returns(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-return-refusals")
	tijuana, matamoros := pointID(app, "Tijuana"), pointID(app, "Matamoros")
	a1, _ := app.FindRecordById("returnees", testapp.ReturneeA1)
	tomorrow := time.Now().AddDate(0, 0, 1)
	newReturn := func(id, record string, extra map[string]any) refusalWant {
		fields := map[string]any{"returnee": testapp.ReturneeA1, "reception_point": tijuana, "repatriation_date": "2026-11-30"}
		for k, v := range extra {
			fields[k] = v
		}
		return refusalWant{m: mutation(id, "returns", record, "create", 0, fields), status: "rejected", code: "validation_failed"}
	}
	refused := func(w refusalWant, field string) refusalWant { w.field = field; return w }
	wants := []refusalWant{
		refused(newReturn("ret-other-point1", "retotherpoint01", map[string]any{"reception_point": matamoros}), "reception_point"),
		refused(newReturn("ret-future-date1", "retfuturedate01", map[string]any{"repatriation_date": tomorrow.Format(time.DateOnly)}), "repatriation_date"),
		refused(newReturn("ret-future-time1", "retfuturetime01", map[string]any{"registered_at": tomorrow.UTC().Format("2006-01-02 15:04:05.000Z")}), "registered_at"),
		refused(newReturn("ret-before-date1", "retbeforedate01", map[string]any{"registered_at": "2026-11-29 12:00:00.000Z"}), "registered_at"),
		refused(newReturn("ret-no-date-0001", "retnodate000001", map[string]any{"repatriation_date": ""}), "repatriation_date"),
		refused(newReturn("ret-hidden-pers1", "rethiddenpers01", map[string]any{"returnee": testapp.ReturneeB1}), "returnee"),
		{m: mutation("ret-move-person1", "returnees", testapp.ReturneeA1, "update", a1.GetInt("rev"), map[string]any{"repatriation_date": "2026-11-25"}),
			status: "rejected", code: "validation_failed", field: "repatriation_date"},
		{m: mutation("ret-bad-phone-01", "returnees", testapp.ReturneeA1, "update", a1.GetInt("rev"), map[string]any{"phone": "1234567"}),
			status: "rejected", code: "validation_failed", field: "phone"},
		{m: mutation("ret-prev-point01", "returnees", testapp.ReturneeA1, "update", a1.GetInt("rev"), map[string]any{"previous_point": matamoros}),
			status: "rejected", code: "validation_failed", field: "previous_point"},
		{m: mutation("ret-good-000001", "returns", "retgood00000001", "create", 0, map[string]any{"returnee": testapp.ReturneeA1,
			"reception_point": tijuana, "repatriation_date": "2026-11-30", "registered_at": "2026-11-30 18:00:00.000Z", "services": []string{"food", "phone_call"}}),
			status: "applied"},
	}
	checkRefusals(t, app, d.clientID, testapp.FieldWorkerA, wants, d.push(mutationsOf(wants)...))
	n, err := app.CountRecords("returns")
	if err != nil || n != 4 {
		t.Errorf("returns stored: %d (%v), want the three fixtures and the good one", n, err)
	}
	if p, _ := app.FindRecordById("returnees", testapp.ReturneeA1); p.GetString("repatriation_date") != "2026-11-30" {
		t.Errorf("A1's repatriation date %q, want the new return's", p.GetString("repatriation_date"))
	}
}
