package notify_test

import (
	"maps"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/notify"
)

// courseN1Second is an open course of N1 that A1 is not enrolled in.
const courseN1Second = "coursen1second1"

// events are the writes that send A1 a message, as the user who makes them
// on a device, and the message they queue.
var events = []struct {
	name     string
	who      [2]string // auth collection and id
	before   func(t testing.TB, app *tests.TestApp)
	write    func(w writer, p testapp.Path)
	template string
	params   map[string]string
}{
	{name: "referral accepted", who: [2]string{"staff", testapp.NodessStaff1},
		write: func(w writer, p testapp.Path) {
			w.write(p, "referrals", testapp.ReferralA1, map[string]any{"status": "accepted"})
		},
		template: "referral_accepted", params: map[string]string{"name": "María", "nodess": "NODESS Centro Uno", "service": "Capacitación"}},
	{name: "seat confirmed", who: [2]string{"returnee_accounts", testapp.AccountA1},
		before: func(t testing.TB, app *tests.TestApp) {
			course := testapp.Find(t, app, "training_courses", testapp.CourseN1)
			testapp.Save(t, app, "training_courses", map[string]any{"id": courseN1Second, "title": "Panadería y repostería",
				"nodess": testapp.NodessN1, "theme": "capabilities_innovation", "state": course.GetString("state"), "modality": "in_person",
				"starts_on": "2027-02-01", "capacity": 10, "status": "open"})
		},
		write: func(w writer, p testapp.Path) {
			w.write(p, "enrollments", "", map[string]any{"id": "enrolla1second1", "course": courseN1Second, "returnee": testapp.ReturneeA1})
		},
		template: "seat_confirmed", params: map[string]string{"name": "María", "course": "Panadería y repostería", "starts_on": "01/02/2027"}},
	{name: "savings meeting", who: [2]string{"staff", testapp.NodessStaff1},
		write: func(w writer, p testapp.Path) {
			w.write(p, "ledger_entries", "", map[string]any{"id": "entrya1meeting1", "group": testapp.GroupN1, "member": testapp.MemberA1,
				"type": "share_purchase", "shares": 3, "amount_cents": 15000, "meeting_date": "2026-10-01"})
		},
		template: "savings_receipt", params: map[string]string{"name": "María", "group": "Ahorro Solidario Chilpancingo",
			"date": "01/10/2026", "shares": "5", "savings": "$250.00", "debt": "$0.00"}},
}

// Each event queues one message for its person when they consented to be
// contacted on their phone, and none when they did not, whether the write
// came through REST, the batch API or a device's sync push.
func TestOutbox_EventsQueueWithConsentOnly(t *testing.T) {
	for _, ev := range events {
		for _, p := range testapp.Paths {
			for _, consent := range []bool{true, false} {
				name := ev.name + "/" + string(p) + "/without consent"
				if consent {
					name = ev.name + "/" + string(p) + "/with consent"
				}
				t.Run(name, func(t *testing.T) {
					app, srv := testapp.NewServed(t)
					if ev.before != nil {
						ev.before(t, app)
					}
					if consent {
						grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
					}
					ev.write(newWriter(t, app, srv, ev.who[0], ev.who[1]), p)

					got := outbox(t, app, testapp.ReturneeA1)
					if !consent {
						if len(got) != 0 {
							t.Fatalf("queued without consent: %s", describe(got))
						}
						return
					}
					if len(got) != 1 {
						t.Fatalf("want one message, got %s", describe(got))
					}
					n := got[0]
					if n.GetString("channel") != "whatsapp" || n.GetString("template") != ev.template ||
						n.GetString("status") != notify.StatusQueued || n.GetString("language") != "es" || !maps.Equal(params(t, n), ev.params) {
						t.Errorf("got %s, want whatsapp %s queued es %v", describe(got), ev.template, ev.params)
					}
				})
			}
		}
	}
}

