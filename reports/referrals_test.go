package reports_test

import (
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/reports"
)

// TestReferrals_MatchREST: each stage of the funnel counts the referrals
// each caller lists through the REST API whose status reached it, split by
// the person's sex and age when referred (people the caller cannot list
// under "unknown").
func TestReferrals_MatchREST(t *testing.T) {
	sawFunnel := false
	for _, c := range callers(t) {
		people := byID(c.list(t, "returnees"))
		want := make([]reports.FunnelRow, len(reports.Stages))
		for i, s := range reports.Stages {
			want[i].Stage, want[i].Label = s.Stage, s.Label
		}
		for _, f := range c.list(t, "referrals") {
			for i, s := range reports.Stages {
				if slices.Contains(s.Statuses, str(f, "status")) {
					want[i].Referrals++
					count(&want[i].Bands, people[str(f, "returnee")], str(f, "created"))
				}
			}
		}
		var got reports.ReferralsReport
		c.getJSON(t, "/api/reports/referrals", &got)
		if !slices.Equal(got.Rows, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got.Rows, want)
		}
		sawFunnel = sawFunnel || (want[1].Referrals > 0 && want[2].Referrals > 0 && want[5].Referrals > 0)
	}
	if !sawFunnel {
		t.Error("the data lacks accepted, attended and rejected referrals")
	}
}
