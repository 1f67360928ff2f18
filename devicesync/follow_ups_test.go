package devicesync_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// Two devices of the NODESS accept the same referral offline and push one
// after the other, and the first retries its push: the follow-ups are
// scheduled once, with the same ids on every device.
func TestFollowUps_ScheduledOnceFromTwoDevices(t *testing.T) {
	app, srv := testapp.NewServed(t)
	tablet := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-tablet")
	phone := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-phone01")
	rt, rp := tablet.pulled(), phone.pulled()
	referral, _ := app.FindRecordById("referrals", testapp.ReferralA1)
	accept := func(id string) devicesync.Mutation {
		return mutation(id, "referrals", testapp.ReferralA1, "update", referral.GetInt("rev"), map[string]any{"status": "accepted"})
	}
	first := tablet.push(accept("accept-tablet-01"))
	second := phone.push(accept("accept-phone-001"))
	retry := tablet.push(accept("accept-tablet-01"))
	if first[0].Status != devicesync.StatusApplied || second[0].Status == devicesync.StatusRejected ||
		retry[0].Status != devicesync.StatusDuplicate {
		t.Fatalf("acceptances: %s, %s (%+v), retry %s", first[0].Status, second[0].Status, second[0].Error, retry[0].Status)
	}

	scheduled, err := app.FindAllRecords("follow_ups", dbx.HashExp{"referral": testapp.ReferralA1})
	if err != nil || len(scheduled) != 4 {
		t.Fatalf("%d follow-ups of the referral (%v), want 4", len(scheduled), err)
	}
	var want []string
	for _, months := range []int{1, 3, 6, 12} {
		want = append(want, "follow_ups/"+hooks.FollowUpID(testapp.ReferralA1, months))
	}
	for d, r := range map[*device]replica{tablet: rt, phone: rp} {
		wantOps(t, d.clientID, d.pullInto(r), "put", want)
		d.converged(r, syncedCollections...)
	}
}

// A withdrawn share_nodess consent cancels the person's scheduled
// follow-ups and evicts every follow-up of the person from the NODESS's
// devices; the field worker's devices get them cancelled.
func TestEvict_FollowUpsOnWithdrawal(t *testing.T) {
	app, srv := testapp.NewServed(t)
	testapp.Update(t, app, "referrals", testapp.ReferralA1, map[string]any{"status": "accepted"})
	n1 := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-tablet")
	fw := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	rn, rf := n1.pulled(), fw.pulled()
	for d, r := range map[*device]replica{n1: rn, fw: rf} {
		if len(r["follow_ups"]) != 5 {
			t.Fatalf("%s should start with the fixture's follow-up and four scheduled: %v", d.clientID, keys(r["follow_ups"]))
		}
	}

	person := newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "maria-phone-01")
	res := person.push(mutation("withdraw-0000001", "consents", testapp.ConsentA1, "update", 1,
		map[string]any{"withdrawn_at": "2026-11-27 10:00:00.000Z"}))
	if res[0].Status != devicesync.StatusApplied {
		t.Fatalf("withdrawal: %s %+v", res[0].Status, res[0].Error)
	}

	var all []string
	for id := range rn["follow_ups"] {
		all = append(all, "follow_ups/"+id)
	}
	changes, _ := n1.pullAll()
	wantOps(t, "NODESS", changes, "evict", all)
	rn.apply(changes)
	n1.converged(rn, syncedCollections...)

	changes, _ = fw.pullAll()
	wantOps(t, "field worker", changes, "put", all)
	rf.apply(changes)
	fw.converged(rf, syncedCollections...)
	for _, f := range ops(changes) {
		if f.Collection == "follow_ups" && !strings.Contains(string(f.Record), `"status":"cancelled"`) {
			t.Errorf("field worker's copy of %s: %s, want cancelled", f.RecordID, f.Record)
		}
	}
}

// Every refusal of a follow-up, and of a referral's new fields, through the
// sync push (REST and batch: hooks.TestFollowUpRefusals), beside one that
// passes.
func TestPushRefusal_FollowUps(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	testapp.Save(t, app, "referrals", map[string]any{"id": "referralb1n1001", "returnee": testapp.ReturneeB1, "nodess": testapp.NodessN1, "service": "training"})
	d := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-refusals")
	followUp, _ := app.FindRecordById("follow_ups", testapp.FollowUpA1)
	referral, _ := app.FindRecordById("referrals", testapp.ReferralA1)
	create := func(id, record string, extra map[string]any) devicesync.Mutation {
		fields := map[string]any{"returnee": testapp.ReturneeA1, "nodess": testapp.NodessN1, "due_on": "2027-02-01", "kind": "call"}
		for k, v := range extra {
			fields[k] = v
		}
		return mutation(id, "follow_ups", record, "create", 0, fields)
	}
	refused := func(m devicesync.Mutation, field string) refusalWant {
		return refusalWant{m: m, status: devicesync.StatusRejected, code: devicesync.CodeValidation, field: field}
	}
	wants := []refusalWant{
		refused(create("fu-before-return", "fubeforereturn1", map[string]any{"due_on": "2026-11-19"}), "due_on"),
		refused(mutation("fu-moved-before1", "follow_ups", testapp.FollowUpA1, "update", followUp.GetInt("rev"), map[string]any{"due_on": "2026-11-01"}), "due_on"),
		refused(create("fu-other-referr1", "fuotherreferral", map[string]any{"referral": "referralb1n1001"}), "referral"),
		refused(create("fu-other-node-01", "fuothernode0001", map[string]any{"nodess": testapp.NodessN2}), "nodess"),
		refused(mutation("fu-new-referral1", "follow_ups", testapp.FollowUpA1, "update", followUp.GetInt("rev"), map[string]any{"referral": testapp.ReferralA1}), "referral"),
		refused(mutation("fu-reject-no-why", "referrals", testapp.ReferralA1, "update", referral.GetInt("rev"), map[string]any{"status": "rejected"}), "closed_reason"),
		refused(mutation("fu-referral-due1", "referrals", testapp.ReferralA1, "update", referral.GetInt("rev"), map[string]any{"due_on": "2027-06-01"}), "due_on"),
		{m: mutation("fu-done-0000001", "follow_ups", testapp.FollowUpA1, "update", followUp.GetInt("rev"), map[string]any{"status": "done", "notes": "Ya trabaja."}),
			status: devicesync.StatusApplied},
		refused(mutation("fu-done-back-01", "follow_ups", testapp.FollowUpA1, "update", followUp.GetInt("rev")+1, map[string]any{"status": "scheduled"}), "status"),
	}
	ms := make([]devicesync.Mutation, len(wants))
	for i, w := range wants {
		ms[i] = w.m
	}
	checkRefusals(t, app, d.clientID, testapp.NodessStaff1, wants, d.push(ms...))

	// a field worker reads follow-ups but may not write them
	fw := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-follow-ups")
	res := fw.push(create("fu-by-field-wkr1", "fubyfieldworker", nil))
	if res[0].Status != devicesync.StatusRejected || res[0].Error.Code != devicesync.CodeForbidden {
		t.Errorf("a field worker's follow-up: %s %+v, want forbidden", res[0].Status, res[0].Error)
	}
}
