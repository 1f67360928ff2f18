package notify

import (
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/records"
	"github.com/retorno-mx/retorno/savings"
)

// bindEvents queues the messages of the events, and cancels the queued
// ones of a withdrawn contact consent, with model hooks that run in the
// write's transaction after its row is written: REST, batch, the sync push,
// the dashboard and Go code all queue the same way, and a write that fails
// or is rolled back (a refused sync mutation) queues nothing.
func bindEvents(app core.App, cfg Config) {
	onWrite(app, "referral_accepted", catalog.Referrals, becomes("status", "accepted"), referralAccepted)
	onWrite(app, "seat", catalog.Enrollments, becomes("status", "enrolled"), seatConfirmed)
	onWrite(app, "savings_receipt", catalog.LedgerEntries, func(r *core.Record) bool { return r.IsNew() },
		func(app core.App, r *core.Record) error { return savingsReceipt(app, r, cfg.ReceiptDelay) })
	onWrite(app, "claim_code", catalog.Returnees, newClaimCode, claimCode)
	// a person registered offline gets their code before their consents
	// reach the server: the consent sends the notice of the live code
	onWrite(app, "claim_code_consent", catalog.Consents, func(r *core.Record) bool { return r.IsNew() && isContact(r) && active(r) },
		func(app core.App, r *core.Record) error {
			found, err := records.FindReturnee(app, r.GetString("returnee"))
			if err != nil {
				return err
			}
			person := found.ProxyRecord()
			if !liveCode(person) {
				return nil
			}
			return claimCode(app, person)
		})
	// a follow-up done, missed, cancelled (a withdrawn share_nodess consent
	// cancels them) or moved before its reminder left: the reminder goes
	onWrite(app, "follow_up_changed", catalog.FollowUps, func(r *core.Record) bool {
		was := r.Original()
		return !r.IsNew() && was.GetString("status") == "scheduled" &&
			(r.GetString("status") != "scheduled" || r.GetString("due_on") != was.GetString("due_on"))
	}, func(app core.App, r *core.Record) error {
		return cancelWhere(app, dbx.In("dedupe_key", eventKeys(reminderKey(r.Id, r.Original().GetString("due_on")))...), "follow-up changed")
	})
	onWrite(app, "withdrawn", catalog.Consents, func(r *core.Record) bool {
		return !r.IsNew() && isContact(r) && active(r.Original()) && !active(r)
	}, withdrawn)
	hookorder.Hook{ID: "notify_withdrawn_delete", Priority: hookorder.Notifications,
		Func: afterWrite(func(r *core.Record) bool { return isContact(r) && active(r) }, withdrawn)}.OnDelete(app, catalog.Consents)
}

// onWrite binds then to the create and update executions of collection,
// for the writes that fires accepts (afterWrite).
func onWrite(app core.App, id, collection string, fires func(r *core.Record) bool, then func(app core.App, r *core.Record) error) {
	hookorder.Hook{ID: "notify_" + id, Priority: hookorder.Notifications, Func: afterWrite(fires, then)}.OnSave(app, collection)
}

// afterWrite is an execute hook that runs then, for the writes that fires
// accepts, inside the write's transaction, after its row is written.
func afterWrite(fires func(r *core.Record) bool, then func(app core.App, r *core.Record) error) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		if !fires(e.Record) {
			return e.Next()
		}
		return recordwrite.InTransaction(e, func() error {
			if err := e.Next(); err != nil {
				return err
			}
			return then(e.App, e.Record)
		})
	}
}

// becomes returns whether a write sets field to value, from another value
// or on a new record.
func becomes(field, value string) func(r *core.Record) bool {
	return func(r *core.Record) bool {
		return r.GetString(field) == value && (r.IsNew() || r.Original().GetString(field) != value)
	}
}

// referralAccepted: a NODESS accepted the person's referral.
func referralAccepted(app core.App, r *core.Record) error {
	return enqueue(app, event{template: "referral_accepted", returnee: r.GetString("returnee"), key: "referral_accepted/" + r.Id,
		params: func(lang string) (map[string]string, error) {
			nodess, err := app.FindRecordById(catalog.Nodess, r.GetString("nodess"))
			if err != nil {
				return nil, err
			}
			return map[string]string{"nodess": nodess.GetString("name"),
				"service": catalog.ReferralServices.LabelIn(lang, r.GetString("service"))}, nil
		}})
}

