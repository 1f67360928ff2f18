package notify

import (
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// reminderChunk is how many follow-ups one transaction of reminders takes,
// so that a long day does not hold the single writer for long.
const reminderChunk = 200

// RemindFollowUps queues a reminder of every scheduled follow-up due from
// now's day to cfg.ReminderDays later, once per follow-up and due date (a
// follow-up moved to another day is reminded again). The cron job
// notify_follow_up_reminders runs it daily; Go code may run it at once.
func RemindFollowUps(app core.App, cfg Config, now time.Time) error {
	from := now.UTC().Format(time.DateOnly)
	until := now.UTC().AddDate(0, 0, cfg.ReminderDays).Format(time.DateOnly)
	due, err := app.FindAllRecords(catalog.FollowUps,
		dbx.HashExp{"status": "scheduled"}, dbx.Between("due_on", from, until))
	if err != nil {
		return err
	}
	for len(due) > 0 {
		chunk := due[:min(reminderChunk, len(due))]
		due = due[len(chunk):]
		err := app.RunInTransaction(func(tx core.App) error {
			for _, f := range chunk {
				if err := enqueue(tx, reminder(tx, f)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// reminder is the event of follow-up f coming up.
func reminder(app core.App, f *core.Record) event {
	return event{template: "follow_up_reminder", returnee: f.GetString("returnee"),
		key: reminderKey(f.Id, f.GetString("due_on")),
		params: func(lang string) (map[string]string, error) {
			nodess, err := app.FindRecordById(catalog.Nodess, f.GetString("nodess"))
			if err != nil {
				return nil, err
			}
			return map[string]string{"nodess": nodess.GetString("name"), "due_on": dateIn(lang, f.GetString("due_on")),
				"kind": strings.ToLower(catalog.FollowUpKinds.LabelIn(lang, f.GetString("kind")))}, nil
		}}
}

// reminderKey names the reminder of follow-up id due on a day.
func reminderKey(id, dueOn string) string { return "follow_up_reminder/" + id + "/" + dueOn }
