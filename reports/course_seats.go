package reports

import (
	"fmt"

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
	Report string     `json:"report"`
	Rows   []SeatsRow `json:"rows"`
	Totals SeatsRow   `json:"totals"`
}

// offeredCourses is the condition on courses (aliased c) the report covers.
const offeredCourses = "c.[[status]] IN ('open', 'closed')"

func courseSeatsReport(e *core.RequestEvent) error {
	return answer(e, "course-seats", courseSeats, func(r *SeatsReport) []SeatsRow { return r.Rows })
}

func courseSeats(app core.App, info *core.RequestInfo) (*SeatsReport, error) {
	scopes, err := visible(app, info, [2]string{"training_courses", "[[c.id]]"}, [2]string{"enrollments", "[[e.id]]"},
		[2]string{"returnees", "[[r.id]]"}, [2]string{"returnees", "[[p.id]]"})
	if err != nil {
		return nil, err
	}
	courses, enrollments, returnees, people := scopes[0], scopes[1], scopes[2], scopes[3]
	byState := newStateRows(func(state string) *SeatsRow { return &SeatsRow{State: state} })
	row := byState.row

	var offered []struct {
		State   string `db:"state"`
		Courses int    `db:"courses"`
		Open    int    `db:"open"`
		Seats   int    `db:"seats"`
	}
	err = app.DB().Select("c.[[state]] AS [[state]]", "COUNT(*) AS [[courses]]",
		"SUM(c.[[status]] = 'open') AS [[open]]", "COALESCE(SUM(c.[[capacity]]), 0) AS [[seats]]").
		From("training_courses c").
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).
		GroupBy("c.state").All(&offered)
	if err != nil {
		return nil, fmt.Errorf("course seats: %w", err)
	}
	for _, o := range offered {
		r := row(o.State)
		r.Courses, r.OpenCourses, r.Seats = o.Courses, o.Open, o.Seats
	}

	var asked []struct {
		State  string `db:"state"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err = app.DB().Select("c.[[state]] AS [[state]]", "e.[[status]] AS [[status]]", "COUNT(*) AS [[n]]").
		From("enrollments e").
		InnerJoin("training_courses c", dbx.NewExp("c.[[id]] = e.[[course]]")).
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).AndWhere(enrollments).
		GroupBy("c.state", "e.status").All(&asked)
	if err != nil {
		return nil, fmt.Errorf("course enrollments: %w", err)
	}
	for _, a := range asked {
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
	}

	var demand []struct {
		State string `db:"state"`
		Bands
	}
	err = app.DB().Select(append([]string{"c.[[state]] AS [[state]]"}, bandColumns("p", "e.[[created]]")...)...).
		From("enrollments e").
		InnerJoin("training_courses c", dbx.NewExp("c.[[id]] = e.[[course]]")).
		LeftJoin("returnees p", dbx.And(dbx.NewExp("p.[[id]] = e.[[returnee]]"), people)).
		Where(dbx.NewExp(offeredCourses)).AndWhere(courses).AndWhere(enrollments).
		AndWhere(dbx.In("e.status", "requested", "waitlisted", "enrolled", "completed")).
		GroupBy("c.state").All(&demand)
	if err != nil {
		return nil, fmt.Errorf("course demand: %w", err)
	}
	for _, d := range demand {
		row(d.State).Bands = d.Bands
	}

	var need []struct {
		State string `db:"state"`
		N     int    `db:"n"`
	}
	err = app.DB().Select("r.[[destination_state]] AS [[state]]", "COUNT(*) AS [[n]]").
		From("returnees r").
		Where(dbx.NewExp("EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(r.[[needs]]) THEN r.[[needs]] ELSE '[]' END) WHERE value = 'training')")).
		AndWhere(returnees).
		GroupBy("r.destination_state").All(&need)
	if err != nil {
		return nil, fmt.Errorf("training need: %w", err)
	}
	for _, n := range need {
		row(n.State).TrainingNeed = n.N
	}

	for _, r := range byState.rows {
		r.Demand = r.Requested + r.Waitlisted + r.Enrolled + r.Completed
	}
	rows, totals, err := byState.byName(app, func(r *SeatsRow, name string) { r.StateName = name })
	if err != nil {
		return nil, err
	}
	return &SeatsReport{Report: "course_seats", Rows: rows, Totals: totals}, nil
}
