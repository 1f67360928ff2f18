package savings_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestGroupRules: a group's settings stay consistent with its ledger.
func TestGroupRules(t *testing.T) {
	app, srv := testapp.NewServed(t)
	staff := staffClient(t, app, srv, testapp.NodessStaff1)
	addGroup(t, app, "groupnoentries1", nil)
	cases := []struct {
		group  string
		change map[string]any
		want   string // a field error, or "" when allowed
	}{
		{g, map[string]any{"share_value_cents": 6000}, `"share_value_cents":{"code":"fixed_for_cycle"`},
		{g, map[string]any{"cycle_start": "2026-09-16"}, `"cycle_start":{"code":"entries_outside"`},
		{g, map[string]any{"cycle_end": "2026-09-14"}, `"cycle_end":{"code":"entries_outside"`},
		{g, map[string]any{"cycle_start": "2026-09-15", "cycle_end": "2026-12-31", "max_shares": 4}, ""},
		{"groupnoentries1", map[string]any{"share_value_cents": 6000, "cycle_start": "2026-10-01"}, ""},
	}
	for i, c := range cases {
		status, body := staff.do(http.MethodPatch, "/api/collections/savings_groups/records/"+c.group, c.change)
		switch {
		case c.want == "" && status != http.StatusOK:
			t.Errorf("case %d: %d %s, want it allowed", i, status, body)
		case c.want != "" && (status != http.StatusBadRequest || !strings.Contains(string(body), c.want)):
			t.Errorf("case %d: %d %s, want %s", i, status, body, c.want)
		}
	}
}
