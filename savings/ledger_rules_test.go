package savings_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The base ledger of the refusal table, in GroupN1 (shares of $50.00, 1 to 5
// a meeting, 5% a month):
//
//	2026-09-15  A1 buys 2 shares (fixture), B buys 4; A1 and B pay $10 social fund each
//	2026-09-29  B borrows $250                      loan fund $50.00
//	2026-10-13  B repays $50, pays $10 interest;    loan fund $112.50, B owes $200
//	            A1 pays a $2.50 fine; A1's $5 social
//	            fund payment, reversed              social fund $20.00
const (
	g       = testapp.GroupN1
	a1      = testapp.MemberA1
	newID   = "entrytest000001"
	buyB    = "entbasemb000001"
	loanB   = "entbaseloanmb01"
	repayB  = "entbaserepaymb1"
	social3 = "entbasesocial03"
	revSoc  = "entbaserevsoc01"
)

// Members of the base ledger besides A1: B (active), one who left, one who
// asked to join.
var (
	memberB    = "mgroupn1guerr01"
	memberLeft = "mgroupn1guerr02"
	memberReq  = "mgroupn1guerr03"
)

func baseLedger(t testing.TB, app core.App) {
	t.Helper()
	addMember(t, app, g, 1, "active")
	addMember(t, app, g, 2, "left")
	addMember(t, app, g, 3, "requested")
	for _, e := range []map[string]any{
		entry(buyB, g, memberB, "share_purchase", 4, 20000, "2026-09-15"),
		entry("entbasesocial01", g, a1, "social_fund", 0, 1000, "2026-09-15"),
		entry("entbasesocial02", g, memberB, "social_fund", 0, 1000, "2026-09-15"),
		entry(loanB, g, memberB, "loan_disbursement", 0, 25000, "2026-09-29"),
		entry(repayB, g, memberB, "loan_repayment", 0, 5000, "2026-10-13"),
		entry("entbaseintmb001", g, memberB, "interest", 0, 1000, "2026-10-13"),
		entry("entbasefinea101", g, a1, "fine", 0, 250, "2026-10-13"),
		entry(social3, g, a1, "social_fund", 0, 500, "2026-10-13"),
		reversal(revSoc, social3, a1, 500, "2026-10-13"),
	} {
		testapp.Save(t, app, "ledger_entries", e)
	}
}

// baseLedgerServed returns a template clone holding the base ledger, served,
// and a client of NODESS staff N1 (who runs GroupN1) on it.
func baseLedgerServed(t testing.TB) (*tests.TestApp, client) {
	t.Helper()
	app := testapp.New(t)
	baseLedger(t, app)
	srv := testapp.Serve(t, app)
	return app, staffClient(t, app, srv, testapp.NodessStaff1)
}

func reversal(id, reverses, member string, amount int, date string) map[string]any {
	e := entry(id, g, member, "reversal", 0, amount, date)
	e["reverses"] = reverses
	return e
}

func with(e map[string]any, k string, v any) map[string]any {
	e[k] = v
	return e
}

// TestLedgerRules_Refusals posts entries through the REST API over the base
// ledger: each refusal is a 400 with a field error, and saves nothing.
func TestLedgerRules_Refusals(t *testing.T) {
	tok := tokens(t)
	staff, superToken := tok["nodess staff N1"], tok["superuser"]

	closeGroup := func(t testing.TB, app core.App) {
		testapp.Update(t, app, "savings_groups", g, map[string]any{"status": "closed"})
	}
	otherGroup := func(status string, minShares int) func(t testing.TB, app core.App) {
		return func(t testing.TB, app core.App) {
			addGroup(t, app, "groupother0001a", map[string]any{"status": status, "min_shares": minShares, "max_shares": 4})
			addMember(t, app, "groupother0001a", 1, "active")
		}
	}
	const other, otherMember = "groupother0001a", "mgroupother0001"

	cases := []struct {
		name  string
		body  map[string]any
		setup func(t testing.TB, app core.App)
		token string
		field string
		code  string
	}{
		// money
		{name: "amount with a fraction of a centavo", body: entry(newID, g, a1, "social_fund", 0, 1000.5, "2026-10-13"), field: "amount_cents", code: "not_whole_cents"},
		{name: "amount zero", body: entry(newID, g, a1, "fine", 0, 0, "2026-10-13"), field: "amount_cents", code: "not_positive"},
		{name: "shares with a fraction", body: entry(newID, g, a1, "share_purchase", 1.5, 7500, "2026-10-13"), field: "shares", code: "not_whole"},

		// share purchases
		{name: "amount is not shares × share value", body: entry(newID, g, a1, "share_purchase", 2, 9000, "2026-10-13"), field: "amount_cents", code: "amount_mismatch"},
		{name: "share purchase without shares", body: entry(newID, g, a1, "share_purchase", 0, 5000, "2026-10-13"), field: "shares", code: "required"},
		{name: "more shares than the maximum in one meeting", body: entry(newID, g, a1, "share_purchase", 4, 20000, "2026-09-15"), field: "shares", code: "above_max_shares"},
		{name: "fewer shares than the minimum", body: entry(newID, other, otherMember, "share_purchase", 1, 2000, "2026-10-13"), setup: otherGroup("active", 2),
			field: "shares", code: "below_min_shares"},
		{name: "shares on another type", body: entry(newID, g, a1, "social_fund", 1, 1000, "2026-10-13"), field: "shares", code: "not_allowed"},

		// loan fund, debts, social fund
		{name: "loan above the loan fund", body: entry(newID, g, a1, "loan_disbursement", 0, 11251, "2026-10-13"), field: "amount_cents", code: "exceeds_loan_fund"},
		{name: "loan dated back above the fund of that meeting", body: entry(newID, g, a1, "loan_disbursement", 0, 5001, "2026-09-29"), field: "amount_cents", code: "exceeds_loan_fund"},
		{name: "repayment above the debt", body: entry(newID, g, memberB, "loan_repayment", 0, 20001, "2026-10-27"), field: "amount_cents", code: "exceeds_debt"},
		{name: "repayment without a loan", body: entry(newID, g, a1, "loan_repayment", 0, 100, "2026-10-27"), field: "amount_cents", code: "exceeds_debt"},
		{name: "repayment dated before the loan", body: entry(newID, g, memberB, "loan_repayment", 0, 100, "2026-09-15"), field: "amount_cents", code: "exceeds_debt"},
		{name: "interest without a loan", body: entry(newID, g, a1, "interest", 0, 100, "2026-10-27"), field: "member", code: "no_loan"},
		{name: "social fund payout above the fund", body: entry(newID, g, a1, "social_fund_payout", 0, 2001, "2026-10-27"), field: "amount_cents", code: "exceeds_social_fund"},

		// cycle, group, member
		{name: "meeting before the cycle", body: entry(newID, g, a1, "social_fund", 0, 1000, "2026-08-31"), field: "meeting_date", code: "outside_cycle"},
		{name: "meeting after the cycle", body: entry(newID, g, a1, "social_fund", 0, 1000, "2027-07-01"), field: "meeting_date", code: "outside_cycle"},
		{name: "member who left", body: entry(newID, g, memberLeft, "share_purchase", 1, 5000, "2026-10-13"), field: "member", code: "member_not_active"},
		{name: "member not admitted yet", body: entry(newID, g, memberReq, "social_fund", 0, 1000, "2026-10-13"), field: "member", code: "member_not_active"},
		{name: "no member", body: entry(newID, g, "", "fine", 0, 1000, "2026-10-13"), field: "member", code: "required"},
		{name: "group still forming", body: entry(newID, other, otherMember, "share_purchase", 1, 2000, "2026-10-13"), setup: otherGroup("forming", 1),
			field: "group", code: "group_not_active"},
		{name: "closed group", body: entry(newID, g, a1, "social_fund", 0, 1000, "2026-10-13"), setup: closeGroup, field: "group", code: "group_closed"},

		// reversals
		{name: "reversal without the entry it cancels", body: entry(newID, g, a1, "reversal", 0, 500, "2026-10-13"), field: "reverses", code: "required"},
		{name: "reverses on another type", body: with(entry(newID, g, a1, "fine", 0, 500, "2026-10-13"), "reverses", social3), field: "reverses", code: "not_a_reversal"},
		{name: "reversal of another member", body: reversal(newID, "entbasesocial01", memberB, 1000, "2026-10-13"), field: "member", code: "reversal_member"},
		{name: "reversal of another amount", body: reversal(newID, "entbasesocial01", a1, 900, "2026-10-13"), field: "amount_cents", code: "reversal_amount"},
		{name: "reversal of other shares", body: with(reversal(newID, buyB, memberB, 20000, "2026-10-13"), "shares", 3), field: "shares", code: "reversal_shares"},
		{name: "reversal dated before the entry", body: reversal(newID, repayB, memberB, 5000, "2026-09-29"), field: "meeting_date", code: "before_reversed"},
		{name: "reversal of a reversal", body: reversal(newID, revSoc, a1, 500, "2026-10-13"), field: "reverses", code: "reversal_of_reversal"},
		{name: "entry already reversed", body: reversal(newID, social3, a1, 500, "2026-10-13"), field: "reverses", code: "already_reversed"},
		{name: "reversal of an entry of another group", body: reversal(newID, "entotherg000001", a1, 2000, "2026-10-13"),
			setup: func(t testing.TB, app core.App) {
				otherGroup("active", 1)(t, app)
				testapp.Save(t, app, "ledger_entries", entry("entotherg000001", other, otherMember, "share_purchase", 1, 2000, "2026-10-13"))
			}, field: "reverses", code: "wrong_group"},
		{name: "unbalanced reversal: the shares' cash is lent out", body: with(reversal(newID, buyB, memberB, 20000, "2026-10-13"), "shares", 4),
			field: "reverses", code: "unbalanced_reversal"},
		{name: "unbalanced reversal: the loan is partly repaid", body: reversal(newID, loanB, memberB, 25000, "2026-10-13"),
			field: "reverses", code: "unbalanced_reversal"},
		{name: "reversal that leaves fewer shares than the minimum", body: with(with(reversal(newID, "entothershares1", otherMember, 4000, "2026-10-13"), "shares", 2), "group", other),
			setup: func(t testing.TB, app core.App) {
				otherGroup("active", 2)(t, app)
				testapp.Save(t, app, "ledger_entries", entry("entothershares1", other, otherMember, "share_purchase", 2, 4000, "2026-10-13"))
				testapp.Save(t, app, "ledger_entries", entry("entothershares2", other, otherMember, "share_purchase", 1, 2000, "2026-10-13"))
			}, field: "reverses", code: "below_min_shares"},

		// share-out
		{name: "share-out written directly", body: entry(newID, g, a1, "share_out", 0, 11250, "2027-06-30"), field: "type", code: "share_out_route"},
		{name: "share-out written directly by a superuser", body: entry(newID, g, a1, "share_out", 0, 11250, "2027-06-30"), token: superToken,
			field: "type", code: "share_out_route"},
	}
	for _, c := range cases {
		body, _ := json.Marshal(c.body)
		token := c.token
		if token == "" {
			token = staff
		}
		var before int
		s := tests.ApiScenario{
			Name:           c.name,
			Method:         http.MethodPost,
			URL:            "/api/collections/ledger_entries/records",
			Body:           bytes.NewReader(body),
			Headers:        map[string]string{"Authorization": token},
			TestAppFactory: factory,
			ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"status":400`,
				`"` + c.field + `":{"code":"` + c.code + `"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				baseLedger(t, app)
				if c.setup != nil {
					c.setup(t, app)
				}
				before = countAll(t, app)
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if got := countAll(t, app); got != before {
					t.Errorf("%d ledger entries after the refusal, want %d", got, before)
				}
			},
		}
		s.Test(t)
	}
}

// TestLedgerRules_Accepted posts valid entries over the base ledger, at the
// edges of the rules.
func TestLedgerRules_Accepted(t *testing.T) {
	app := testapp.New(t)
	staff := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	cases := []struct {
		name string
		body map[string]any
	}{
		{"shares up to the maximum in one meeting", entry(newID, g, a1, "share_purchase", 3, 15000, "2026-09-15")},
		{"loan of the whole fund", entry(newID, g, a1, "loan_disbursement", 0, 11250, "2026-10-27")},
		{"repayment of the whole debt", entry(newID, g, memberB, "loan_repayment", 0, 20000, "2026-10-27")},
		{"interest on a loan owed", entry(newID, g, memberB, "interest", 0, 1000, "2026-10-27")},
		{"social fund payout of the whole fund", entry(newID, g, a1, "social_fund_payout", 0, 2000, "2026-10-27")},
		{"reversal of a repayment", reversal(newID, repayB, memberB, 5000, "2026-10-27")},
		{"reversal by a member who left since", reversal(newID, "entleft00000001", memberLeft, 700, "2026-10-27")},
		{"meeting on the last day of the cycle", entry(newID, g, a1, "fine", 0, 100, "2027-06-30")},
	}
	for _, c := range cases {
		body, _ := json.Marshal(c.body)
		var before int
		s := tests.ApiScenario{
			Name:            c.name,
			Method:          http.MethodPost,
			URL:             "/api/collections/ledger_entries/records",
			Body:            bytes.NewReader(body),
			Headers:         map[string]string{"Authorization": staff},
			TestAppFactory:  factory,
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"id":"` + newID + `"`, `"recorded_by":"` + testapp.NodessStaff1 + `"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				baseLedger(t, app)
				// an entry of the member who left, from before they left
				testapp.Update(t, app, "group_members", memberLeft, map[string]any{"status": "active"})
				testapp.Save(t, app, "ledger_entries", entry("entleft00000001", g, memberLeft, "social_fund", 0, 700, "2026-10-13"))
				testapp.Update(t, app, "group_members", memberLeft, map[string]any{"status": "left"})
				before = countAll(t, app)
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if got := countAll(t, app); got != before+1 {
					t.Errorf("%d ledger entries, want %d", got, before+1)
				}
			},
		}
		s.Test(t)
	}
}

