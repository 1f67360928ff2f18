package hooks

import (
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// datePattern marks the text fields that hold calendar dates (see
// pb_migrations/fields.go).
const datePattern = `^\d{4}-\d{2}-\d{2}$`

// dateOrder lists, per collection, pairs of calendar dates where the second
// may not come before the first.
var dateOrder = map[string][][2]string{
	"training_courses": {{"starts_on", "ends_on"}},
	"savings_groups":   {{"cycle_start", "cycle_end"}},
	"reception_points": {{"opened_on", "closed_on"}},
}

// pastDates are calendar dates of things that have happened (a return, an
// outcome recorded, a cooperative founded), which cannot be in the future.
var pastDates = map[string]string{
	"repatriation_date": "La fecha de repatriación no puede estar en el futuro.",
	"recorded_on":       "La fecha del registro no puede estar en el futuro.",
	"founded_on":        "La fecha de fundación no puede estar en el futuro.",
}

// earliestDate is the first plausible calendar date: no birth, return,
// course or savings cycle of this system comes before it.
var earliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// bindCalendarDates refuses calendar dates that do not exist (2023-02-30),
// dates before 1900 (0000-01-01), birth dates and pastDates in the future, and ranges
// that end before they start. The 1900 floor is checked on the dates a write
// sets, so that a record stored before it can still be edited by someone
// who may not change its dates.
func bindCalendarDates(app core.App) {
	app.OnRecordValidate().BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			for _, f := range e.Record.Collection().Fields {
				tf, ok := f.(*core.TextField)
				if !ok || tf.Pattern != datePattern {
					continue
				}
				v := e.Record.GetString(tf.Name)
				if v == "" {
					continue
				}
				d, err := time.Parse(time.DateOnly, v)
				if err != nil {
					c.add(tf.Name, "invalid_date", "La fecha no existe en el calendario (usa AAAA-MM-DD).")
					continue
				}
				if d.Before(earliestDate) && slices.Contains(changedFields(e.Record), tf.Name) {
					c.add(tf.Name, "date_too_early", "La fecha no puede ser anterior a 1900.")
				}
				if tf.Name == "birth_date" && d.After(time.Now()) {
					c.add(tf.Name, "future_date", "La fecha de nacimiento no puede estar en el futuro.")
				}
				// checked when the write sets it, as the 1900 floor (Mexico's
				// calendar day never runs ahead of UTC's)
				if msg := pastDates[tf.Name]; msg != "" && d.After(time.Now()) && slices.Contains(changedFields(e.Record), tf.Name) {
					c.add(tf.Name, "future_date", msg)
				}
			}
			for _, pair := range dateOrder[e.Record.Collection().Name] {
				from, to := e.Record.GetString(pair[0]), e.Record.GetString(pair[1])
				if from != "" && to != "" && to < from {
					c.add(pair[1], "date_order", "La fecha de fin no puede ser anterior a la de inicio.")
				}
			}
		})
	})
}
