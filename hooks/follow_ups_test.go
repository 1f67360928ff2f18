package hooks_test

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// referralB1N1 is a referral of B1 (consenting, of Matamoros) to N1: N1 sees
// it, but it is not A1's.
const referralB1N1 = "referralb1n1001"

func addReferralB1N1(t testing.TB, app *tests.TestApp) {
	testapp.Save(t, app, "referrals", map[string]any{"id": referralB1N1, "returnee": rB1, "nodess": n1, "service": "training"})
}

// TestFollowUpRefusals: every refusal of a follow-up, and of a referral's
// new fields, through REST and through the batch API (the sync push:
// devicesync.TestPushRefusal_FollowUps).
func TestFollowUpRefusals(t *testing.T) {
	e := getEnv(t)
	followUp := func(id string, extra map[string]any) map[string]any {
		b := map[string]any{"id": id, "returnee": rA1, "nodess": n1, "due_on": "2027-02-01", "kind": "call"}
		maps.Copy(b, extra)
		return b
	}
	markDone := func(t testing.TB, app *tests.TestApp) {
		testapp.Update(t, app, "follow_ups", followUpA1, map[string]any{"status": "done"})
	}
	refusals := []struct {
		name       string
		collection string
		id         string // the record updated; "" for a create of body["id"]
		body       map[string]any
		before     func(t testing.TB, app *tests.TestApp)
		field      string
		code       string
	}{
		{name: "due before the person's return", collection: "follow_ups", body: followUp("followupbad0001", map[string]any{"due_on": "2026-11-19"}),
			field: "due_on", code: "due_before_repatriation"},
		{name: "moved before the person's return", collection: "follow_ups", id: followUpA1, body: map[string]any{"due_on": "2026-11-01"},
			field: "due_on", code: "due_before_repatriation"},
		{name: "of another person's referral", collection: "follow_ups", body: followUp("followupbad0002", map[string]any{"referral": referralB1N1}),
			before: addReferralB1N1, field: "referral", code: "referral_mismatch"},
		{name: "for another node", collection: "follow_ups", body: followUp("followupbad0003", map[string]any{"nodess": n2}),
			field: "nodess", code: "outside_scope"},
		{name: "done back to scheduled", collection: "follow_ups", id: followUpA1, body: map[string]any{"status": "scheduled"},
			before: markDone, field: "status", code: "invalid_transition"},
		{name: "moved to another referral", collection: "follow_ups", id: followUpA1, body: map[string]any{"referral": referralA1},
			field: "referral", code: "not_editable"},
		{name: "referral rejected without a reason", collection: "referrals", id: referralA1, body: map[string]any{"status": "rejected"},
			field: "closed_reason", code: "validation_required"},
		{name: "referral due date moved by the NODESS", collection: "referrals", id: referralA1, body: map[string]any{"due_on": "2027-06-01"},
			field: "due_on", code: "not_editable"},
	}
	enableBatch := func(t testing.TB, app *tests.TestApp) { app.Settings().Batch.Enabled = true }
	for _, r := range refusals {
		method, path := http.MethodPatch, "/api/collections/"+r.collection+"/records/"+r.id
		o := update(r.collection, r.id, j(r.body))
		if r.id == "" {
			method, path = http.MethodPost, "/api/collections/"+r.collection+"/records"
			o = create(r.collection, r.body["id"].(string), j(r.body))
		}
		call{name: "REST: " + r.name, who: nodessStaff1, op: o, before: r.before, want: fieldError(r.field, r.code)}.run(t, e)
		batch := op{name: "batch", method: http.MethodPost, path: "/api/batch",
			body: j(map[string]any{"requests": []map[string]any{{"method": method, "url": path, "body": r.body}}})}
		call{name: "batch: " + r.name, who: nodessStaff1, op: batch, want: badRequest("Batch transaction failed."),
			before: func(t testing.TB, app *tests.TestApp) {
				enableBatch(t, app)
				if r.before != nil {
					r.before(t, app)
				}
			},
			content: []string{`"` + r.field + `":{"code":"` + r.code + `"`}}.run(t, e)
	}

	// the NODESS closes the loop: a reason and an outcome with the move
	call{name: "REST: referral rejected with a reason", who: nodessStaff1,
		op:   update("referrals", referralA1, `{"status":"rejected","closed_reason":"not_eligible","outcome":"other"}`),
		want: allowed, content: []string{`"closed_reason":"not_eligible"`, `"outcome":"other"`}}.run(t, e)
	call{name: "REST: follow-up done with notes", who: nodessStaff1,
		op:   update("follow_ups", followUpA1, `{"status":"done","notes":"Ya vende en el mercado."}`),
		want: allowed, content: []string{`"status":"done"`, `"done_on":"` + time.Now().UTC().Format(time.DateOnly) + `"`, `"recorded_by":"` + testapp.NodessStaff1 + `"`}}.run(t, e)
}

