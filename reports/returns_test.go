package reports_test

import (
	"maps"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/reports"
)

// returnKey is the test's own reading of each grouping of the returns
// report, from a person and one of their returns as the REST API lists them
// (the person themselves when they have no return record).
var returnKey = map[string]func(person, ret map[string]any) string{
	"origin_state":      func(p, _ map[string]any) string { return str(p, "birth_state") },
	"destination_state": func(p, _ map[string]any) string { return str(p, "destination_state") },
	"reception_point":   func(_, r map[string]any) string { return str(r, "reception_point") },
	"sector":            func(p, _ map[string]any) string { return str(p, "sector_in_us") },
	"month":             func(_, r map[string]any) string { return returnDate(r)[:7] },
}

// returnDate is the date of a return, at which its person's age counts.
func returnDate(r map[string]any) string {
	if d := str(r, "repatriation_date"); d != "" {
		return d
	}
	if at := str(r, "registered_at"); at != "" {
		return at
	}
	return str(r, "created") // "2026-11-27 09:24:00.000Z"
}

// TestReturns_MatchREST: for every caller and grouping, the report counts
// exactly the returnees the caller lists through the REST API.
func TestReturns_MatchREST(t *testing.T) {
	anon := caller{name: "guest"}
	states := byID(anon.list(t, "states"))
	points := byID(anon.list(t, "reception_points"))

	all, err := demoApp.CountRecords("returnees")
	if err != nil {
		t.Fatal(err)
	}
	sawMonthFallback, sawNoOrigin, scoped := false, false, 0
	for _, c := range callers(t) {
		returnees := c.list(t, "returnees")
		if n := int64(len(returnees)); n > 0 && n < all {
			scoped++
		}
		if c.name == "superuser" && int64(len(returnees)) != all {
			t.Fatalf("superuser lists %d of %d returnees", len(returnees), all)
		}
		returnsOf := map[string][]map[string]any{}
		for _, r := range c.list(t, "returns") {
			returnsOf[str(r, "returnee")] = append(returnsOf[str(r, "returnee")], r)
		}
		totalReturns := 0
		for by, key := range returnKey {
			want, wantPeople, wantBands := map[string]int{}, map[string]map[string]bool{}, map[string]*reports.Bands{}
			var allBands reports.Bands
			for _, p := range returnees {
				events := returnsOf[str(p, "id")]
				if len(events) == 0 {
					events = []map[string]any{p}
				}
				for _, r := range events {
					k := key(p, r)
					want[k]++
					if wantBands[k] == nil {
						wantBands[k] = &reports.Bands{}
					}
					count(wantBands[k], p, returnDate(r))
					count(&allBands, p, returnDate(r))
					if wantPeople[k] == nil {
						wantPeople[k] = map[string]bool{}
					}
					wantPeople[k][str(p, "id")] = true
				}
				if by == "month" {
					totalReturns += len(events)
				}
			}
			var got reports.ReturnsReport
			c.getJSON(t, "/api/reports/returns?by="+by, &got)
			counts := map[string]int{}
			for _, row := range got.Rows {
				counts[row.Key] = row.Returns
				if w := wantBands[row.Key]; w == nil || row.Bands != *w {
					t.Errorf("%s by %s: key %q bands %+v, want %+v", c.name, by, row.Key, row.Bands, w)
				}
				if row.Returnees != len(wantPeople[row.Key]) {
					t.Errorf("%s by %s: key %q counts %d people, want %d", c.name, by, row.Key, row.Returnees, len(wantPeople[row.Key]))
				}
				wantLabel := row.Key
				switch {
				case row.Key == "":
					wantLabel = reports.NoValue
				case by == "origin_state" || by == "destination_state":
					wantLabel = str(states[row.Key], "name")
				case by == "reception_point":
					wantLabel = str(points[row.Key], "name")
				case by == "sector":
					wantLabel = catalog.SectorsInUS.Label(row.Key)
				}
				if row.Label != wantLabel {
					t.Errorf("%s by %s: key %q labelled %q, want %q", c.name, by, row.Key, row.Label, wantLabel)
				}
			}
			if !maps.Equal(counts, want) {
				t.Errorf("%s by %s:\n got %v\nwant %v", c.name, by, counts, want)
			}
			if got.Bands != allBands {
				t.Errorf("%s by %s: bands %+v, want %+v", c.name, by, got.Bands, allBands)
			}
			if got.Total != len(returnees) || got.By != by {
				t.Errorf("%s by %s: total %d, want %d", c.name, by, got.Total, len(returnees))
			}
			if by == "month" && got.TotalReturns != totalReturns {
				t.Errorf("%s: %d returns in all, want %d", c.name, got.TotalReturns, totalReturns)
			}
			if by == "month" && c.name == "superuser" {
				for _, r := range returnees {
					sawMonthFallback = sawMonthFallback || str(r, "repatriation_date") == ""
				}
			}
			if by == "origin_state" && c.name == "superuser" {
				sawNoOrigin = counts[""] > 0
			}
		}
	}
	if scoped < 3 {
		t.Errorf("only %d callers see some but not all returnees: the scopes are not exercised", scoped)
	}
	if !sawMonthFallback || !sawNoOrigin {
		t.Errorf("the data lacks a returnee without repatriation date (%v) or birth state (%v)", sawMonthFallback, sawNoOrigin)
	}
}

// TestReturns_Order: months in calendar order; other groupings largest
// first, "Sin dato" last.
func TestReturns_Order(t *testing.T) {
	su := callers(t)[0]
	var months reports.ReturnsReport
	su.getJSON(t, "/api/reports/returns?by=month", &months)
	for i := 1; i < len(months.Rows); i++ {
		if months.Rows[i-1].Key >= months.Rows[i].Key {
			t.Errorf("months out of order: %q before %q", months.Rows[i-1].Key, months.Rows[i].Key)
		}
	}
	var origin reports.ReturnsReport
	su.getJSON(t, "/api/reports/returns?by=origin_state", &origin)
	rows := origin.Rows
	if len(rows) < 3 || rows[len(rows)-1].Key != "" {
		t.Fatalf("origin rows %+v: want several, %q last", rows, reports.NoValue)
	}
	for i := 1; i < len(rows)-1; i++ {
		if rows[i-1].Returns < rows[i].Returns {
			t.Errorf("origin rows out of order at %d: %+v", i, rows[i-1:i+1])
		}
	}
}
