package reports_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/reports"
)

// TestJourney_MatchREST: each step counts the people each caller lists
// through the REST API who have, among the records the caller lists, one
// that reached it (for "employed", the latest outcome), by destination
// state and the month of the latest return, split by sex and age at it.
func TestJourney_MatchREST(t *testing.T) {
	reachedAll := map[string]bool{}
	for _, c := range callers(t) {
		people := c.list(t, "returnees")
		has := map[string]map[string]bool{} // step -> person ids
		mark := func(step, person string) {
			if has[step] == nil {
				has[step] = map[string]bool{}
			}
			has[step][person] = true
		}
		for _, r := range c.list(t, "referrals") {
			mark("referred", str(r, "returnee"))
			switch str(r, "status") {
			case "attended", "closed":
				mark("attended", str(r, "returnee"))
				fallthrough
			case "accepted":
				mark("accepted", str(r, "returnee"))
			}
		}
		for _, e := range c.list(t, "enrollments") {
			switch str(e, "status") {
			case "completed":
				mark("completed_course", str(e, "returnee"))
				fallthrough
			case "enrolled":
				mark("enrolled", str(e, "returnee"))
			}
		}
		for collection, step := range map[string]string{"group_members": "savings_member", "cooperative_members": "cooperative_member"} {
			for _, m := range c.list(t, collection) {
				if str(m, "status") == "active" {
					mark(step, str(m, "returnee"))
				}
			}
		}
		latest := map[string]map[string]any{}
		for _, o := range c.list(t, "outcomes") {
			p := str(o, "returnee")
			if l := latest[p]; l == nil || cmp.Or(strings.Compare(str(o, "recorded_on"), str(l, "recorded_on")), strings.Compare(str(o, "id"), str(l, "id"))) > 0 {
				latest[p] = o
			}
		}
		for p, o := range latest {
			if e := str(o, "employment"); e == "employed" || e == "self_employed" {
				mark("employed", p)
			}
		}

		var want []reports.JourneyRow
		for _, s := range reports.Steps {
			rows := map[[2]string]*reports.JourneyRow{}
			for _, p := range people {
				if s.Step != "registered" && !has[s.Step][str(p, "id")] {
					continue
				}
				key := [2]string{str(p, "destination_state"), prefix(str(p, "repatriation_date"), 7)}
				if rows[key] == nil {
					rows[key] = &reports.JourneyRow{State: key[0], Cohort: key[1], Step: s.Step, Label: s.Label}
				}
				rows[key].People++
				count(&rows[key].Bands, p, str(p, "repatriation_date"))
			}
			for _, r := range rows {
				want = append(want, *r)
				reachedAll[s.Step] = true
			}
		}
		var got reports.JourneyReport
		c.getJSON(t, "/api/reports/journey", &got)
		key := func(r reports.JourneyRow) string { return r.State + "|" + r.Cohort + "|" + r.Step }
		for i := range got.Rows {
			got.Rows[i].StateName = "" // compared by id
		}
		slices.SortFunc(want, func(a, b reports.JourneyRow) int { return strings.Compare(key(a), key(b)) })
		slices.SortFunc(got.Rows, func(a, b reports.JourneyRow) int { return strings.Compare(key(a), key(b)) })
		if !slices.Equal(got.Rows, want) {
			t.Errorf("%s: %d rows, want %d\n got %+v\nwant %+v", c.name, len(got.Rows), len(want), first(got.Rows), first(want))
		}
	}
	for _, s := range reports.Steps {
		if !reachedAll[s.Step] {
			t.Errorf("the data has nobody at step %s", s.Step)
		}
	}
}

func prefix(s string, n int) string { return s[:min(n, len(s))] }

func first(rows []reports.JourneyRow) []reports.JourneyRow { return rows[:min(3, len(rows))] }