// The follow-up schedule is for superusers only (the dashboard).
func TestFollowUpSettings_SuperusersOnly(t *testing.T) {
	e := getEnv(t)
	for _, who := range allRoles {
		c := call{name: string(who), who: who, op: list("follow_up_settings"), want: forbidden}
		if who == superuser {
			c.want, c.content = allowed, []string{`"months":["1","3","6","12"]`, `"referral_due_days":14`}
		}
		c.run(t, e)
	}
}

// A referral made without a due date is due 14 days later.
func TestReferral_DueByDefault(t *testing.T) {
	app := testapp.New(t)
	r := testapp.Save(t, app, "referrals", map[string]any{"returnee": rA1, "nodess": n2, "service": "employment"})
	if got, want := r.GetString("due_on"), time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly); got != want {
		t.Errorf("due_on = %q, want %q", got, want)
	}
	given := testapp.Save(t, app, "referrals", map[string]any{"returnee": rA1, "nodess": n2, "service": "health", "due_on": "2027-01-05"})
	if got := given.GetString("due_on"); got != "2027-01-05" {
		t.Errorf("due_on = %q, want the one given", got)
	}
}

// Accepting a referral schedules its follow-ups at 1, 3, 6 and 12 months,
// with ids derived from the referral; a later acceptance of the same
// referral (after a superuser's correction) schedules nothing more.
func TestFollowUps_ScheduledOnAcceptance(t *testing.T) {
	app := testapp.New(t)
	accept(t, app, referralA1, "accepted")
	today := time.Now().UTC()
	for _, months := range []int{1, 3, 6, 12} {
		f, err := app.FindRecordById("follow_ups", hooks.FollowUpID(referralA1, months))
		if err != nil {
			t.Fatalf("follow-up at %d months: %v", months, err)
		}
		if f.GetString("due_on") < today.AddDate(0, months, -3).Format(time.DateOnly) ||
			f.GetString("due_on") > today.AddDate(0, months, 0).Format(time.DateOnly) ||
			f.GetString("status") != "scheduled" || f.GetString("kind") != "call" ||
			f.GetString("nodess") != n1 || f.GetString("returnee") != rA1 || f.GetString("referral") != referralA1 {
			t.Errorf("follow-up at %d months: %v", months, f.PublicExport())
		}
	}
	accept(t, app, referralA1, "pending") // a superuser's correction, then again
	accept(t, app, referralA1, "accepted")
	if n, _ := app.CountRecords("follow_ups"); n != 5 {
		t.Errorf("%d follow-ups, want the fixture's and four", n)
	}
}

// The schedule is the follow_up_settings record's.
func TestFollowUps_ScheduleFromSettings(t *testing.T) {
	app := testapp.New(t)
	settings, err := app.FindFirstRecordByFilter("follow_up_settings", "")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("months", []string{"2"})
	settings.Set("kind", "visit")
	settings.Set("referral_due_days", 7)
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	accept(t, app, referralA1, "accepted")
	if n, _ := app.CountRecords("follow_ups"); n != 2 {
		t.Errorf("%d follow-ups, want the fixture's and one", n)
	}
	if f, err := app.FindRecordById("follow_ups", hooks.FollowUpID(referralA1, 2)); err != nil || f.GetString("kind") != "visit" {
		t.Errorf("follow-up at 2 months: %v %v", f, err)
	}
	r := testapp.Save(t, app, "referrals", map[string]any{"returnee": rA1, "nodess": n2, "service": "employment"})
	if got, want := r.GetString("due_on"), time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly); got != want {
		t.Errorf("due_on = %q, want %q", got, want)
	}
}

// A withdrawn share_nodess consent cancels the person's scheduled
// follow-ups, and only those.
func TestFollowUps_CancelledOnWithdrawal(t *testing.T) {
	app := testapp.New(t)
	accept(t, app, referralA1, "accepted")
	done := testapp.Update(t, app, "follow_ups", hooks.FollowUpID(referralA1, 1), map[string]any{"status": "done"})
	withdrawConsentA1(t, app)
	all, err := app.FindAllRecords("follow_ups")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		want := "cancelled"
		if f.Id == done.Id {
			want = "done"
		}
		if f.GetString("status") != want {
			t.Errorf("follow-up %s: %s, want %s", f.Id, f.GetString("status"), want)
		}
	}
}

// accept sets a referral's status as a system write (no actor, as Go code).
func accept(t testing.TB, app core.App, id, status string) {
	t.Helper()
	r, err := app.FindRecordById("referrals", id)
	if err != nil {
		t.Fatal(err)
	}
	r.Set("status", status)
	if err := app.SaveNoValidate(r); err != nil {
		t.Fatal(err)
	}
}
