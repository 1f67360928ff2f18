package savings

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// shareOutKey marks, as a custom record key that request bodies cannot set,
// the share_out entries written by the share-out route; shareOutMark is the
// only value accepted, a pointer no JSON decoder can produce.
const shareOutKey = "@savingsShareOut"

var shareOutMark = &struct{ name string }{"share-out route"}

// bindLedgerRules checks every new ledger entry against its group, its
// member and the entries already recorded. The whole create (validation and
// insert) runs in one transaction, so that the balances an entry is checked
// against are those it is written over: two concurrent loans cannot both
// take the last cash of the fund.
func bindLedgerRules(app core.App) {
	app.OnRecordCreate(catalog.LedgerEntries).BindFunc(func(e *core.RecordEvent) error {
		return recordwrite.InTransaction(e, e.Next)
	})
	app.OnRecordValidate(catalog.LedgerEntries).BindFunc(func(e *core.RecordEvent) error {
		if !e.Record.IsNew() {
			return e.Next() // updates are refused by hooks.bindLedger
		}
		return validateWith(e, func(c fieldErrors) error { return checkEntry(e.App, e.Record, c) })
	})
}

// checkEntry adds to c the field errors of record, a new ledger entry: its
// own fields, then against its group, its member and the group's ledger.
func checkEntry(app core.App, record *core.Record, c fieldErrors) error {
	e, ok := checkEntryFields(record, c)
	group, err := app.FindRecordById(catalog.SavingsGroups, record.GetString("group"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the relation's own validation reports it
	}
	if err != nil {
		return err
	}
	checkEntryGroup(c, e, ok, group)

	member, err := app.FindRecordById(catalog.GroupMembers, e.Member)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if member.GetString("group") != group.Id {
		return nil // hooks.bindLedger reports it
	}
	if e.Type != Reversal && e.Type != ShareOut && member.GetString("status") != "active" {
		c.add("member", "member_not_active", "Solo las personas con membresía activa en el grupo registran movimientos.")
	}

	ledger, err := LoadLedger(app, group.Id)
	if err != nil {
		return err
	}
	if e.Type != ShareOut && ledger.hasShareOut() {
		c.add("group", "cycle_closed", "El ciclo de este grupo ya se cerró con el reparto: no admite movimientos.")
	}
	if !ok.amount || !ok.shares || !ok.date {
		return nil // the balances need a whole amount on a real date
	}
	return checkEntryLedger(app, c, group, ledger, e)
}

// entryOK says which of an entry's values are well formed.
type entryOK struct{ amount, shares, date bool }

// checkEntryFields reads a new entry and adds the errors of its own fields:
// whole positive amounts, shares only on purchases, a reversal's target only
// on reversals, share-outs only through their route.
func checkEntryFields(record *core.Record, c fieldErrors) (Entry, entryOK) {
	e := Entry{ID: record.Id, Type: record.GetString("type"), Member: record.GetString("member"),
		MeetingDate: record.GetString("meeting_date"), Reverses: record.GetString("reverses")}
	amount, amountOK := wholeNumber(record, "amount_cents")
	shares, sharesOK := wholeNumber(record, "shares")
	_, dateErr := time.Parse(time.DateOnly, e.MeetingDate)
	e.Amount, e.Shares = amount, int(shares)
	switch {
	case !amountOK:
		c.add("amount_cents", "not_whole_cents", "El monto va en centavos enteros, sin fracciones.")
	case amount <= 0:
		c.add("amount_cents", "not_positive", "El monto debe ser mayor que cero.")
	}
	if !sharesOK {
		c.add("shares", "not_whole", "Las acciones son un número entero.")
	}
	if e.Member == "" {
		c.add("member", "required", "Indica la persona integrante del movimiento.")
	}
	switch e.Type {
	case SharePurchase:
		if sharesOK && shares < 1 {
			c.add("shares", "required", "Indica cuántas acciones compra la persona.")
		}
	case Reversal:
		if e.Reverses == "" {
			c.add("reverses", "required", "Indica el movimiento que se cancela.")
		}
	case ShareOut:
		if record.GetRaw(shareOutKey) != shareOutMark {
			c.add("type", "share_out_route", "El reparto se registra solo con POST /api/savings-groups/{id}/share-out, que cierra el ciclo.")
		}
	}
	if e.Type != SharePurchase && e.Type != Reversal && sharesOK && shares != 0 {
		c.add("shares", "not_allowed", "Solo las compras de acciones llevan número de acciones.")
	}
	if e.Type != Reversal && e.Reverses != "" {
		c.add("reverses", "not_a_reversal", "Solo una cancelación (reversal) indica el movimiento que cancela.")
	}
	return e, entryOK{amount: amountOK, shares: sharesOK, date: dateErr == nil}
}

// checkEntryGroup adds the errors of an entry against its group: a meeting
// within the cycle, an active group, a purchase at the share's value.
func checkEntryGroup(c fieldErrors, e Entry, ok entryOK, group *core.Record) {
	if ok.date && (e.MeetingDate < group.GetString("cycle_start") || e.MeetingDate > group.GetString("cycle_end")) {
		c.add("meeting_date", "outside_cycle", fmt.Sprintf("La reunión del %s queda fuera del ciclo del grupo (%s a %s).",
			e.MeetingDate, group.GetString("cycle_start"), group.GetString("cycle_end")))
	}
	if e.Type != ShareOut {
		switch group.GetString("status") {
		case "active":
		case "closed":
			c.add("group", "group_closed", "El ciclo de este grupo está cerrado: no admite movimientos.")
		default:
			c.add("group", "group_not_active", "El grupo aún no está activo: no admite movimientos.")
		}
	}
	value := int64(group.GetInt("share_value_cents"))
	if e.Type == SharePurchase && ok.amount && ok.shares && e.Shares >= 1 && e.Amount != int64(e.Shares)*value {
		c.add("amount_cents", "amount_mismatch", fmt.Sprintf("%d acciones de %s son %s.", e.Shares, Pesos(value), Pesos(int64(e.Shares)*value)))
	}
}

// checkEntryLedger adds the errors of a well-formed entry against the
// group's ledger: share limits per meeting, interest only on a loan, a
// reversal that matches what it reverses, and balances that stay whole.
func checkEntryLedger(app core.App, c fieldErrors, group *core.Record, ledger *Ledger, e Entry) error {
	switch e.Type {
	case SharePurchase:
		checkShareLimits(c, "shares", group, ledger.dayShares(e.Member, e.MeetingDate, "")+e.Shares, e.MeetingDate)
	case Interest:
		if before, after := ledger.principal(e.Member, e.MeetingDate); before <= 0 && after <= 0 {
			c.add("member", "no_loan", "La persona no tiene un préstamo pendiente en esa reunión: no hay intereses que cobrar.")
		}
	case Reversal:
		if !checkReversal(app, c, group, ledger, e) {
			return nil
		}
	}
	checkBalances(c, ledger, e)
	return nil
}

// checkShareLimits refuses a member's total of shares at one meeting
// outside the group's minimum and maximum.
func checkShareLimits(c fieldErrors, field string, group *core.Record, total int, date string) {
	lo, hi := group.GetInt("min_shares"), group.GetInt("max_shares")
	switch {
	case total > hi:
		c.add(field, "above_max_shares", fmt.Sprintf("La persona llegaría a %d acciones en la reunión del %s; el grupo permite de %d a %d por reunión.", total, date, lo, hi))
	case total < lo:
		c.add(field, "below_min_shares", fmt.Sprintf("La persona quedaría con %d acciones en la reunión del %s; el grupo permite de %d a %d por reunión.", total, date, lo, hi))
	}
}

// checkBalances refuses an entry that would leave the loan fund, the social
// fund or its member's loan principal below zero at the close of its
// meeting or of any later one.
func checkBalances(c fieldErrors, ledger *Ledger, e Entry) {
	f := ledger.Effect(e)
	loanFund, socialFund, principal := ledger.lowest(e.MeetingDate, e.Member)
	field := "amount_cents"
	if e.Type == Reversal {
		field = "reverses"
	}
	switch {
	case f.LoanFund < 0 && loanFund+f.LoanFund < 0:
		msg := "El fondo de préstamos no alcanza: tiene " + Pesos(max(loanFund, 0)) + " disponibles para esa reunión."
		switch e.Type {
		case LoanDisbursement:
			c.add(field, "exceeds_loan_fund", "El préstamo supera el efectivo del fondo de préstamos: hay "+Pesos(max(loanFund, 0))+" disponibles para esa reunión.")
		case Reversal:
			c.add(field, "unbalanced_reversal", "Cancelar ese movimiento dejaría en negativo el fondo de préstamos. "+msg)
		default:
			c.add(field, "exceeds_loan_fund", msg)
		}
	case f.SocialFund < 0 && socialFund+f.SocialFund < 0:
		msg := "El fondo social no alcanza: tiene " + Pesos(max(socialFund, 0)) + " disponibles para esa reunión."
		if e.Type == Reversal {
			c.add(field, "unbalanced_reversal", "Cancelar ese movimiento dejaría en negativo el fondo social. "+msg)
		} else {
			c.add(field, "exceeds_social_fund", msg)
		}
	case f.Account.Principal < 0 && principal+f.Account.Principal < 0:
		owed := Pesos(max(principal, 0))
		if e.Type == Reversal {
			c.add(field, "unbalanced_reversal", "Cancelar ese préstamo dejaría a la persona con deuda negativa: ya abonó parte del capital (debe "+owed+").")
		} else {
			c.add(field, "exceeds_debt", "El abono supera el capital que la persona debe: "+owed+". Los intereses se registran aparte, con el tipo interest.")
		}
	}
}
