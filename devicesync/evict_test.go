package devicesync_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// A returnee moved to another reception point leaves the old point's devices,
// with the records about them, and reaches the new point's.
func TestEvict_ReceptionPointChanged(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-phone-1")
	ra, rb := a.pulled(), b.pulled()
	if ra["returnees"][testapp.ReturneeA1] == nil || ra["consents"][testapp.ConsentA1] == nil {
		t.Fatal("field worker A should start with A1 and their consent")
	}

	testapp.Update(t, app, "returnees", testapp.ReturneeA1, map[string]any{"reception_point": testapp.ID(app, "reception_points", "city", "Matamoros")})

	changesA, resetA := a.pullAll()
	if resetA {
		t.Fatal("a move of one person must not reset the device")
	}
	got := ops(changesA)
	for _, key := range []string{
		"returnees/" + testapp.ReturneeA1, "consents/" + testapp.ConsentA1, "referrals/" + testapp.ReferralA1,
		"case_notes/" + testapp.NoteA1, "enrollments/" + testapp.EnrollmentA1,
	} {
		if got[key].Op != "evict" {
			t.Errorf("field worker A: %s = %q, want evict", key, got[key].Op)
		}
	}
	ra.apply(changesA)
	a.converged(ra, syncedCollections...)

	changesB, _ := b.pullAll()
	if ops(changesB)["returnees/"+testapp.ReturneeA1].Op != "put" || ops(changesB)["consents/"+testapp.ConsentA1].Op != "put" {
		t.Errorf("field worker B should receive A1 and their consent: %v", ops(changesB))
	}
	rb.apply(changesB)
	b.converged(rb, syncedCollections...)
}

// A withdrawn share_nodess consent takes the person, and the referral to the
// node, off the NODESS staff's device.
func TestEvict_ConsentWithdrawn(t *testing.T) {
	app, srv := testapp.NewServed(t)
	n1 := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-tablet")
	r := n1.pulled()
	if r["returnees"][testapp.ReturneeA1] == nil || r["referrals"][testapp.ReferralA1] == nil {
		t.Fatal("N1 should start with A1 and the referral")
	}

	person := newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "maria-phone-01")
	res := person.push(mutation("withdraw-0000001", "consents", testapp.ConsentA1, "update", 1,
		map[string]any{"withdrawn_at": "2026-11-27 10:00:00.000Z"}))
	if res[0].Status != "applied" && res[0].Status != "merged" {
		t.Fatalf("withdrawal: %s %+v", res[0].Status, res[0].Error)
	}

	changes, _ := n1.pullAll()
	got := ops(changes)
	for _, key := range []string{"returnees/" + testapp.ReturneeA1, "referrals/" + testapp.ReferralA1} {
		if got[key].Op != "evict" {
			t.Errorf("%s = %q, want evict", key, got[key].Op)
		}
	}
	r.apply(changes)
	n1.converged(r, syncedCollections...)
}

// A staff member moved to another reception point starts again: the old
// point's people leave the device, the new point's arrive.
func TestReset_StaffScopeChanged(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	changes, _ := a.pullAll()

	testapp.Update(t, app, "staff", testapp.FieldWorkerA, map[string]any{"reception_point": testapp.ID(app, "reception_points", "city", "Matamoros")})
	a.token = testapp.Token(t, app, "staff", testapp.FieldWorkerA)

	r := replica{}
	r.apply(changes)
	again, reset := a.pullAll()
	if !reset {
		t.Fatal("want reset after the user's own scope changed")
	}
	r = replica{} // a reset drops the synced data
	r.apply(again)
	if r["returnees"][testapp.ReturneeA1] != nil || r["returnees"][testapp.ReturneeB1] == nil {
		t.Errorf("after the move the device should hold Matamoros' people only: %v", keys(r["returnees"]))
	}
	a.converged(r, syncedCollections...)
}

