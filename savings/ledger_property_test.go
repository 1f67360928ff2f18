package savings_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/savings"
)

// TestLedger_PropertyRandomPushes generates, per seed, random sequences of
// valid and invalid entries for a fresh group, and pushes them through the
// real sync endpoint from two devices, in random batches, some answers
// "lost" and resent, some batches replayed later. Properties:
//   - the server accepts exactly the entries the test's model accepts;
//   - a resent or replayed mutation is answered duplicate (or the same
//     refusal) and is stored once;
//   - the stored ledger never has a negative balance at any meeting;
//   - the summary agrees with the model;
//   - after the loans are repaid, the share-out pays the loan fund exactly,
//     each member within a centavo of their exact proportion, and a second
//     share-out is refused.
func TestLedger_PropertyRandomPushes(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 20261127} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { propertyRun(t, seed, 220) })
	}
}

// A secondNode staff member of N1 pushes from the second device.
const secondStaff = "staffnodessn102"

func propertyRun(t *testing.T, seed uint64, size int) {
	rng := rand.New(rand.NewPCG(seed, 0x5a11))
	app := testapp.New(t)
	const group = "groupprop000001"
	addGroup(t, app, group, map[string]any{
		"share_value_cents":   []int{1000, 2500, 5000}[rng.IntN(3)],
		"min_shares":          1 + rng.IntN(2),
		"max_shares":          3 + rng.IntN(3),
		"monthly_interest_bp": []int{300, 500, 1000}[rng.IntN(3)],
	})
	var active []string
	for n := range 6 {
		active = append(active, addMember(t, app, group, n, "active"))
	}
	inactive := []string{addMember(t, app, group, 6, "left"), addMember(t, app, group, 7, "requested")}
	testapp.Save(t, app, "staff", map[string]any{"id": secondStaff, "email": "n1b@retorno.test", "name": "Nadia Nodo Uno",
		"role": "nodess_staff", "nodess": testapp.NodessN1, "password": testapp.Password})
	groupRec, _ := app.FindRecordById("savings_groups", group)
	m := newModel(groupRec, active)
	srv := testapp.Serve(t, app)
	devices := []struct {
		c  client
		id string
	}{
		{staffClient(t, app, srv, testapp.NodessStaff1), fmt.Sprintf("prop-a-%d", seed)},
		{staffClient(t, app, srv, secondStaff), fmt.Sprintf("prop-b-%d", seed)},
	}

	gen := &generator{rng: rng, m: m, group: group, active: active, inactive: inactive, now: "2026-09-03", dates: []string{"2026-09-03"}}
	type batch struct {
		device   int
		ms       []devicesync.Mutation
		accepted []bool
	}
	var batches []batch
	applied := 0
	check := func(b batch, results []devicesync.Result, retry bool) {
		t.Helper()
		for i, r := range results {
			want := "rejected"
			switch {
			case b.accepted[i] && retry:
				want = "duplicate"
			case b.accepted[i]:
				want = "applied"
			}
			if r.Status != want {
				t.Fatalf("seed %d, %s (%v): %s %+v, model says %s", seed, r.MutationID, b.ms[i].Fields, r.Status, r.Error, want)
			}
		}
	}
	pending := []mEntry{}
	flush := func() {
		if len(pending) == 0 {
			return
		}
		b := batch{device: rng.IntN(len(devices))}
		for _, e := range pending {
			ok := m.accepts(e)
			if ok {
				m.record(e)
				applied++
			}
			b.ms = append(b.ms, gen.mutation(e))
			b.accepted = append(b.accepted, ok)
		}
		pending = pending[:0]
		d := devices[b.device]
		if rng.IntN(4) == 0 { // the answer is lost: the device sends the batch again
			d.c.push(d.id, b.ms)
			check(b, d.c.push(d.id, b.ms), true)
		} else {
			check(b, d.c.push(d.id, b.ms), false)
		}
		batches = append(batches, b)
		if rng.IntN(6) == 0 { // an old batch comes back (a restored queue)
			old := batches[rng.IntN(len(batches))]
			check(old, devices[old.device].c.push(devices[old.device].id, old.ms), true)
		}
	}
	for range size {
		pending = append(pending, gen.next())
		if len(pending) >= 1+rng.IntN(30) {
			flush()
		}
	}
	flush()

	// retries were counted once: the server holds exactly the accepted entries
	if got := countEntries(t, app, group); got != applied {
		t.Fatalf("seed %d: %d entries stored, %d accepted", seed, got, applied)
	}
	stored := storedEntries(t, app, group)
	if !m.neverNegative(stored) {
		t.Fatalf("seed %d: a balance of the stored ledger goes below zero", seed)
	}
	kinds := map[string]int{}
	for _, e := range m.entries {
		kinds[e.typ]++
	}
	t.Logf("seed %d: %d entries accepted of %d (%v)", seed, applied, size, kinds)
	if kinds["loan_disbursement"] == 0 || kinds["reversal"] == 0 || applied == size {
		t.Errorf("seed %d: the sequence does not exercise the rules: %v", seed, kinds)
	}

	staff := devices[0].c
	compareSummary(t, staff, m, group)

	// repay every loan at the last meeting, then share out
	for _, member := range active {
		if debt := m.balances().debt[member]; debt > 0 {
			pending = append(pending, mEntry{id: gen.newID(), typ: "loan_repayment", member: member, amount: debt, date: gen.now})
		}
	}
	flush()
	b := m.balances()
	for member, debt := range b.debt {
		if debt != 0 {
			t.Fatalf("seed %d: %s still owes %d centavos", seed, member, debt)
		}
	}
	if status, body := staff.do(http.MethodPost, "/api/savings-groups/"+group+"/share-out", map[string]any{"meeting_date": "2026-09-02"}); status != http.StatusBadRequest {
		t.Errorf("seed %d: share-out before the last meeting: %d %s", seed, status, body)
	}
	status, body := staff.do(http.MethodPost, "/api/savings-groups/"+group+"/share-out", map[string]any{"meeting_date": gen.now})
	if status != http.StatusOK {
		t.Fatalf("seed %d: share-out: %d %s", seed, status, body)
	}
	var res savings.ShareOutResult
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	checkShareOut(t, res, b.loanFund, b.shares)
	if status, body := staff.do(http.MethodPost, "/api/savings-groups/"+group+"/share-out", map[string]any{"meeting_date": gen.now}); status != http.StatusBadRequest {
		t.Errorf("seed %d: second share-out: %d %s", seed, status, body)
	}
	final := storedEntries(t, app, group)
	for _, e := range final {
		if e.typ == "share_out" {
			m.record(e)
		}
	}
	if fb := m.balances(); fb.loanFund != 0 || !m.neverNegative(final) {
		t.Errorf("seed %d: after the share-out the loan fund holds %d centavos", seed, fb.loanFund)
	}
	compareSummary(t, staff, m, group)
}

