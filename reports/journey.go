package reports

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Steps of a person's journey after the border, in order: each counts the
// people the caller may list who reached it, through records the caller may
// list too. A person reaches a step through any of their records (a
// referral accepted, an enrollment completed); "employed" is what the
// person's latest outcome says.
var Steps = []struct {
	Step, Label string
	// Exists is the condition on the person p's records, "" for everyone.
	Collection, Where string
}{
	{"registered", "Registradas", "", ""},
	{"referred", "Canalizadas", "referrals", ""},
	{"accepted", "Canalización aceptada", "referrals", "x.[[status]] IN ('accepted', 'attended', 'closed')"},
	{"attended", "Atendidas", "referrals", "x.[[status]] IN ('attended', 'closed')"},
	{"enrolled", "Inscritas en un curso", "enrollments", "x.[[status]] IN ('enrolled', 'completed')"},
	{"completed_course", "Terminaron un curso", "enrollments", "x.[[status]] = 'completed'"},
	{"savings_member", "En un grupo de ahorro", "group_members", "x.[[status]] = 'active'"},
	{"cooperative_member", "En una cooperativa", "cooperative_members", "x.[[status]] = 'active'"},
	{"employed", "Con empleo o por su cuenta", "outcomes", "x.[[employment]] IN ('employed', 'self_employed')"},
}

// JourneyRow is how many people of a destination state and a cohort (the
// month of their latest return) reached one step, split by sex and by age
// at that return.
type JourneyRow struct {
	State     string `json:"state" db:"state"`
	StateName string `json:"state_name" db:"-"`
	Cohort    string `json:"cohort" db:"cohort"`
	Step      string `json:"step" db:"-"`
	Label     string `json:"label" db:"-"`
	People    int    `json:"people" db:"people"`
	Bands
}

// JourneyReport is the JSON answer of GET /api/reports/journey.
type JourneyReport = Table[JourneyRow]

// journey counts, for each step, the people who reached it, by destination
// state and cohort: one grouped query a step, over the people the caller may
// list and, for a step, their records the caller may list.
func journey(app core.App, info *core.RequestInfo) (*JourneyReport, error) {
	people, err := visible(app, info, [2]string{"returnees", "p.[[id]]"})
	if err != nil {
		return nil, err
	}
	states, err := stateNames(app)
	if err != nil {
		return nil, err
	}
	report := &JourneyReport{"journey", []JourneyRow{}}
	for _, s := range Steps {
		q := app.DB().Select(append([]string{"COALESCE(p.[[destination_state]], '') AS [[state]]",
			"substr(COALESCE(p.[[repatriation_date]], ''), 1, 7) AS [[cohort]]", "COUNT(*) AS [[people]]"},
			bandColumns("p", "p.[[repatriation_date]]")...)...).
			From("returnees p").Where(people[0]).GroupBy("state", "cohort")
		if s.Collection != "" {
			cond, err := reached(app, info, s.Collection, s.Where)
			if err != nil {
				return nil, err
			}
			q.AndWhere(cond)
		}
		var rows []JourneyRow
		if err := q.All(&rows); err != nil {
			return nil, fmt.Errorf("journey %s: %w", s.Step, err)
		}
		for _, r := range rows {
			r.Step, r.Label, r.StateName = s.Step, s.Label, states[r.State]
			report.Rows = append(report.Rows, r)
		}
	}
	step := map[string]int{}
	for i, s := range Steps {
		step[s.Step] = i
	}
	slices.SortStableFunc(report.Rows, func(a, b JourneyRow) int {
		return cmp.Or(strings.Compare(a.StateName, b.StateName), strings.Compare(a.Cohort, b.Cohort), cmp.Compare(step[a.Step], step[b.Step]))
	})
	return report, nil
}

// reached is the condition that the person p has a record x of collection,
// which the caller may list, meeting where; for outcomes, the person's
// latest outcome the caller may list.
func reached(app core.App, info *core.RequestInfo, collection, where string) (dbx.Expression, error) {
	seen, err := visible(app, info, [2]string{collection, "x.[[id]]"}, [2]string{collection, "y.[[id]]"})
	if err != nil {
		return nil, err
	}
	inner := app.DB().Select("x.[[id]]").From(collection + " x").
		Where(dbx.NewExp("x.[[returnee]] = p.[[id]]")).AndWhere(seen[0]).AndWhere(dbx.NewExp(where))
	if collection == "outcomes" {
		later := app.DB().Select("y.[[id]]").From(collection + " y").
			Where(dbx.NewExp("y.[[returnee]] = x.[[returnee]] AND (y.[[recorded_on]] > x.[[recorded_on]] OR (y.[[recorded_on]] = x.[[recorded_on]] AND y.[[id]] > x.[[id]]))")).
			AndWhere(seen[1])
		inner.AndWhere(dbx.NotExists(dbx.NewExp(later.Build().SQL(), later.Build().Params())))
	}
	built := inner.Build()
	return dbx.Exists(dbx.NewExp(built.SQL(), built.Params())), nil
}
