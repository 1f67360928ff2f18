package savings_test

import (
	"testing"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/savings"
)

// TestDemo_LedgersFollowTheRules seeds the demo data with the savings rules
// bound, as `retorno seed --demo` does: every entry it writes is accepted,
// and every group's balances stay at or above zero.
func TestDemo_LedgersFollowTheRules(t *testing.T) {
	app, err := testapp.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	hooks.Register(app)
	if err := savings.Register(app); err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Seed(app, demo.Options{Seed: 3, Returnees: 300})
	if err != nil {
		t.Fatalf("demo seed refused by the savings rules: %v", err)
	}
	if sum.Counts["ledger_entries"] == 0 {
		t.Fatal("the demo wrote no ledger entries")
	}
	groups, err := app.FindAllRecords("savings_groups")
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range groups {
		s, err := savings.Summarize(app, group)
		if err != nil {
			t.Fatal(err)
		}
		if s.LoanFundCents < 0 || s.SocialFundCents < 0 {
			t.Errorf("group %s: loan fund %d, social fund %d", group.Id, s.LoanFundCents, s.SocialFundCents)
		}
		for _, m := range s.Members {
			if m.DebtCents < 0 {
				t.Errorf("group %s, member %s: debt %d", group.Id, m.Member, m.DebtCents)
			}
		}
	}
	t.Logf("%d ledger entries in %d groups", sum.Counts["ledger_entries"], len(groups))
}
