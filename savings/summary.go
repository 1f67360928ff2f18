package savings

import (
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Summary is a savings group's state, derived from its ledger entries. All
// amounts are integer centavos.
type Summary struct {
	Group             string `json:"group"`
	Status            string `json:"status"`
	CycleStart        string `json:"cycle_start"`
	CycleEnd          string `json:"cycle_end"`
	ShareValueCents   int64  `json:"share_value_cents"`
	MonthlyInterestBP int64  `json:"monthly_interest_bp"`
	Entries           int    `json:"entries"`

	// LoanFundCents is the loan fund's cash: shares bought, loan
	// repayments, interest and fines, less loans disbursed and share-out
	// payouts.
	LoanFundCents int64 `json:"loan_fund_cents"`
	// SocialFundCents is the social fund: contributions less payouts. It is
	// not shared out.
	SocialFundCents int64 `json:"social_fund_cents"`
	TotalShares     int   `json:"total_shares"`
	SavingsCents    int64 `json:"savings_cents"`
	// LoansOutstandingCents is the principal owed, InterestDueCents one
	// month's interest on it.
	LoansOutstandingCents int64 `json:"loans_outstanding_cents"`
	InterestDueCents      int64 `json:"interest_due_cents"`
	InterestPaidCents     int64 `json:"interest_paid_cents"`
	FinesCents            int64 `json:"fines_cents"`
	SharedOutCents        int64 `json:"shared_out_cents"`

	Loans   []Loan          `json:"loans"`
	Members []MemberSummary `json:"members"`
}

// Loan is what one member owes.
type Loan struct {
	Member           string `json:"member"`
	Returnee         string `json:"returnee"`
	PrincipalCents   int64  `json:"principal_cents"`
	InterestDueCents int64  `json:"interest_due_cents"`
}

// MemberSummary is one member's account in the group.
type MemberSummary struct {
	Member                  string `json:"member"`
	Returnee                string `json:"returnee"`
	Status                  string `json:"status"`
	Shares                  int    `json:"shares"`
	SavingsCents            int64  `json:"savings_cents"`
	DebtCents               int64  `json:"debt_cents"`
	InterestDueCents        int64  `json:"interest_due_cents"`
	InterestPaidCents       int64  `json:"interest_paid_cents"`
	FinesCents              int64  `json:"fines_cents"`
	SocialFundCents         int64  `json:"social_fund_cents"`
	SocialFundReceivedCents int64  `json:"social_fund_received_cents"`
	PayoutCents             int64  `json:"payout_cents"`
}

// InterestDue is one month's interest on principal at the group's monthly
// rate in basis points, rounded half up to the centavo: what a borrower
// pays at the next monthly meeting.
func InterestDue(principal, bp int64) int64 {
	if principal <= 0 || bp <= 0 {
		return 0
	}
	return (principal*bp + 5000) / 10000
}

// Summarize derives group's summary from its ledger entries and
// memberships, read through app.
func Summarize(app core.App, group *core.Record) (*Summary, error) {
	ledger, err := LoadLedger(app, group.Id)
	if err != nil {
		return nil, err
	}
	var members []struct {
		ID       string `db:"id"`
		Returnee string `db:"returnee"`
		Status   string `db:"status"`
	}
	err = app.DB().Select("id", "returnee", "status").From("group_members").
		Where(dbx.HashExp{"group": group.Id}).OrderBy("id").All(&members)
	if err != nil {
		return nil, err
	}
	b := ledger.Balances()
	bp := int64(group.GetInt("monthly_interest_bp"))
	s := &Summary{
		Group: group.Id, Status: group.GetString("status"),
		CycleStart: group.GetString("cycle_start"), CycleEnd: group.GetString("cycle_end"),
		ShareValueCents: int64(group.GetInt("share_value_cents")), MonthlyInterestBP: bp,
		Entries: ledger.Len(), LoanFundCents: b.LoanFund, SocialFundCents: b.SocialFund,
		Loans: []Loan{}, Members: []MemberSummary{},
	}
	seen := map[string]bool{}
	add := func(id, returnee, status string) {
		seen[id] = true
		a := b.Accounts[id]
		due := InterestDue(a.Principal, bp)
		s.Members = append(s.Members, MemberSummary{
			Member: id, Returnee: returnee, Status: status, Shares: a.Shares, SavingsCents: a.Savings,
			DebtCents: a.Principal, InterestDueCents: due, InterestPaidCents: a.InterestPaid, FinesCents: a.Fines,
			SocialFundCents: a.SocialFund, SocialFundReceivedCents: a.SocialReceived, PayoutCents: a.Payout,
		})
		if a.Principal != 0 {
			s.Loans = append(s.Loans, Loan{Member: id, Returnee: returnee, PrincipalCents: a.Principal, InterestDueCents: due})
		}
		s.TotalShares += a.Shares
		s.SavingsCents += a.Savings
		s.LoansOutstandingCents += a.Principal
		s.InterestDueCents += due
		s.InterestPaidCents += a.InterestPaid
		s.FinesCents += a.Fines
		s.SharedOutCents += a.Payout
	}
	for _, m := range members {
		add(m.ID, m.Returnee, m.Status)
	}
	// entries of a membership that no longer exists still count
	var orphans []string
	for id := range b.Accounts {
		if !seen[id] {
			orphans = append(orphans, id)
		}
	}
	slices.Sort(orphans)
	for _, id := range orphans {
		add(id, "", "")
	}
	return s, nil
}

// summary answers GET /api/savings-groups/{id}/summary to those who may
// read the group's ledger.
func (p *plugin) summary(e *core.RequestEvent) error {
	group, err := findGroup(e)
	if err != nil {
		return err
	}
	if ok, err := canReadLedger(e, group); err != nil || !ok {
		return e.ForbiddenError("Solo el personal del NODESS del grupo, la coordinación de su estado y sus integrantes activos ven el resumen.", err)
	}
	s, err := Summarize(e.App, group)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, s)
}
