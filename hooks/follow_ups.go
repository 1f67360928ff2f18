package hooks

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/records"
)

// followUpMoves are the status changes a follow-up may make: once done,
// missed or cancelled it stays so (a new one is scheduled instead).
var followUpMoves = map[string][]string{
	"scheduled": {"done", "missed", "cancelled"},
}

// followUpEditable are the fields NODESS staff may change in a follow-up of
// their node: when and how, what became of it.
var followUpEditable = []string{"due_on", "kind", "status", "notes", "done_on"}

// bindFollowUps checks follow-ups (due no earlier than the person's latest
// return, linked only to a referral of the same person and node, the status
// machine), schedules the follow-ups of a referral when it is accepted, and
// cancels a person's scheduled follow-ups when their share_nodess consent
// is withdrawn. (That NODESS staff write only their own node's follows from
// the catalog's Node entry, hooks/programs.go.)
func bindFollowUps(app core.App) {
	app.OnRecordValidate(catalog.FollowUps).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			r := e.Record
			if r.GetString("status") == "done" && r.GetString("done_on") == "" {
				r.Set("done_on", time.Now().UTC().Format(time.DateOnly))
			}
			changed := changedFields(r)
			if r.IsNew() || slices.Contains(changed, "due_on") {
				person, err := records.FindReturnee(e.App, r.GetString("returnee"))
				if err == nil && r.GetString("due_on") != "" && r.GetString("due_on") < person.RepatriationDate() {
					c.add("due_on", "due_before_repatriation", "El seguimiento no puede ser anterior a la fecha de repatriación de la persona.")
				}
			}
			if id := r.GetString("referral"); id != "" && (r.IsNew() || slices.Contains(changed, "referral")) {
				referral, err := e.App.FindRecordById(catalog.Referrals, id)
				if err == nil && (referral.GetString("returnee") != r.GetString("returnee") || referral.GetString("nodess") != r.GetString("nodess")) {
					c.add("referral", "referral_mismatch", "La canalización es de otra persona o de otro NODESS.")
				}
			}
			if r.IsNew() {
				return
			}
			was, status := r.Original().GetString("status"), r.GetString("status")
			if status != was && !slices.Contains(followUpMoves[was], status) {
				c.add("status", "invalid_transition", "Cambio de estado no permitido: "+was+" → "+status+".")
			}
			if role(actor.Of(e.Context, r)) == "nodess_staff" {
				onlyFields(c, r, followUpEditable...)
			}
		})
	})

	hookorder.Hook{ID: "retorno_follow_ups_schedule", Priority: hookorder.FollowUps,
		Func: func(e *core.RecordEvent) error {
			accepted := e.Record.GetString("status") == "accepted" &&
				(e.Record.IsNew() || e.Record.Original().GetString("status") != "accepted")
			if !accepted {
				return e.Next()
			}
			return inTransaction(e, func() error {
				if err := e.Next(); err != nil {
					return err
				}
				return scheduleFollowUps(e.App, e.Record, actor.Of(e.Context, e.Record))
			})
		}}.OnSave(app, catalog.Referrals)

	// derived scope saves the person when their consent changes
	hookorder.Hook{
		ID: "retorno_follow_ups_withdrawn", Priority: hookorder.FollowUps,
		Func: func(e *core.RecordEvent) error {
			if !e.Record.Original().GetBool("nodess_consent") || e.Record.GetBool("nodess_consent") {
				return e.Next()
			}
			return inTransaction(e, func() error {
				if err := e.Next(); err != nil {
					return err
				}
				return cancelFollowUps(e.App, e.Record.Id)
			})
		}}.OnUpdate(app, catalog.Returnees)
}

// FollowUpID is the id of the follow-up that accepting referral schedules
// months after: derived from both, so that the acceptance of one referral
// on two devices offline, or a retried one, schedules each follow-up once.
func FollowUpID(referral string, months int) string {
	sum := sha256.Sum256([]byte("follow_up/" + referral + "/" + strconv.Itoa(months)))
	return strings.ToLower(base32.HexEncoding.EncodeToString(sum[:]))[:15]
}

// scheduleFollowUps adds the follow-ups of the schedule to referral, just
// accepted by who, counting the months from today; those that exist already
// are left alone.
func scheduleFollowUps(app core.App, referral *core.Record, who *core.Record) error {
	s := followUpSchedule(app)
	col, err := app.FindCachedCollectionByNameOrId(catalog.FollowUps)
	if err != nil {
		return err
	}
	today := time.Now().UTC()
	for _, months := range s.months {
		id := FollowUpID(referral.Id, months)
		if _, err := app.FindRecordById(col, id); err == nil {
			continue
		}
		f := core.NewRecord(col)
		f.Id = id
		f.Set("returnee", referral.GetString("returnee"))
		f.Set("nodess", referral.GetString("nodess"))
		f.Set("referral", referral.Id)
		f.Set("due_on", AddMonths(today, months).Format(time.DateOnly))
		f.Set("kind", s.kind)
		f.Set("status", "scheduled")
		actor.Set(f, who)
		if err := app.Save(f); err != nil {
			return fmt.Errorf("follow-up %s of referral %s: %w", id, referral.Id, err)
		}
	}
	return nil
}

// cancelFollowUps cancels the scheduled follow-ups of returnee id.
func cancelFollowUps(app core.App, id string) error {
	open, err := app.FindAllRecords(catalog.FollowUps, dbx.HashExp{"returnee": id, "status": "scheduled"})
	if err != nil {
		return err
	}
	for _, f := range open {
		f.Set("status", "cancelled")
		if err := app.Save(f); err != nil {
			return fmt.Errorf("cancel follow-up %s: %w", f.Id, err)
		}
	}
	return nil
}

// AddMonths is t n calendar months later, on the same day of the month or
// the month's last day (January 31 plus a month is February's last day,
// not March 3).
func AddMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// schedule is the follow-up schedule of follow_up_settings.
type schedule struct {
	months  []int
	kind    string
	dueDays int
}

// followUpSchedule reads the one record of follow_up_settings (the oldest,
// should a superuser add another), or the catalog's defaults without it.
func followUpSchedule(app core.App) schedule {
	s := schedule{catalog.FollowUpMonths, catalog.FollowUpKind, catalog.ReferralDueDays}
	found, err := app.FindRecordsByFilter(catalog.FollowUpSettings, "", "created", 1, 0)
	if err != nil || len(found) == 0 {
		return s
	}
	r := found[0]
	s.months = nil
	for _, m := range r.GetStringSlice("months") {
		if n, err := strconv.Atoi(m); err == nil {
			s.months = append(s.months, n)
		}
	}
	slices.Sort(s.months)
	s.kind = r.GetString("kind")
	s.dueDays = r.GetInt("referral_due_days")
	return s
}
