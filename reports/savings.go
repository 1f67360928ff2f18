package reports

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SavingsRow is one state of the savings report, over the savings groups,
// memberships and ledger entries the caller can list. Groups counts groups
// in any status (ActiveGroups those with status active); ActiveMembers the
// memberships with status active. Money is in integer centavos, derived from
// the ledger with ledgerEffects: each column adds its entries' amount_cents
// with the sign of their type, and a reversal entry adds its own amount with
// the opposite sign of the entry it reverses. So
//
//	savings_cents           = share_purchase − their reversals
//	social_fund_cents       = social_fund − social_fund_payout (each net of reversals)
//	loans_outstanding_cents = loan_disbursement − loan_repayment (principal; each net of reversals)
//	interest_cents          = interest − reversals;  fines_cents = fine − reversals
//	shared_out_cents        = share_out − reversals (paid out at the close of a cycle)
//
// savings_cents is what members saved over their groups' cycles; a share-out
// does not lower it but shows in shared_out_cents. Bands split ActiveMembers
// by the person's sex and age when they joined.
//
// A reversal counts only if the caller can list the entry it reverses (in
// practice both belong to the same group and member); a reversal of a
// reversal moves nothing.
type SavingsRow struct {
	State                 string `json:"state"`
	StateName             string `json:"state_name"`
	Groups                int    `json:"groups"`
	ActiveGroups          int    `json:"active_groups"`
	ActiveMembers         int    `json:"active_members"`
	SavingsCents          int64  `json:"savings_cents"`
	SocialFundCents       int64  `json:"social_fund_cents"`
	LoansOutstandingCents int64  `json:"loans_outstanding_cents"`
	InterestCents         int64  `json:"interest_cents"`
	FinesCents            int64  `json:"fines_cents"`
	SharedOutCents        int64  `json:"shared_out_cents"`
	Bands
}

// ledgerEffects is, per entry type, the money column of SavingsRow the
// entry moves and in which direction.
var ledgerEffects = map[string]struct {
	sign   int64
	column func(r *SavingsRow) *int64
}{
	"share_purchase":     {+1, func(r *SavingsRow) *int64 { return &r.SavingsCents }},
	"social_fund":        {+1, func(r *SavingsRow) *int64 { return &r.SocialFundCents }},
	"social_fund_payout": {-1, func(r *SavingsRow) *int64 { return &r.SocialFundCents }},
	"loan_disbursement":  {+1, func(r *SavingsRow) *int64 { return &r.LoansOutstandingCents }},
	"loan_repayment":     {-1, func(r *SavingsRow) *int64 { return &r.LoansOutstandingCents }},
	"interest":           {+1, func(r *SavingsRow) *int64 { return &r.InterestCents }},
	"fine":               {+1, func(r *SavingsRow) *int64 { return &r.FinesCents }},
	"share_out":          {+1, func(r *SavingsRow) *int64 { return &r.SharedOutCents }},
}

// SavingsReport is the JSON answer of GET /api/reports/savings: one row per
// state with any group, by state name, and their totals.
type SavingsReport struct {
	Table[SavingsRow]
	Totals SavingsRow `json:"totals"`
}

func savings(app core.App, info *core.RequestInfo) (*SavingsReport, error) {
	scopes, err := visible(app, info, [2]string{"savings_groups", "[[g.id]]"}, [2]string{"group_members", "[[m.id]]"},
		[2]string{"ledger_entries", "[[le.id]]"}, [2]string{"ledger_entries", "[[rv.id]]"}, [2]string{"returnees", "[[p.id]]"})
	if err != nil {
		return nil, err
	}
	groups, members, entries, reversed, people := scopes[0], scopes[1], scopes[2], scopes[3], scopes[4]
	byState := newStateRows(func(state string) *SavingsRow { return &SavingsRow{State: state} })
	row := byState.row

	err = each(app.DB().Select("g.[[state]] AS [[state]]", "COUNT(*) AS [[groups]]", "SUM(g.[[status]] = 'active') AS [[active]]").
		From("savings_groups g").Where(groups).GroupBy("g.state"), "savings groups", func(c struct {
		State          string
		Groups, Active int
	}) {
		r := row(c.State)
		r.Groups, r.ActiveGroups = c.Groups, c.Active
	})
	if err != nil {
		return nil, err
	}

	joined := "COALESCE(NULLIF(m.[[joined_on]], ''), m.[[created]])"
	err = each(app.DB().Select(append([]string{"g.[[state]] AS [[state]]", "COUNT(*) AS [[n]]"}, bandColumns("p", joined)...)...).
		From("group_members m").
		InnerJoin("savings_groups g", dbx.NewExp("g.[[id]] = m.[[group]]")).
		LeftJoin("returnees p", dbx.And(dbx.NewExp("p.[[id]] = m.[[returnee]]"), people)).
		Where(dbx.NewExp("m.[[status]] = 'active'")).AndWhere(members).AndWhere(groups).
		GroupBy("g.state"), "group members", func(a struct {
		State string
		N     int
		Bands
	}) {
		r := row(a.State)
		r.ActiveMembers, r.Bands = a.N, a.Bands
	})
	if err != nil {
		return nil, err
	}

	err = each(app.DB().Select("g.[[state]] AS [[state]]", "le.[[type]] AS [[type]]", "COALESCE(rv.[[type]], '') AS [[reversed]]",
		"COALESCE(SUM(le.[[amount_cents]]), 0) AS [[cents]]").
		From("ledger_entries le").
		InnerJoin("savings_groups g", dbx.NewExp("g.[[id]] = le.[[group]]")).
		LeftJoin("ledger_entries rv", dbx.And(dbx.NewExp("rv.[[id]] = le.[[reverses]] AND le.[[type]] = 'reversal'"), reversed)).
		Where(entries).AndWhere(groups).
		GroupBy("g.state", "le.type", "reversed"), "ledger", func(s struct {
		State, Type, Reversed string
		Cents                 int64
	}) {
		typ, sign := s.Type, int64(1)
		if typ == "reversal" {
			typ, sign = s.Reversed, -1
		}
		if effect, ok := ledgerEffects[typ]; ok {
			*effect.column(row(s.State)) += sign * effect.sign * s.Cents
		}
	})
	if err != nil {
		return nil, err
	}

	rows, totals, err := byState.byName(app, func(r *SavingsRow, name string) { r.StateName = name })
	if err != nil {
		return nil, err
	}
	return &SavingsReport{Table[SavingsRow]{"savings", rows}, totals}, nil
}
