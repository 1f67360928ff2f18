package reports_test

import (
	"cmp"
	"testing"

	"github.com/retorno-mx/retorno/reports"
)

// TestSavings_MatchREST: the report equals the test's own sums over the
// groups, memberships and ledger entries each caller lists through the REST
// API, with the formula documented on reports.SavingsRow.
func TestSavings_MatchREST(t *testing.T) {
	states := byID(caller{name: "guest"}.list(t, "states"))
	sawReversal, sawMoney := false, false
	for _, c := range callers(t) {
		want := map[string]*reports.SavingsRow{}
		row := rowOf(want, func(state string) *reports.SavingsRow {
			return &reports.SavingsRow{State: state, StateName: str(states[state], "name")}
		})
		groups := byID(c.list(t, "savings_groups"))
		for _, g := range groups {
			r := row(str(g, "state"))
			r.Groups++
			if str(g, "status") == "active" {
				r.ActiveGroups++
			}
		}
		people := byID(c.list(t, "returnees"))
		for _, m := range c.list(t, "group_members") {
			if g, ok := groups[str(m, "group")]; ok && str(m, "status") == "active" {
				r := row(str(g, "state"))
				r.ActiveMembers++
				count(&r.Bands, people[str(m, "returnee")], cmp.Or(str(m, "joined_on"), str(m, "created")))
			}
		}
		entries := c.list(t, "ledger_entries")
		listed := byID(entries)
		for _, e := range entries {
			g, ok := groups[str(e, "group")]
			if !ok {
				continue
			}
			r := row(str(g, "state"))
			typ, amount := str(e, "type"), num(e, "amount_cents")
			if typ == "reversal" {
				target, ok := listed[str(e, "reverses")]
				if !ok {
					continue
				}
				sawReversal = true
				typ, amount = str(target, "type"), -amount
			}
			switch typ {
			case "share_purchase":
				r.SavingsCents += amount
			case "social_fund":
				r.SocialFundCents += amount
			case "social_fund_payout":
				r.SocialFundCents -= amount
			case "loan_disbursement":
				r.LoansOutstandingCents += amount
			case "loan_repayment":
				r.LoansOutstandingCents -= amount
			case "interest":
				r.InterestCents += amount
			case "fine":
				r.FinesCents += amount
			case "share_out":
				r.SharedOutCents += amount
			}
		}
		var total reports.SavingsRow
		for _, r := range want {
			total.Groups += r.Groups
			total.ActiveMembers += r.ActiveMembers
			total.SavingsCents += r.SavingsCents
			total.LoansOutstandingCents += r.LoansOutstandingCents
			sawMoney = sawMoney || (r.SavingsCents > 0 && r.LoansOutstandingCents > 0 && r.InterestCents > 0)
		}

		var got reports.SavingsReport
		c.getJSON(t, "/api/reports/savings", &got)
		sameRows(t, c.name, got.Rows, want, func(r reports.SavingsRow) string { return r.State })
		if g := got.Totals; g.Groups != total.Groups || g.ActiveMembers != total.ActiveMembers ||
			g.SavingsCents != total.SavingsCents || g.LoansOutstandingCents != total.LoansOutstandingCents {
			t.Errorf("%s: totals %+v, want %+v", c.name, g, total)
		}
	}
	if !sawReversal || !sawMoney {
		t.Errorf("the data lacks a reversal (%v) or a state with savings, loans and interest (%v)", sawReversal, sawMoney)
	}
}
