package certificates

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// Fields of an enrollment that this package keeps.
const (
	FieldCode        = "certificate_code"
	FieldCompletedOn = "completed_on"
)

// statusCompleted is the enrollment status that earns a certificate.
const statusCompleted = "completed"

// mexicoCity is Mexico City's time, which has kept UTC-6 all year since
// 2022: the calendar day a certificate carries is the one people saw there,
// not UTC's, which runs into tomorrow every evening. A fixed zone needs no
// time zone database in the static binary.
var mexicoCity = time.FixedZone("CST", -6*60*60)

// Day is the calendar day of t in Mexico City, as YYYY-MM-DD.
func Day(t time.Time) string {
	return t.In(mexicoCity).Format(time.DateOnly)
}

// bindIssue issues a code when an enrollment becomes completed (created so,
// or moved there), before validation, so that the seats, the revision, the
// audit and the sync log all see it. Staff and returnees never set the code
// or the day: their values are put back. Superusers and system writes (the
// demo, a migration) may set them; a completion they leave without a code
// gets one.
func bindIssue(app core.App) {
	issue := func(e *core.RecordEvent) error {
		r := e.Record
		var was *core.Record
		if !r.IsNew() {
			was = r.Original()
		}
		if who := actor.Of(e.Context, r); who != nil && !who.IsSuperuser() {
			for _, f := range []string{FieldCode, FieldCompletedOn} {
				if was == nil {
					r.Set(f, "")
				} else {
					r.Set(f, was.GetString(f))
				}
			}
		}
		completed := r.GetString("status") == statusCompleted
		before := ""
		if was != nil {
			before = was.GetString(FieldCode)
		}
		completes := completed && (was == nil || was.GetString("status") != statusCompleted)
		setByWriter := r.GetString(FieldCode) != before // a trusted writer's own code
		if (completes && !setByWriter) || (completed && r.GetString(FieldCode) == "") {
			r.Set(FieldCode, NewCode())
			r.Set(FieldCompletedOn, Day(time.Now()))
		}
		return e.Next()
	}
	app.OnRecordCreate(catalog.Enrollments).BindFunc(issue)
	app.OnRecordUpdate(catalog.Enrollments).BindFunc(issue)
}
