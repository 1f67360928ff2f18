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
		testapp.Update(t, app, "group_members", a1, map[string]any{"status": "left"})
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

// repayAll settles B's loan of the base ledger, so that the cycle can close.
func repayAll(t testing.TB, app core.App) {
	testapp.Save(t, app, "ledger_entries", entry("entrepayall0001", g, memberB, "loan_repayment", 0, 20000, "2026-10-27"))
}

// TestShareOut_Access: who may share out, and what a share-out refuses; a
// refusal writes nothing and leaves the group as it was.
func TestShareOut_Access(t *testing.T) {
	tok := tokens(t)
	const empty = "groupempty0001a"
	cases := []struct {
		name   string
		who    string
		group  string
		body   string
		setup  func(t testing.TB, app core.App)
		status int
		want   string // a field error, or the message
		wrote  int    // share_out entries written
	}{
		{name: "staff of the node", who: "nodess staff N1", setup: repayAll, status: http.StatusOK, want: `"loan_fund_cents":31250`, wrote: 2},
		{name: "superuser", who: "superuser", setup: repayAll, status: http.StatusOK, want: `"loan_fund_cents":31250`, wrote: 2},
		{name: "guest", who: "guest", status: http.StatusUnauthorized, want: `"status":401`},
		{name: "field worker", who: "field worker", setup: repayAll, status: http.StatusForbidden, want: "Solo el personal del NODESS del grupo"},
		{name: "staff of another node", who: "nodess staff N2", setup: repayAll, status: http.StatusForbidden, want: "Solo el personal del NODESS del grupo"},
		{name: "coordinator of the state", who: "coordinator GR", setup: repayAll, status: http.StatusForbidden, want: "Solo el personal del NODESS del grupo"},
		{name: "member", who: "member A1", setup: repayAll, status: http.StatusForbidden, want: "Solo el personal del NODESS del grupo"},
		{name: "group that does not exist", who: "nodess staff N1", group: "missinggroup001", status: http.StatusNotFound, want: `"status":404`},
		{name: "no date", who: "nodess staff N1", body: `{}`, setup: repayAll, status: http.StatusBadRequest,
			want: `"meeting_date":{"code":"validation_required"`},
		{name: "date that does not exist", who: "nodess staff N1", body: `{"meeting_date":"2027-02-30"}`, setup: repayAll, status: http.StatusBadRequest,
			want: `"meeting_date":{"code":"validation_date_invalid"`},
		{name: "date after the cycle", who: "nodess staff N1", body: `{"meeting_date":"2027-07-01"}`, setup: repayAll, status: http.StatusBadRequest,
			want: `"meeting_date":{"code":"outside_cycle"`},
		{name: "date before the last meeting", who: "nodess staff N1", body: `{"meeting_date":"2026-10-20"}`, setup: repayAll, status: http.StatusBadRequest,
			want: `"meeting_date":{"code":"before_last_meeting"`},
		{name: "loans outstanding", who: "nodess staff N1", status: http.StatusBadRequest,
			want: `"group":{"code":"loans_outstanding","message":"Hay préstamos sin pagar: 1 persona debe $200.00 de capital.`},
		{name: "group still forming", who: "nodess staff N1", group: empty, status: http.StatusBadRequest, want: `"group":{"code":"group_not_active"`,
			setup: func(t testing.TB, app core.App) { addGroup(t, app, empty, map[string]any{"status": "forming"}) }},
		{name: "nobody bought shares", who: "nodess staff N1", group: empty, status: http.StatusBadRequest, want: `"group":{"code":"no_shares"`,
			setup: func(t testing.TB, app core.App) { addGroup(t, app, empty, nil) }},
		{name: "group closed by hand", who: "nodess staff N1", status: http.StatusBadRequest, want: `"group":{"code":"cycle_closed"`,
			setup: func(t testing.TB, app core.App) {
				repayAll(t, app)
				testapp.Update(t, app, "savings_groups", g, map[string]any{"status": "closed"})
			}},
	}
	for _, c := range cases {
		group := g
		if c.group != "" {
			group = c.group
		}
		body := c.body
		if body == "" {
			body = `{"meeting_date":"2027-06-30"}`
		}
		var before int
		var status string
		s := tests.ApiScenario{
			Name:            c.name,
			Method:          http.MethodPost,
			URL:             "/api/savings-groups/" + group + "/share-out",
			Body:            strings.NewReader(body),
			Headers:         map[string]string{"Authorization": tok[c.who]},
			TestAppFactory:  factory,
			ExpectedStatus:  c.status,
			ExpectedContent: []string{c.want},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				baseLedger(t, app)
				if c.setup != nil {
					c.setup(t, app)
				}
				before = countAll(t, app)
				if r, err := app.FindRecordById("savings_groups", group); err == nil {
					status = r.GetString("status")
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if got := countAll(t, app); got != before+c.wrote {
					t.Errorf("%d ledger entries after the call, want %d", got, before+c.wrote)
				}
				want := status
				if c.wrote > 0 {
					want = "closed"
				}
				if r, err := app.FindRecordById("savings_groups", group); err == nil && r.GetString("status") != want {
					t.Errorf("group status %s after the call, want %s", r.GetString("status"), want)
				}
			},
		}
		s.Test(t)
	}
}