// TestLedgerRules_SyncPush: the rules hold for entries pushed by a device;
// a refusal is rejected with its field errors and kept in sync_conflicts.
func TestLedgerRules_SyncPush(t *testing.T) {
	app, staff := baseLedgerServed(t)
	create := func(mid string, fields map[string]any) devicesync.Mutation {
		id := fields["id"].(string)
		delete(fields, "id")
		return devicesync.Mutation{MutationID: mid, Collection: "ledger_entries", RecordID: id, Op: "create", Fields: fields}
	}
	ms := []devicesync.Mutation{
		create("sp-loan-above-fund", entry("entpushloan0001", g, a1, "loan_disbursement", 0, 11251, "2026-10-27")),
		create("sp-share-out-direct", entry("entpushshout001", g, a1, "share_out", 0, 11250, "2027-06-30")),
		create("sp-loan-whole-fund", entry("entpushloan0002", g, a1, "loan_disbursement", 0, 11250, "2026-10-27")),
		create("sp-loan-fund-empty", entry("entpushloan0003", g, memberB, "loan_disbursement", 0, 1, "2026-10-27")),
	}
	// a pushed refusal carries each field's message
	want := []struct{ status, field, message string }{
		{"rejected", "amount_cents", "hay $112.50 disponibles"},
		{"rejected", "type", "share-out"},
		{"applied", "", ""},
		{"rejected", "amount_cents", "hay $0.00 disponibles"},
	}
	for round := range 2 { // the retry answers the same
		for i, r := range staff.push("savings-test-phone", ms) {
			w := want[i]
			if round == 1 && w.status == "applied" {
				w.status = "duplicate"
			}
			if r.Status != w.status {
				t.Errorf("round %d %s: %s %+v, want %s", round, r.MutationID, r.Status, r.Error, w.status)
				continue
			}
			if w.field != "" && (r.Error == nil || r.Error.Code != devicesync.CodeValidation || !strings.Contains(r.Error.Fields[w.field], w.message)) {
				t.Errorf("round %d %s: error %+v, want %q on %s", round, r.MutationID, r.Error, w.message, w.field)
			}
		}
	}
	n, err := app.CountRecords("sync_conflicts")
	if err != nil || n != 3 {
		t.Errorf("%d sync conflicts (%v), want the 3 refusals once", n, err)
	}
}

func countAll(t testing.TB, app core.App) int {
	t.Helper()
	n, err := app.CountRecords("ledger_entries")
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