// seatConfirmed: the person has a seat in a course, from their request or
// from the waitlist. An enrollment sends one of the two, once.
func seatConfirmed(app core.App, r *core.Record) error {
	template := "seat_confirmed"
	if !r.IsNew() && r.Original().GetString("status") == "waitlisted" {
		template = "seat_promoted"
	}
	return enqueue(app, event{template: template, returnee: r.GetString("returnee"), key: "seat/" + r.Id,
		params: func(lang string) (map[string]string, error) {
			course, err := app.FindRecordById(catalog.TrainingCourses, r.GetString("course"))
			if err != nil {
				return nil, err
			}
			return map[string]string{"course": course.GetString("title"), "starts_on": dateIn(lang, course.GetString("starts_on"))}, nil
		}})
}

// savingsReceipt: an entry of a member at a meeting. One receipt per member
// and meeting date, with their balance at the meeting's close; it waits
// delay after the meeting's latest entry of the member, which refreshes it.
func savingsReceipt(app core.App, r *core.Record, delay time.Duration) error {
	member, err := app.FindRecordById(catalog.GroupMembers, r.GetString("member"))
	if err != nil {
		return nil // an entry without a member (none today) has no one to tell
	}
	date := r.GetString("meeting_date")
	return enqueue(app, event{template: "savings_receipt", returnee: member.GetString("returnee"),
		key: "savings_receipt/" + member.Id + "/" + date, refresh: true, notBefore: time.Now().Add(delay),
		params: func(lang string) (map[string]string, error) {
			group, err := app.FindRecordById(catalog.SavingsGroups, member.GetString("group"))
			if err != nil {
				return nil, err
			}
			ledger, err := savings.LoadLedger(app, group.Id)
			if err != nil {
				return nil, err
			}
			a := ledger.AccountAt(member.Id, date)
			return map[string]string{"group": group.GetString("name"), "date": dateIn(lang, date),
				"shares": strconv.Itoa(a.Shares), "savings": savings.Pesos(a.Savings), "debt": savings.Pesos(a.Principal)}, nil
		}})
}

// newClaimCode returns whether a write of a person issues a claim code
// (the server starts its period: claim_expires).
func newClaimCode(r *core.Record) bool {
	return liveCode(r) && (r.IsNew() || !r.GetDateTime("claim_expires").Equal(r.Original().GetDateTime("claim_expires")))
}

// liveCode reports whether person has a claim code that works.
func liveCode(person *core.Record) bool {
	expires := person.GetDateTime("claim_expires")
	return !person.GetBool("claimed") && !expires.IsZero() && expires.Time().After(time.Now())
}

// claimCode: a field worker gave the person a code to claim their account.
// The message never holds the code: the server never has it (only a keyed
// hash of the device's hash, package claim), and a code in a stored message
// would be one a stolen database opens accounts with. It tells the person
// that a code exists, until when, and where to use it: a reminder to the
// person who was given it, a warning to one who was not.
func claimCode(app core.App, person *core.Record) error {
	expires := person.GetDateTime("claim_expires")
	return enqueue(app, event{template: "claim_code", returnee: person.Id,
		key: "claim_code/" + person.Id + "/" + strconv.FormatInt(expires.Time().UnixMilli(), 10),
		params: func(lang string) (map[string]string, error) {
			return map[string]string{"expires": dateIn(lang, expires.Time().UTC().Format(time.DateOnly)),
				"url": app.Settings().Meta.AppURL}, nil
		}})
}

// isContact reports whether consent r is one that opens a channel.
func isContact(r *core.Record) bool { return len(channelsOf(r.GetString("purpose"))) > 0 }

// active reports whether consent r is granted and not withdrawn.
func active(r *core.Record) bool {
	return r.GetBool("granted") && r.GetDateTime("withdrawn_at").IsZero()
}

// withdrawn cancels the queued messages of the channels consent r opened,
// unless another consent of its purpose still holds.
func withdrawn(app core.App, r *core.Record) error {
	person := r.GetString("returnee")
	ok, err := records.HasConsent(app, person, r.GetString("purpose"))
	if err != nil || ok {
		return err
	}
	return cancelQueued(app, person, channelsOf(r.GetString("purpose")), "consent withdrawn")
}