// TestShareOut_ClosesTheCycle shares out the base ledger once its loan is
// repaid: the payouts follow the stated rule and sum exactly to the loan
// fund, the group closes, and nothing more can be written to the cycle.
func TestShareOut_ClosesTheCycle(t *testing.T) {
	app, staff := baseLedgerServed(t)
	if status, body := staff.do(http.MethodPost, "/api/collections/ledger_entries/records",
		entry("entrepayall0001", g, memberB, "loan_repayment", 0, 20000, "2026-10-27")); status != http.StatusOK {
		t.Fatalf("repayment: %d %s", status, body)
	}

	status, body := staff.do(http.MethodPost, "/api/savings-groups/"+g+"/share-out", map[string]any{"meeting_date": "2027-06-30"})
	if status != http.StatusOK {
		t.Fatalf("share-out: %d %s", status, body)
	}
	var res savings.ShareOutResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	// fund $312.50 over 6 shares: A1 2 × 31250 / 6 = 10416 rest 4, B 4 ×
	// 31250 / 6 = 20833 rest 2; the one centavo left goes to A1
	if res.LoanFundCents != 31250 || res.TotalShares != 6 || res.SocialFundCents != 2000 || len(res.Payouts) != 2 ||
		res.Payouts[0].Member != a1 || res.Payouts[0].AmountCents != 10417 || res.Payouts[0].Returnee != testapp.ReturneeA1 ||
		res.Payouts[1].Member != memberB || res.Payouts[1].AmountCents != 20833 || res.Payouts[1].Shares != 4 {
		t.Errorf("share-out %s", body)
	}
	for _, p := range res.Payouts {
		e, err := app.FindRecordById("ledger_entries", p.Entry)
		if err != nil || e.GetString("type") != "share_out" || int64(e.GetInt("amount_cents")) != p.AmountCents ||
			e.GetString("member") != p.Member || e.GetString("meeting_date") != "2027-06-30" || e.GetString("recorded_by") != testapp.NodessStaff1 {
			t.Errorf("entry of %s: %v %v", p.Member, e, err)
		}
	}

	if s := staff.summary(g); s.Status != "closed" || s.LoanFundCents != 0 || s.SharedOutCents != 31250 || s.SocialFundCents != 2000 || s.LoansOutstandingCents != 0 {
		t.Errorf("summary after the share-out: %+v", s)
	}

	before := countAll(t, app)
	refusals := []struct {
		name, method, path string
		body               any
		want               string
	}{
		{"a second share-out", http.MethodPost, "/api/savings-groups/" + g + "/share-out", map[string]any{"meeting_date": "2027-06-30"},
			`"group":{"code":"cycle_closed","message":"El ciclo de este grupo ya se cerró con el reparto`},
		{"an entry after the share-out", http.MethodPost, "/api/collections/ledger_entries/records",
			entry("entafterclose01", g, a1, "social_fund", 0, 1000, "2027-06-30"), `"group":{"code":"group_closed"`},
		{"a reversal of a payout", http.MethodPost, "/api/collections/ledger_entries/records",
			reversal("entafterclose02", res.Payouts[0].Entry, a1, 10417, "2027-06-30"), `"reverses":{"code":"share_out_final"`},
		{"reopening the group", http.MethodPatch, "/api/collections/savings_groups/records/" + g, map[string]any{"status": "active"},
			`"status":{"code":"cycle_closed"`},
	}
	for _, r := range refusals {
		status, body := staff.do(r.method, r.path, r.body)
		if status != http.StatusBadRequest || !strings.Contains(string(body), r.want) {
			t.Errorf("%s: %d %s, want 400 with %s", r.name, status, body, r.want)
		}
	}
	if got := countAll(t, app); got != before {
		t.Errorf("%d entries after the refusals, want %d", got, before)
	}
}
