// Package savings holds the rules of savings-group ledgers (VSLA/SILC, see
// ../shared/design/domain.md) as model hooks, so that they hold on every
// write path (REST, batch, sync pushes, the dashboard, Go code), and two
// routes: a group's summary and its share-out.
//
// # Money
//
// Amounts are whole centavos greater than zero. Balances are derived from
// the entries, never stored:
//
//   - the loan fund (its cash) = share purchases + loan repayments +
//     interest + fines − loan disbursements − share-out payouts;
//   - the social fund = social_fund contributions − social_fund_payout; it
//     is not shared out;
//   - a member's debt = the loan principal they owe: disbursements −
//     repayments.
//
// An interest entry is interest the member pays into the loan fund on a
// loan they owe; it does not reduce the principal. A loan_repayment pays
// principal only, so it can be no larger than the principal owed. A
// summary's interest due is one month's interest on the principal owed, at
// the group's monthly rate, rounded half up (InterestDue). A fine is paid
// into the loan fund.
//
// # Entries
//
// Entries are immutable (hooks.bindLedger); a correction is a reversal. A
// new entry is refused, with field errors and nothing saved, when:
//
//   - it has no member, or its member is not active in the group (except a
//     reversal, so that a mistake can be corrected after someone left, and
//     a share-out payout);
//   - its group is not active (forming or closed; except share-out
//     payouts), or the cycle was already shared out;
//   - its meeting date is outside the group's cycle (cycle_start to
//     cycle_end);
//   - its amount is not a whole number of centavos above zero;
//   - it is a share_purchase whose amount is not shares × share_value_cents,
//     or that brings the member's shares at that meeting (the sum of their
//     purchases of that meeting date, reversed ones left out) outside the
//     group's min_shares..max_shares; other types carry no shares;
//   - it is interest from a member who owes no principal at that meeting;
//   - it would leave the loan fund, the social fund or the member's
//     principal below zero at the close of its meeting or of any later
//     meeting already recorded: this refuses a loan above the fund's cash,
//     a repayment above the debt and a social fund payout above the fund,
//     also when the entry is dated back;
//   - it is a reversal that does not name (reverses) an entry of the same
//     group, member, amount and shares, dated no later than the reversal;
//     or names a reversal, a share-out payout or an entry already reversed
//     (a unique index backs this); or whose undoing would break the rules
//     above (an unbalanced reversal: undoing a share purchase whose cash is
//     lent out, or a loan already partly repaid). A reversal takes effect
//     at its own meeting date;
//   - it is a share_out not written by the share-out route: no writer,
//     superusers included, records one directly.
//
// Balances are taken at the close of each meeting, so the order of the
// entries within a meeting does not matter. The whole create (validation and
// insert) runs in one transaction, so an entry is checked against the
// balances it is written over, and concurrent writers cannot both spend
// the same cash.
//
// A group's share value cannot change once shares were bought, its cycle
// must keep every entry inside it, and a group shared out cannot be
// reopened.
//
// # Share-out
//
// POST /api/savings-groups/{id}/share-out with {"meeting_date":
// "YYYY-MM-DD"} (NODESS staff of the group's node, superusers) pays the
// loan fund's whole cash to the members in proportion to their shares, as
// share_out entries, and closes the group, all in one transaction. The
// split is in whole centavos by the largest remainder method
// (RemainderRule) and sums exactly to the fund. It is refused while any
// loan is outstanding (debts are never netted against payouts), before the
// last recorded meeting, outside the cycle, and for a group already closed.
//
// GET /api/savings-groups/{id}/summary (the group's NODESS staff, the
// coordinators of its state, its active members, superusers) answers the
// Summary derived from the entries.
package savings

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// ledgerReaders is who may read a group's whole ledger, as a rule on the
// group: as ledger_entries' list rule, without the entries a coordinator
// sees only because the member's returnee was received in their state.
var ledgerReaders = `(@request.auth.collectionName = "staff" && @request.auth.role = "nodess_staff" && nodess = @request.auth.nodess) || ` +
	`(@request.auth.collectionName = "staff" && @request.auth.role = "coordinator" && state = @request.auth.state) || ` +
	`(@request.auth.collectionName = "returnee_accounts" && active_members:each ?= @request.auth.returnee)`

type plugin struct {
	app core.App
}

// Register binds the ledger and group rules and the summary and share-out
// routes to app.
func Register(app core.App) error {
	p := &plugin{app: app}
	bindLedgerRules(app)
	bindGroupRules(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/savings-groups/{id}")
		g.Bind(apis.RequireAuth())
		g.GET("/summary", p.summary)
		g.POST("/share-out", p.shareOut)
		return se.Next()
	})
	return nil
}

// findGroup finds the savings group of the request's path, or answers 404.
func findGroup(e *core.RequestEvent) (*core.Record, error) {
	group, err := e.App.FindRecordById(catalog.SavingsGroups, e.Request.PathValue("id"))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, e.NotFoundError("", err)
	case err != nil:
		return nil, e.InternalServerError("", err)
	}
	return group, nil
}

// canReadLedger reports whether the request's user may read group's ledger.
func canReadLedger(e *core.RequestEvent, group *core.Record) (bool, error) {
	info, err := e.RequestInfo()
	if err != nil {
		return false, err
	}
	return e.App.CanAccessRecord(group, info, &ledgerReaders)
}

// canShareOut reports whether auth may close group's cycle.
func canShareOut(auth *core.Record, group *core.Record) bool {
	if auth == nil {
		return false
	}
	if auth.IsSuperuser() {
		return true
	}
	return auth.Collection().Name == "staff" && auth.GetString("role") == "nodess_staff" &&
		auth.GetString("nodess") == group.GetString("nodess")
}
