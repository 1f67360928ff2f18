package reports_test

import (
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/reports"
)

// TestCourseSeats_MatchREST: the report equals the test's own count over
// the courses, enrollments and returnees each caller lists through the REST
// API, with the rules documented on reports.SeatsRow.
func TestCourseSeats_MatchREST(t *testing.T) {
	states := byID(caller{name: "guest"}.list(t, "states"))
	sawWaitlist, sawExcluded := false, false
	for _, c := range callers(t) {
		want := map[string]*reports.SeatsRow{}
		row := rowOf(want, func(state string) *reports.SeatsRow {
			return &reports.SeatsRow{State: state, StateName: str(states[state], "name")}
		})
		offered := map[string]map[string]any{}
		for _, course := range c.list(t, "training_courses") {
			status := str(course, "status")
			if status != "open" && status != "closed" {
				sawExcluded = true
				continue
			}
			offered[str(course, "id")] = course
			r := row(str(course, "state"))
			r.Courses++
			if status == "open" {
				r.OpenCourses++
			}
			r.Seats += int(num(course, "capacity"))
		}
		people := byID(c.list(t, "returnees"))
		for _, e := range c.list(t, "enrollments") {
			course, ok := offered[str(e, "course")]
			if !ok {
				continue
			}
			r := row(str(course, "state"))
			if str(e, "status") != "dropped" {
				count(&r.Bands, people[str(e, "returnee")], str(e, "created"))
			}
			switch str(e, "status") {
			case "requested":
				r.Requested++
			case "waitlisted":
				r.Waitlisted++
				sawWaitlist = true
			case "enrolled":
				r.Enrolled++
			case "completed":
				r.Completed++
			case "dropped":
				r.Dropped++
			}
		}
		for _, p := range people {
			if slices.Contains(strs(p, "needs"), "training") {
				row(str(p, "destination_state")).TrainingNeed++
			}
		}
		var total reports.SeatsRow
		for _, r := range want {
			r.Demand = r.Requested + r.Waitlisted + r.Enrolled + r.Completed
			total.Courses += r.Courses
			total.Seats += r.Seats
			total.Demand += r.Demand
			total.TrainingNeed += r.TrainingNeed
		}

		var got reports.SeatsReport
		c.getJSON(t, "/api/reports/course-seats", &got)
		sameRows(t, c.name, got.Rows, want, func(r reports.SeatsRow) string { return r.State })
		if g := got.Totals; g.Courses != total.Courses || g.Seats != total.Seats || g.Demand != total.Demand || g.TrainingNeed != total.TrainingNeed {
			t.Errorf("%s: totals %+v, want %+v", c.name, g, total)
		}
	}
	if !sawWaitlist || !sawExcluded {
		t.Errorf("the data lacks a waitlist (%v) or a draft or cancelled course (%v)", sawWaitlist, sawExcluded)
	}
}