// checkShareOut checks a share-out against the fund and shares before it:
// the payouts sum to the fund, each is the floor of its exact proportion or
// one centavo more, and the extra centavos number the remainder.
func checkShareOut(t *testing.T, res savings.ShareOutResult, fund int64, shares map[string]int) {
	t.Helper()
	total := 0
	for _, n := range shares {
		total += n
	}
	if res.LoanFundCents != fund || res.TotalShares != total {
		t.Fatalf("share-out of %d centavos over %d shares, want %d over %d", res.LoanFundCents, res.TotalShares, fund, total)
	}
	var sum, floors int64
	for _, p := range res.Payouts {
		floor := int64(shares[p.Member]) * fund / int64(total)
		if p.Shares != shares[p.Member] || p.AmountCents < floor || p.AmountCents > floor+1 {
			t.Errorf("member %s: %d centavos for %d of %d shares of %d", p.Member, p.AmountCents, p.Shares, total, fund)
		}
		sum += p.AmountCents
		floors += floor
	}
	for member, n := range shares {
		if n > 0 && int64(n)*fund/int64(total) > 0 && !slices.ContainsFunc(res.Payouts, func(p savings.PayoutLine) bool { return p.Member == member }) {
			t.Errorf("member %s with %d shares got no payout", member, n)
		}
	}
	if sum != fund {
		t.Errorf("payouts sum to %d centavos, the fund holds %d", sum, fund)
	}
}

// compareSummary checks the server's summary against the model.
func compareSummary(t *testing.T, staff client, m *model, group string) {
	t.Helper()
	s := staff.summary(group)
	b := m.balances()
	var debt int64
	shares := 0
	for _, d := range b.debt {
		debt += d
	}
	for _, n := range b.shares {
		shares += n
	}
	if s.LoanFundCents != b.loanFund || s.SocialFundCents != b.socialFund || s.LoansOutstandingCents != debt ||
		s.TotalShares != shares || s.Entries != len(m.entries) {
		t.Errorf("summary funds %d/%d, debt %d, shares %d, %d entries; model %d/%d, %d, %d, %d",
			s.LoanFundCents, s.SocialFundCents, s.LoansOutstandingCents, s.TotalShares, s.Entries,
			b.loanFund, b.socialFund, debt, shares, len(m.entries))
	}
	for _, ms := range s.Members {
		if ms.Shares != b.shares[ms.Member] || ms.SavingsCents != b.savings[ms.Member] || ms.DebtCents != b.debt[ms.Member] || ms.PayoutCents != b.paid[ms.Member] {
			t.Errorf("member %s: summary %+v, model shares %d savings %d debt %d payout %d",
				ms.Member, ms, b.shares[ms.Member], b.savings[ms.Member], b.debt[ms.Member], b.paid[ms.Member])
		}
	}
}

