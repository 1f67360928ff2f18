package savings_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/savings"
)

// TestSummary_Access: those who read the group's ledger get its summary.
func TestSummary_Access(t *testing.T) {
	tok := tokens(t)
	leave := func(t testing.TB, app core.App) {
		m, _ := app.FindRecordById("group_members", a1)
		m.Set("status", "left")
		if err := app.Save(m); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		who    string
		group  string
		setup  func(t testing.TB, app core.App)
		status int
	}{
		{who: "guest", status: http.StatusUnauthorized},
		{who: "nodess staff N1", status: http.StatusOK},
		{who: "coordinator GR", status: http.StatusOK},
		{who: "member A1", status: http.StatusOK},
		{who: "superuser", status: http.StatusOK},
		{who: "nodess staff N2", status: http.StatusForbidden},
		{who: "coordinator BC", status: http.StatusForbidden},
		{who: "field worker", status: http.StatusForbidden},
		{who: "returnee B1", status: http.StatusForbidden},
		{who: "member A1", setup: leave, status: http.StatusForbidden},
		{who: "nodess staff N1", group: "missinggroup001", status: http.StatusNotFound},
	}
	for _, c := range cases {
		group := cmp.Or(c.group, g)
		s := tests.ApiScenario{
			Name:           c.who + " " + group + map[bool]string{true: " after leaving"}[c.setup != nil],
			Method:         http.MethodGet,
			URL:            "/api/savings-groups/" + group + "/summary",
			Headers:        map[string]string{"Authorization": tok[c.who]},
			TestAppFactory: factory,
			ExpectedStatus: c.status,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				if c.setup != nil {
					c.setup(t, app)
				}
			},
		}
		if c.status == http.StatusOK {
			s.ExpectedContent = []string{`"group":"` + g + `"`, `"loan_fund_cents":10000`}
		} else {
			s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, c.status)}
			s.NotExpectedContent = []string{`"loan_fund_cents"`}
		}
		s.Test(t)
	}
}

// TestSummary_BaseLedger compares the summary of the base ledger with the
// figures worked out by hand in the comment of baseLedger.
func TestSummary_BaseLedger(t *testing.T) {
	_, staff := baseLedgerServed(t)
	got := staff.summary(g)
	members := got.Members
	got.Members = nil
	want := savings.Summary{
		Group: g, Status: "active", CycleStart: "2026-09-01", CycleEnd: "2027-06-30", ShareValueCents: 5000, MonthlyInterestBP: 500,
		Entries: 10, LoanFundCents: 11250, SocialFundCents: 2000, TotalShares: 6, SavingsCents: 30000,
		LoansOutstandingCents: 20000, InterestDueCents: 1000, InterestPaidCents: 1000, FinesCents: 250,
		Loans: []savings.Loan{{Member: memberB, Returnee: "rgroupn1guerr01", PrincipalCents: 20000, InterestDueCents: 1000}},
	}
	if !equalJSON(got, want) {
		t.Errorf("summary\n got %+v\nwant %+v", got, want)
	}
	wantMembers := []savings.MemberSummary{
		{Member: memberB, Returnee: "rgroupn1guerr01", Status: "active", Shares: 4, SavingsCents: 20000, DebtCents: 20000,
			InterestDueCents: 1000, InterestPaidCents: 1000, SocialFundCents: 1000},
		{Member: memberLeft, Returnee: "rgroupn1guerr02", Status: "left"},
		{Member: memberReq, Returnee: "rgroupn1guerr03", Status: "requested"},
		{Member: a1, Returnee: testapp.ReturneeA1, Status: "active", Shares: 2, SavingsCents: 10000, FinesCents: 250, SocialFundCents: 1000},
	}
	slices.SortFunc(wantMembers, func(a, b savings.MemberSummary) int { return strings.Compare(a.Member, b.Member) })
	if !slices.Equal(members, wantMembers) {
		t.Errorf("members\n got %+v\nwant %+v", members, wantMembers)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestInterestDue: one month at the group's rate, half a centavo up.
func TestInterestDue(t *testing.T) {
	for _, c := range []struct{ principal, bp, want int64 }{
		{20000, 500, 1000}, {10001, 500, 500}, {10010, 500, 501}, {0, 500, 0}, {-5, 500, 0}, {30000, 0, 0}, {1, 5000, 1},
	} {
		if got := savings.InterestDue(c.principal, c.bp); got != c.want {
			t.Errorf("InterestDue(%d, %d) = %d, want %d", c.principal, c.bp, got, c.want)
		}
	}
}