// An event queues one message per channel the person consented to and has
// an address for: A1 has a phone and an account with an email.
func TestOutbox_OneMessagePerChannel(t *testing.T) {
	app := testapp.New(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	grant(t, app, testapp.ReturneeA1, "contact_email")
	grant(t, app, testapp.ReturneeB1, "contact_whatsapp") // B1 has no phone
	accept(t, app, testapp.ReferralA1)
	got := outbox(t, app, testapp.ReturneeA1)
	if len(got) != 2 || got[0].GetString("channel") == got[1].GetString("channel") {
		t.Fatalf("want whatsapp and email, got %s", describe(got))
	}
	accept(t, app, testapp.ReferralA1) // no transition: nothing more
	testapp.Save(t, app, "referrals", map[string]any{"id": "referralb1n1001", "returnee": testapp.ReturneeB1, "nodess": testapp.NodessN1,
		"service": "employment"})
	accept(t, app, "referralb1n1001")
	if got := outbox(t, app, testapp.ReturneeB1); len(got) != 0 {
		t.Errorf("B1 has no phone, yet: %s", describe(got))
	}
}

// A meeting sends each member one receipt, whatever the number of their
// entries that day: the entries after the first refresh the queued receipt
// (its balance, and its time) until it is sent.
func TestOutbox_OneReceiptPerMeeting(t *testing.T) {
	app := testapp.New(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	entry := func(id, typ string, cents int) {
		fields := map[string]any{"id": id, "group": testapp.GroupN1, "member": testapp.MemberA1, "type": typ,
			"amount_cents": cents, "meeting_date": "2026-10-01"}
		if typ == "share_purchase" {
			fields["shares"] = cents / 5000
		}
		testapp.Save(t, app, "ledger_entries", fields)
	}
	entry("entrymeeting001", "share_purchase", 10000)
	entry("entrymeeting002", "loan_disbursement", 12000)
	got := outbox(t, app, testapp.ReturneeA1)
	if len(got) != 1 {
		t.Fatalf("want one receipt, got %s", describe(got))
	}
	if p := params(t, got[0]); p["shares"] != "4" || p["savings"] != "$200.00" || p["debt"] != "$120.00" {
		t.Errorf("receipt %v, want 4 shares, $200.00 saved, $120.00 owed", p)
	}
	if due := got[0].GetDateTime("next_attempt_at").Time(); due.Before(time.Now().Add(notify.DefaultConfig.ReceiptDelay - time.Minute)) {
		t.Errorf("receipt due %v, want about %v from now", due, notify.DefaultConfig.ReceiptDelay)
	}
	if _, err := notify.Deliver(t.Context(), app, notify.DefaultConfig, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	entry("entrymeeting003", "loan_repayment", 2000) // after the receipt went: no second one
	if got := outbox(t, app, testapp.ReturneeA1); len(got) != 1 || got[0].GetString("status") != notify.StatusSent {
		t.Errorf("want the one receipt, sent: %s", describe(got))
	}
}

// Withdrawing the contact consent cancels the messages still queued by its
// channels, and only those: what was sent stays sent, email stays queued.
func TestOutbox_WithdrawalCancelsQueued(t *testing.T) {
	app, srv := testapp.NewServed(t)
	phone := grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	grant(t, app, testapp.ReturneeA1, "contact_email")
	accept(t, app, testapp.ReferralA1)
	if _, err := notify.Deliver(t.Context(), app, notify.DefaultConfig, time.Now()); err != nil {
		t.Fatal(err)
	}
	testapp.Save(t, app, "referrals", map[string]any{"id": "referrala1n2001", "returnee": testapp.ReturneeA1, "nodess": testapp.NodessN2,
		"service": "employment"})
	accept(t, app, "referrala1n2001")

	newWriter(t, app, srv, "returnee_accounts", testapp.AccountA1).write(testapp.REST, "consents", phone.Id,
		map[string]any{"withdrawn_at": time.Now().UTC().Format("2006-01-02 15:04:05.000Z")})

	want := map[string]string{ // by referral's NODESS and channel
		"NODESS Centro Uno/whatsapp": notify.StatusSent, "NODESS Centro Uno/email": notify.StatusSent,
		"NODESS Sureste Uno/whatsapp": notify.StatusCancelled, "NODESS Sureste Uno/email": notify.StatusQueued,
	}
	got := outbox(t, app, testapp.ReturneeA1)
	if len(got) != len(want) {
		t.Fatalf("want %d messages, got %s", len(want), describe(got))
	}
	for _, n := range got {
		key := params(t, n)["nodess"] + "/" + n.GetString("channel")
		if n.GetString("status") != want[key] {
			t.Errorf("%s: %s, want %s", key, n.GetString("status"), want[key])
		}
	}
}

// A person registered offline with their code and their contact consent in
// one push gets the notice of the code: the person's write comes first,
// without a consent yet, and the consent sends it. The code itself is in no
// message.
func TestOutbox_ClaimCodeNotice(t *testing.T) {
	app, srv := testapp.NewServed(t)
	w := newWriter(t, app, srv, "staff", testapp.FieldWorkerA)
	a2 := testapp.Find(t, app, "returnees", testapp.ReturneeA2)
	person := map[string]any{"id": "returneenew0001", "given_names": "Pedro Luis", "first_surname": "Ramírez", "birth_date": "1992-03-04",
		"sex": "H", "reception_point": a2.GetString("reception_point"), "destination_state": a2.GetString("destination_state"),
		"phone": "664 123 4567", "claim_hash": claim.Hash("returneenew0001", "1234567890")}
	w.write(testapp.Push, "returnees", "", person)
	w.write(testapp.Push, "consents", "", map[string]any{"id": "consentnew00001", "returnee": "returneenew0001", "purpose": "contact_whatsapp",
		"granted": true, "notice_version": "2026-01", "method": "verbal"})

	got := outbox(t, app, "returneenew0001")
	if len(got) != 1 || got[0].GetString("template") != "claim_code" {
		t.Fatalf("want the claim code's notice, got %s", describe(got))
	}
	p := params(t, got[0])
	if p["name"] != "Pedro" || p["expires"] != time.Now().Add(30*24*time.Hour).UTC().Format("02/01/2006") {
		t.Errorf("params %v", p)
	}
	for _, v := range p {
		if v == "1234567890" {
			t.Errorf("the code is in the message: %v", p)
		}
	}

	// a new code (the person lost theirs) is a new notice
	w.write(testapp.REST, "returnees", "returneenew0001", map[string]any{"claim_hash": claim.Hash("returneenew0001", "5555555555")})
	if got := outbox(t, app, "returneenew0001"); len(got) != 2 {
		t.Errorf("want a notice per code, got %s", describe(got))
	}
}

// A scheduled follow-up due within two days is reminded once; one done or
// further off is not.
func TestOutbox_FollowUpReminders(t *testing.T) {
	app := testapp.New(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	testapp.Save(t, app, "follow_ups", map[string]any{"id": "followuplater01", "returnee": testapp.ReturneeA1, "nodess": testapp.NodessN1,
		"due_on": "2027-02-15", "kind": "visit"})
	day := time.Date(2027, 1, 14, 15, 0, 0, 0, time.UTC) // the fixture's follow-up is due on the 15th
	for range 2 {
		if err := notify.RemindFollowUps(app, notify.DefaultConfig, day); err != nil {
			t.Fatal(err)
		}
	}
	got := outbox(t, app, testapp.ReturneeA1)
	if len(got) != 1 || got[0].GetString("template") != "follow_up_reminder" {
		t.Fatalf("want one reminder, got %s", describe(got))
	}
	if p := params(t, got[0]); p["due_on"] != "15/01/2027" || p["kind"] != "llamada" || p["nodess"] != "NODESS Centro Uno" {
		t.Errorf("params %v", p)
	}

	// moved before its reminder left: the reminder goes, the new date's comes
	f := testapp.Find(t, app, "follow_ups", testapp.FollowUpA1)
	f.Set("due_on", "2027-01-16")
	if err := app.Save(f); err != nil {
		t.Fatal(err)
	}
	if err := notify.RemindFollowUps(app, notify.DefaultConfig, day); err != nil {
		t.Fatal(err)
	}
	got = outbox(t, app, testapp.ReturneeA1)
	if len(got) != 2 || got[0].GetString("status") != notify.StatusCancelled || got[1].GetString("status") != notify.StatusQueued ||
		params(t, got[1])["due_on"] != "16/01/2027" {
		t.Errorf("after the move: %s", describe(got))
	}
}

// accept sets a referral's status to accepted as a system write.
func accept(t testing.TB, app *tests.TestApp, id string) {
	t.Helper()
	r := testapp.Find(t, app, "referrals", id)
	r.Set("status", "accepted")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// A seat freed for someone on the waitlist sends them seat_promoted; the
// waitlisting itself sends nothing.
func TestOutbox_SeatFromWaitlist(t *testing.T) {
	app := testapp.New(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	course := testapp.Find(t, app, "training_courses", testapp.CourseN1)
	testapp.Save(t, app, "training_courses", map[string]any{"id": courseN1Second, "title": "Panadería", "nodess": testapp.NodessN1,
		"theme": "tourism", "state": course.GetString("state"), "modality": "online", "starts_on": "2027-02-01", "capacity": 1, "status": "open"})
	other := testapp.Save(t, app, "enrollments", map[string]any{"course": courseN1Second, "returnee": testapp.ReturneeA2})
	mine := testapp.Save(t, app, "enrollments", map[string]any{"course": courseN1Second, "returnee": testapp.ReturneeA1})
	if mine.GetString("status") != "waitlisted" || len(outbox(t, app, testapp.ReturneeA1)) != 0 {
		t.Fatalf("A1 %s, messages %s", mine.GetString("status"), describe(outbox(t, app, testapp.ReturneeA1)))
	}
	other = testapp.Find(t, app, "enrollments", other.Id)
	other.Set("status", "dropped")
	if err := app.Save(other); err != nil {
		t.Fatal(err)
	}
	if got := outbox(t, app, testapp.ReturneeA1); len(got) != 1 || got[0].GetString("template") != "seat_promoted" {
		t.Errorf("want seat_promoted, got %s", describe(got))
	}
}

// A superuser's delete of the consent cancels like a withdrawal, unless
// another consent of the purpose still holds.
func TestOutbox_ConsentDeletedCancels(t *testing.T) {
	app := testapp.New(t)
	first := grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	second := grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	accept(t, app, testapp.ReferralA1)
	for i, c := range []string{first.Id, second.Id} {
		if err := app.Delete(testapp.Find(t, app, "consents", c)); err != nil {
			t.Fatal(err)
		}
		want := []string{notify.StatusQueued, notify.StatusCancelled}[i]
		if got := outbox(t, app, testapp.ReturneeA1); len(got) != 1 || got[0].GetString("status") != want {
			t.Errorf("after deleting consent %d: %s, want %s", i+1, describe(got), want)
		}
	}
}
