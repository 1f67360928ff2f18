package savings_test

import (
	"cmp"
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// The test's own model of a ledger: an independent statement of the rules
// (savings package doc), by brute force, to predict which entries the
// server accepts and to recompute its balances.

// mEntry is a ledger entry as the model sees it.
type mEntry struct {
	id, typ, member, date, reverses string
	shares                          int
	amount                          int64
	fraction                        bool // amount sent with half a centavo
}

// model is a group's settings and accepted entries.
type model struct {
	value      int64 // share value
	minS, maxS int
	start, end string
	active     map[string]bool
	entries    []mEntry
	byID       map[string]mEntry
	reversed   map[string]bool
}

func newModel(group *core.Record, active []string) *model {
	m := &model{
		value: int64(group.GetInt("share_value_cents")), minS: group.GetInt("min_shares"), maxS: group.GetInt("max_shares"),
		start: group.GetString("cycle_start"), end: group.GetString("cycle_end"),
		active: map[string]bool{}, byID: map[string]mEntry{}, reversed: map[string]bool{},
	}
	for _, id := range active {
		m.active[id] = true
	}
	return m
}

// move is what one entry does to the books.
type move struct {
	loanFund, socialFund, principal int64
	member                          string
	shares                          int
	savings, payout                 int64
}

func (m *model) move(e mEntry) move {
	src, sign := e, int64(1)
	if e.typ == "reversal" {
		src, sign = m.byID[e.reverses], -1
	}
	a := sign * src.amount
	mv := move{member: src.member}
	switch src.typ {
	case "share_purchase":
		mv.loanFund, mv.shares, mv.savings = a, int(sign)*src.shares, a
	case "loan_repayment":
		mv.loanFund, mv.principal = a, -a
	case "interest", "fine":
		mv.loanFund = a
	case "loan_disbursement":
		mv.loanFund, mv.principal = -a, a
	case "share_out":
		mv.loanFund, mv.payout = -a, a
	case "social_fund":
		mv.socialFund = a
	case "social_fund_payout":
		mv.socialFund = -a
	}
	return mv
}

// books are balances: the two funds and, per member, shares, savings, debt
// and payout.
type books struct {
	loanFund, socialFund int64
	shares               map[string]int
	savings, debt, paid  map[string]int64
}

func newBooks() books {
	return books{shares: map[string]int{}, savings: map[string]int64{}, debt: map[string]int64{}, paid: map[string]int64{}}
}

func (b *books) add(mv move) {
	b.loanFund += mv.loanFund
	b.socialFund += mv.socialFund
	b.shares[mv.member] += mv.shares
	b.savings[mv.member] += mv.savings
	b.debt[mv.member] += mv.principal
	b.paid[mv.member] += mv.payout
}

func (b *books) negative() bool {
	if b.loanFund < 0 || b.socialFund < 0 {
		return true
	}
	for _, d := range b.debt {
		if d < 0 {
			return true
		}
	}
	return false
}

// walk applies entries in meeting order and calls close at the close of
// each meeting; it stops early when close returns false.
func (m *model) walk(entries []mEntry, close func(date string, b *books) bool) books {
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b mEntry) int { return cmp.Compare(a.date, b.date) })
	b := newBooks()
	for i := 0; i < len(sorted); {
		day := sorted[i].date
		for ; i < len(sorted) && sorted[i].date == day; i++ {
			b.add(m.move(sorted[i]))
		}
		if close != nil && !close(day, &b) {
			break
		}
	}
	return b
}

func (m *model) balances() books { return m.walk(m.entries, nil) }

// neverNegative reports whether entries keep every balance at or above
// zero at the close of every meeting.
func (m *model) neverNegative(entries []mEntry) bool {
	ok := true
	m.walk(entries, func(_ string, b *books) bool {
		ok = !b.negative()
		return ok
	})
	return ok
}

// dayShares is what member bought at the meeting of date, reversed
// purchases and skip left out.
func (m *model) dayShares(member, date, skip string) int {
	n := 0
	for _, e := range m.entries {
		if e.typ == "share_purchase" && e.member == member && e.date == date && e.id != skip && !m.reversed[e.id] {
			n += e.shares
		}
	}
	return n
}

// accepts reports whether the rules accept e after the model's entries.
func (m *model) accepts(e mEntry) bool {
	if e.fraction || e.amount <= 0 || e.member == "" || e.date < m.start || e.date > m.end || e.typ == "share_out" {
		return false
	}
	if e.typ != "reversal" && (!m.active[e.member] || e.reverses != "") {
		return false
	}
	if e.typ != "share_purchase" && e.typ != "reversal" && e.shares != 0 {
		return false
	}
	switch e.typ {
	case "share_purchase":
		day := m.dayShares(e.member, e.date, "") + e.shares
		if e.shares < 1 || e.amount != int64(e.shares)*m.value || day < m.minS || day > m.maxS {
			return false
		}
	case "interest":
		var before, after int64
		for _, x := range m.entries {
			if mv := m.move(x); mv.member == e.member && x.date <= e.date {
				after += mv.principal
				if x.date < e.date {
					before += mv.principal
				}
			}
		}
		if before <= 0 && after <= 0 {
			return false
		}
	case "reversal":
		o, ok := m.byID[e.reverses]
		if !ok || o.typ == "reversal" || o.typ == "share_out" || m.reversed[o.id] ||
			o.member != e.member || o.amount != e.amount || o.shares != e.shares || e.date < o.date {
			return false
		}
		if o.typ == "share_purchase" {
			if left := m.dayShares(o.member, o.date, o.id); left > 0 && (left < m.minS || left > m.maxS) {
				return false
			}
		}
	}
	return m.neverNegative(append(slices.Clone(m.entries), e))
}

// record adds an accepted entry.
func (m *model) record(e mEntry) {
	m.entries = append(m.entries, e)
	m.byID[e.id] = e
	if e.typ == "reversal" {
		m.reversed[e.reverses] = true
	}
}

// mEntryOf reads a stored entry.
func mEntryOf(r *core.Record) mEntry {
	return mEntry{id: r.Id, typ: r.GetString("type"), member: r.GetString("member"), date: r.GetString("meeting_date"),
		reverses: r.GetString("reverses"), shares: r.GetInt("shares"), amount: int64(r.GetInt("amount_cents"))}
}