// A record deleted on the server is deleted on the devices that held it.
func TestPull_DeleteReachesDevices(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	changes, _ := a.pullAll()
	r := replica{}
	r.apply(changes)

	note, _ := app.FindRecordById("case_notes", testapp.NoteA1)
	if err := app.Delete(note); err != nil {
		t.Fatal(err)
	}
	changes, _ = a.pullAll()
	if got := ops(changes)["case_notes/"+testapp.NoteA1].Op; got != "delete" {
		t.Errorf("case note = %q, want delete", got)
	}
	r.apply(changes)
	a.converged(r, syncedCollections...)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Active members see their savings group's whole ledger; leaving the group
// resets the member's devices, which then hold their own entries only.
func TestReset_MembershipEnded(t *testing.T) {
	app, srv := testapp.NewServed(t)
	// B1 is an active member of G1 with an entry of their own
	testapp.Save(t, app, "group_members", map[string]any{"id": "memberb1g100001", "group": testapp.GroupN1, "returnee": testapp.ReturneeB1, "status": "active"})
	testapp.Save(t, app, "ledger_entries", map[string]any{"id": "entryb1g1000001", "group": testapp.GroupN1, "member": "memberb1g100001",
		"type": "share_purchase", "shares": 1, "amount_cents": 5000, "meeting_date": "2026-10-01"})

	a1 := newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "maria-phone-01")
	r := a1.pulled()
	if r["ledger_entries"]["entryb1g1000001"] == nil || r["ledger_entries"][testapp.EntryA1] == nil {
		t.Fatalf("an active member sees the group's ledger: %v", keys(r["ledger_entries"]))
	}

	testapp.Update(t, app, "group_members", testapp.MemberA1, map[string]any{"status": "left"})
	again, reset := a1.pullAll()
	if !reset {
		t.Fatal("leaving a group should reset the member's devices")
	}
	r = replica{}
	r.apply(again)
	if r["ledger_entries"]["entryb1g1000001"] != nil || r["ledger_entries"][testapp.EntryA1] == nil {
		t.Errorf("after leaving: %v, want only their own entry", keys(r["ledger_entries"]))
	}
	a1.converged(r, syncedCollections...)

	// B1 is active in G1 but their "left" row elsewhere must not widen scope;
	// A1, who left, no longer sees B1's entry through the REST API either
	if a1.restIDs("ledger_entries")["entryb1g1000001"] {
		t.Error("a former member still lists the group's ledger")
	}
}

// NODESS staff whose node takes on other states start again with the people
// going to the node's new states.
func TestReset_NodessStatesChanged(t *testing.T) {
	app, srv := testapp.NewServed(t)
	n1 := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-tablet")
	n1.pullAll()

	node := testapp.Find(t, app, "nodess", testapp.NodessN1)
	testapp.Update(t, app, "nodess", node.Id, map[string]any{"states": append(node.GetStringSlice("states"), testapp.ID(app, "states", "curp_code", "OC"))})
	changes, reset := n1.pullAll()
	if !reset {
		t.Fatal("want reset after the node's states changed")
	}
	r := replica{}
	r.apply(changes)
	if r["returnees"][testapp.ReturneeB1] == nil {
		t.Errorf("B1 (going to Oaxaca, consenting) should now be on N1's device: %v", keys(r["returnees"]))
	}
	n1.converged(r, syncedCollections...)
}

// A write that changes no field a user's rule reads (a field worker's:
// the person's points) cannot have moved the record in or out of their
// scope, so their pull does not judge its before-image: a phone changed at
// another point costs the Tijuana worker's pull no query of before-images,
// and sends nothing. A write that moves a person does: it is judged, and
// evicts.
func TestBefore_OnlyWritesTheRuleReadsAreJudged(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-before-1")
	r := a.pulled()
	judged := func(t *testing.T, fn func()) bool {
		t.Helper()
		return slices.ContainsFunc(testapp.Queries(t, app, fn), func(q string) bool { return strings.Contains(q, "_before_returnees") })
	}

	person, _ := app.FindRecordById("returnees", testapp.ReturneeB1)
	person.Set("phone", "+528681112233")
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	var changes []string
	if judged(t, func() {
		for _, c := range a.pullInto(r) {
			changes = append(changes, c.Op+" "+c.Collection+"/"+c.RecordID)
		}
	}) {
		t.Error("a phone changed at Matamoros: Tijuana's pull judged the before-image")
	}
	if len(changes) != 0 {
		t.Errorf("a phone changed at Matamoros reached Tijuana: %v", changes)
	}

	person, _ = app.FindRecordById("returnees", testapp.ReturneeA1)
	person.Set("reception_point", testapp.ID(app, "reception_points", "city", "Matamoros"))
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if !judged(t, func() {
		got = map[string]string{}
		for _, c := range a.pullInto(r) {
			got[c.Collection+"/"+c.RecordID] = c.Op
		}
	}) {
		t.Error("a person moved from Tijuana: the pull did not judge the before-image")
	}
	if got["returnees/"+testapp.ReturneeA1] != "evict" {
		t.Errorf("a person moved from Tijuana: %v, want an evict", got)
	}
}
