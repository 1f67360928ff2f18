package savings

import (
	"cmp"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Entry types of ledger_entries (catalog.EntryTypes).
const (
	SharePurchase    = "share_purchase"
	SocialFund       = "social_fund"
	LoanDisbursement = "loan_disbursement"
	LoanRepayment    = "loan_repayment"
	Interest         = "interest"
	Fine             = "fine"
	SocialFundPayout = "social_fund_payout"
	ShareOut         = "share_out"
	Reversal         = "reversal"
)

// Entry is one ledger entry, as the balances need it. Amounts are centavos.
type Entry struct {
	ID          string `db:"id"`
	Type        string `db:"type"`
	Member      string `db:"member"`
	Shares      int    `db:"shares"`
	Amount      int64  `db:"amount_cents"`
	MeetingDate string `db:"meeting_date"`
	Reverses    string `db:"reverses"`
}

// Account is what one member has in a group: shares and what they paid in,
// borrowed and received. Amounts are centavos.
type Account struct {
	Shares         int   // shares bought
	Savings        int64 // paid for those shares
	Principal      int64 // loan principal owed
	InterestPaid   int64
	Fines          int64
	SocialFund     int64 // contributions to the social fund
	SocialReceived int64 // social fund payouts received
	Payout         int64 // share-out received
}

func (a Account) plus(b Account, sign int64) Account {
	return Account{
		Shares:         a.Shares + int(sign)*b.Shares,
		Savings:        a.Savings + sign*b.Savings,
		Principal:      a.Principal + sign*b.Principal,
		InterestPaid:   a.InterestPaid + sign*b.InterestPaid,
		Fines:          a.Fines + sign*b.Fines,
		SocialFund:     a.SocialFund + sign*b.SocialFund,
		SocialReceived: a.SocialReceived + sign*b.SocialReceived,
		Payout:         a.Payout + sign*b.Payout,
	}
}

// Effect is what one entry changes: the group's loan fund (its cash) and
// social fund, and its member's account.
type Effect struct {
	LoanFund   int64
	SocialFund int64
	Member     string
	Account    Account
}

// effectOf is the effect of an entry that is not a reversal. Share
// purchases, loan repayments, interest and fines are cash into the loan
// fund; disbursements and share-out payouts are cash out of it. The social
// fund is kept apart: contributions in, payouts out.
func effectOf(e Entry) Effect {
	a := e.Amount
	f := Effect{Member: e.Member}
	switch e.Type {
	case SharePurchase:
		f.LoanFund, f.Account = a, Account{Shares: e.Shares, Savings: a}
	case LoanRepayment:
		f.LoanFund, f.Account = a, Account{Principal: -a}
	case Interest:
		f.LoanFund, f.Account = a, Account{InterestPaid: a}
	case Fine:
		f.LoanFund, f.Account = a, Account{Fines: a}
	case LoanDisbursement:
		f.LoanFund, f.Account = -a, Account{Principal: a}
	case ShareOut:
		f.LoanFund, f.Account = -a, Account{Payout: a}
	case SocialFund:
		f.SocialFund, f.Account = a, Account{SocialFund: a}
	case SocialFundPayout:
		f.SocialFund, f.Account = -a, Account{SocialReceived: a}
	}
	return f
}

func (f Effect) negate() Effect {
	return Effect{LoanFund: -f.LoanFund, SocialFund: -f.SocialFund, Member: f.Member, Account: Account{}.plus(f.Account, -1)}
}

// Balances are what a group's entries add up to.
type Balances struct {
	LoanFund   int64
	SocialFund int64
	Accounts   map[string]Account // by member id
}

func (b *Balances) apply(f Effect) {
	b.LoanFund += f.LoanFund
	b.SocialFund += f.SocialFund
	if f.Member != "" {
		b.Accounts[f.Member] = b.Accounts[f.Member].plus(f.Account, 1)
	}
}

// Ledger is one group's entries in meeting order (the order within a
// meeting does not matter: balances are taken at the close of each meeting).
type Ledger struct {
	entries  []Entry
	byID     map[string]Entry
	reversal map[string]string // id of a reversed entry -> id of its reversal
}

// NewLedger indexes a group's entries.
func NewLedger(entries []Entry) *Ledger {
	l := &Ledger{entries: slices.Clone(entries), byID: map[string]Entry{}, reversal: map[string]string{}}
	slices.SortStableFunc(l.entries, func(a, b Entry) int { return cmp.Compare(a.MeetingDate, b.MeetingDate) })
	for _, e := range l.entries {
		l.byID[e.ID] = e
		if e.Type == Reversal && e.Reverses != "" {
			l.reversal[e.Reverses] = e.ID
		}
	}
	return l
}

// LoadLedger reads the entries of group from app (a transaction's app when
// the result decides a write).
func LoadLedger(app core.App, group string) (*Ledger, error) {
	var entries []Entry
	err := app.DB().Select("id", "type", "member", "shares", "amount_cents", "meeting_date", "reverses").
		From("ledger_entries").Where(dbx.HashExp{"group": group}).OrderBy("meeting_date", "id").All(&entries)
	if err != nil {
		return nil, err
	}
	return NewLedger(entries), nil
}

// Len is the number of entries.
func (l *Ledger) Len() int { return len(l.entries) }

// Effect is e's effect; a reversal undoes the entry it names.
func (l *Ledger) Effect(e Entry) Effect {
	if e.Type != Reversal {
		return effectOf(e)
	}
	original, ok := l.byID[e.Reverses]
	if !ok || original.Type == Reversal {
		return Effect{Member: e.Member}
	}
	return effectOf(original).negate()
}

// Balances adds up every entry.
func (l *Ledger) Balances() Balances {
	b := Balances{Accounts: map[string]Account{}}
	for _, e := range l.entries {
		b.apply(l.Effect(e))
	}
	return b
}

// AccountAt is member's account at the close of the meeting of date: what
// the entries dated then or before add up to (a member's receipt).
func (l *Ledger) AccountAt(member, date string) Account {
	var a Account
	for _, e := range l.entries {
		if e.MeetingDate > date {
			break
		}
		if f := l.Effect(e); f.Member == member {
			a = a.plus(f.Account, 1)
		}
	}
	return a
}

// lowest is the lowest that the loan fund, the social fund and member's
// principal reach at the close of meeting date and of every later meeting:
// what an outflow dated then may take without any close going negative.
func (l *Ledger) lowest(date, member string) (loanFund, socialFund, principal int64) {
	var run Balances
	run.Accounts = map[string]Account{}
	first := true
	take := func() {
		p := run.Accounts[member].Principal
		if first {
			loanFund, socialFund, principal, first = run.LoanFund, run.SocialFund, p, false
			return
		}
		loanFund, socialFund, principal = min(loanFund, run.LoanFund), min(socialFund, run.SocialFund), min(principal, p)
	}
	i := 0
	for ; i < len(l.entries) && l.entries[i].MeetingDate <= date; i++ {
		run.apply(l.Effect(l.entries[i]))
	}
	take()
	for i < len(l.entries) {
		day := l.entries[i].MeetingDate
		for ; i < len(l.entries) && l.entries[i].MeetingDate == day; i++ {
			run.apply(l.Effect(l.entries[i]))
		}
		take()
	}
	return loanFund, socialFund, principal
}

// principal is what member owes after the meetings before date (before)
// and at the close of date (after).
func (l *Ledger) principal(member, date string) (before, after int64) {
	for _, e := range l.entries {
		if e.MeetingDate > date {
			break
		}
		if f := l.Effect(e); f.Member == member {
			after += f.Account.Principal
			if e.MeetingDate < date {
				before += f.Account.Principal
			}
		}
	}
	return before, after
}

// dayShares is the number of shares member bought at the meeting of date,
// leaving out purchases that were reversed and the entry skip.
func (l *Ledger) dayShares(member, date, skip string) int {
	n := 0
	for _, e := range l.entries {
		if e.Type == SharePurchase && e.Member == member && e.MeetingDate == date && e.ID != skip && l.reversal[e.ID] == "" {
			n += e.Shares
		}
	}
	return n
}

// hasShareOut reports whether the cycle was shared out.
func (l *Ledger) hasShareOut() bool {
	return slices.ContainsFunc(l.entries, func(e Entry) bool { return e.Type == ShareOut })
}

// hasType reports whether an entry of type typ is recorded.
func (l *Ledger) hasType(typ string) bool {
	return slices.ContainsFunc(l.entries, func(e Entry) bool { return e.Type == typ })
}

// dates are the first and last meeting dates ("" with no entries).
func (l *Ledger) dates() (first, last string) {
	if len(l.entries) == 0 {
		return "", ""
	}
	return l.entries[0].MeetingDate, l.entries[len(l.entries)-1].MeetingDate
}