func storedEntries(t *testing.T, app core.App, group string) []mEntry {
	t.Helper()
	records, err := app.FindAllRecords("ledger_entries", dbx.HashExp{"group": group})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]mEntry, len(records))
	for i, r := range records {
		out[i] = mEntryOf(r)
	}
	return out
}

// generator draws entries, most of them plausible, some wrong on purpose.
type generator struct {
	rng              *rand.Rand
	m                *model
	group            string
	active, inactive []string
	now              string   // the latest meeting
	dates            []string // every meeting so far
	n                int
}

func (g *generator) newID() string {
	g.n++
	return fmt.Sprintf("pentry%09d", g.n)
}

func (g *generator) member() string {
	if g.rng.IntN(12) == 0 {
		return g.inactive[g.rng.IntN(len(g.inactive))]
	}
	return g.active[g.rng.IntN(len(g.active))]
}

// debtor is a member who owes, if any, most of the time.
func (g *generator) debtor() string {
	var owing []string
	for id, d := range g.m.balances().debt {
		if d > 0 {
			owing = append(owing, id)
		}
	}
	slices.Sort(owing)
	if len(owing) == 0 || g.rng.IntN(4) == 0 {
		return g.member()
	}
	return owing[g.rng.IntN(len(owing))]
}

func (g *generator) upTo(n int64) int64 { return 1 + g.rng.Int64N(max(n, 1)) }

func (g *generator) next() mEntry {
	if g.rng.IntN(8) == 0 {
		if d, _ := time.Parse(time.DateOnly, g.now); d.AddDate(0, 0, 14).Format(time.DateOnly) <= g.m.end {
			g.now = d.AddDate(0, 0, 14).Format(time.DateOnly)
			g.dates = append(g.dates, g.now)
		}
	}
	e := mEntry{id: g.newID(), date: g.now, member: g.member()}
	if g.rng.IntN(7) == 0 { // dated back to an earlier meeting
		e.date = g.dates[g.rng.IntN(len(g.dates))]
	}
	b := g.m.balances()
	switch k := g.rng.IntN(100); {
	case k < 30:
		e.typ, e.shares = "share_purchase", 1+g.rng.IntN(g.m.maxS+1)
		e.amount = int64(e.shares) * g.m.value
		if g.rng.IntN(10) == 0 {
			e.amount += g.rng.Int64N(3) - 1 // wrong by a centavo, or right
		}
	case k < 40:
		e.typ, e.amount = "social_fund", 500+g.rng.Int64N(1500)
	case k < 52:
		e.typ, e.amount = "loan_disbursement", g.upTo(b.loanFund+b.loanFund/4+2000)
	case k < 62:
		e.typ, e.member = "loan_repayment", g.debtor()
		e.amount = g.upTo(b.debt[e.member] + b.debt[e.member]/4 + 100)
	case k < 68:
		e.typ, e.member, e.amount = "interest", g.debtor(), g.upTo(1500)
	case k < 72:
		e.typ, e.amount = "fine", g.upTo(500)
	case k < 77:
		e.typ, e.amount = "social_fund_payout", g.upTo(b.socialFund+300)
	case k < 92:
		g.reversal(&e)
	case k < 94:
		e.typ, e.amount = "share_out", g.upTo(1000)
	case k < 96:
		e.typ, e.amount, e.fraction = "fine", 100, true
	case k < 98:
		e.typ, e.amount, e.date = "social_fund", 500, []string{"2026-08-31", "2027-07-01"}[g.rng.IntN(2)]
	default:
		e.typ, e.amount, e.shares = "fine", 100, 1 // shares on a type without shares
	}
	return e
}

// reversal makes e cancel an earlier entry: mostly one the model accepted,
// sometimes a refused one or a reversal; now and then with a wrong field.
func (g *generator) reversal(e *mEntry) {
	e.typ = "reversal"
	entries := g.m.entries
	switch {
	case len(entries) == 0 || g.rng.IntN(10) == 0:
		e.reverses, e.amount = fmt.Sprintf("pentry%09d", 1+g.rng.IntN(g.n)), 100
		return
	}
	o := entries[g.rng.IntN(len(entries))]
	e.reverses, e.member, e.amount, e.shares, e.date = o.id, o.member, o.amount, o.shares, max(e.date, o.date)
	switch g.rng.IntN(12) {
	case 0:
		e.amount++
	case 1:
		e.member = g.active[g.rng.IntN(len(g.active))]
	}
}

// mutation is the sync create of e.
func (g *generator) mutation(e mEntry) devicesync.Mutation {
	fields := map[string]any{"group": g.group, "member": e.member, "type": e.typ, "shares": e.shares,
		"amount_cents": e.amount, "meeting_date": e.date}
	if e.fraction {
		fields["amount_cents"] = float64(e.amount) + 0.5
	}
	if e.reverses != "" {
		fields["reverses"] = e.reverses
	}
	return devicesync.Mutation{MutationID: "m-" + e.id, Collection: "ledger_entries", RecordID: e.id, Op: "create", Fields: fields}
}
