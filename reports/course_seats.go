package reports

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SeatsRow is one state of the course-seats report. Courses are the offered
// ones the caller can list: status open or closed (drafts are not offered
// yet, cancelled courses have no seats). Enrollments are those the caller
// can list in those courses, by status; Demand is everyone who asked for a
// seat and did not drop out (requested + waitlisted + enrolled + completed),
// to set against Seats. TrainingNeed is a second measure of demand: the
// returnees going to the state, that the caller can list, who need training.
// Bands split Demand by the person's sex and age when they asked.
type SeatsRow struct {
	State        string `json:"state"`
	StateName    string `json:"state_name"`
	Courses      int    `json:"courses"`
	OpenCourses  int    `json:"open_courses"`
	Seats        int    `json:"seats"`
	Requested    int    `json:"requested"`
	Waitlisted   int    `json:"waitlisted"`
	Enrolled     int    `json:"enrolled"`
	Completed    int    `json:"completed"`
	Dropped      int    `json:"dropped"`
	Demand       int    `json:"demand"`
	TrainingNeed int    `json:"training_need"`
	Bands
}

// SeatsReport is the JSON answer of GET /api/reports/course-seats: one row
// per state with any figure, by state name, and their totals.
type SeatsReport struct {
	Table[SeatsRow]
	Totals SeatsRow `json:"totals"`
}

// offeredCourses is the condition on courses (aliased c) the report covers.
const offeredCourses = "c.[[status]] IN ('open', 'closed')"

func courseSeats(app core.App, info *core.RequestInfo) (*SeatsReport, error) {
	scopes, err := visible(app, info, [2]string{"training_courses", "[[c.id]]"}, [2]string{"enrollments", "[[e.id]]"},
		[2]string{"returnees", "[[r.id]]"}, [2]string{"returnees", "[[p.id]]"})
	if err != nil {
		return nil, err
	}
	courses, enrollments, returnees, people := scopes[0], scopes[1], scopes[2], scopes[3]
	byState := newStateRows(func(state string) *SeatsRow { return &SeatsRow{State: state} })
	row := byState.row

	err = each(app.DB().Select("c.[[state]] AS [[state]]", "COUNT(*) AS [[courses]]",
		"SUM(c.[[status]] = 'open') AS [[open]]", "COALESCE(SUM(c.[[capacity]]), 0) AS [[seats]]").
		From("training_courses c").
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).
		GroupBy("c.state"), "course seats", func(o struct {
		State                string
		Courses, Open, Seats int
	}) {
		r := row(o.State)
		r.Courses, r.OpenCourses, r.Seats = o.Courses, o.Open, o.Seats
	})
	if err != nil {
		return nil, err
	}

	err = each(app.DB().Select("c.[[state]] AS [[state]]", "e.[[status]] AS [[status]]", "COUNT(*) AS [[n]]").
		From("enrollments e").
		InnerJoin("training_courses c", dbx.NewExp("c.[[id]] = e.[[course]]")).
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).AndWhere(enrollments).
		GroupBy("c.state", "e.status"), "course enrollments", func(a struct {
		State, Status string
		N             int
	}) {
		r := row(a.State)
		switch a.Status {
		case "requested":
			r.Requested += a.N
		case "waitlisted":
			r.Waitlisted += a.N
		case "enrolled":
			r.Enrolled += a.N
		case "completed":
			r.Completed += a.N
		case "dropped":
			r.Dropped += a.N
		}
	})
	if err != nil {
		return nil, err
	}

	err = each(app.DB().Select(append([]string{"c.[[state]] AS [[state]]"}, bandColumns("p", "e.[[created]]")...)...).
		From("enrollments e").
		InnerJoin("training_courses c", dbx.NewExp("c.[[id]] = e.[[course]]")).
		LeftJoin("returnees p", dbx.And(dbx.NewExp("p.[[id]] = e.[[returnee]]"), people)).
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).AndWhere(enrollments).
		AndWhere(dbx.In("e.status", "requested", "waitlisted", "enrolled", "completed")).
		GroupBy("c.state"), "course demand", func(d struct {
		State string
		Bands
	}) {
		row(d.State).Bands = d.Bands
	})
	if err != nil {
		return nil, err
	}

	err = each(app.DB().Select("r.[[destination_state]] AS [[state]]", "COUNT(*) AS [[n]]").
		From("returnees r").
		Where(dbx.NewExp("EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(r.[[needs]]) THEN r.[[needs]] ELSE '[]' END) WHERE value = 'training')")).
		AndWhere(returnees).
		GroupBy("r.destination_state"), "training need", func(n struct {
		State string
		N     int
	}) {
		row(n.State).TrainingNeed = n.N
	})
	if err != nil {
		return nil, err
	}

	for _, r := range byState.rows {
		r.Demand = r.Requested + r.Waitlisted + r.Enrolled + r.Completed
	}
	rows, totals, err := byState.byName(app, func(r *SeatsRow, name string) { r.StateName = name })
	if err != nil {
		return nil, err
	}
	return &SeatsReport{Table[SeatsRow]{"course_seats", rows}, totals}, nil
}
