package savings

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// ShareOutResult is the answer of a share-out: what was paid to whom.
type ShareOutResult struct {
	Group       string `json:"group"`
	MeetingDate string `json:"meeting_date"`
	// LoanFundCents is the loan fund's cash at close, all of it paid out.
	LoanFundCents int64  `json:"loan_fund_cents"`
	TotalShares   int    `json:"total_shares"`
	RemainderRule string `json:"remainder_rule"`
	// SocialFundCents stays in the social fund: it is not shared out.
	SocialFundCents int64        `json:"social_fund_cents"`
	Payouts         []PayoutLine `json:"payouts"`
}

// PayoutLine is one member's share-out entry.
type PayoutLine struct {
	Member      string `json:"member"`
	Returnee    string `json:"returnee"`
	Shares      int    `json:"shares"`
	AmountCents int64  `json:"amount_cents"`
	Entry       string `json:"entry"`
}

// shareOut answers POST /api/savings-groups/{id}/share-out: NODESS staff of
// the group's node close the cycle.
func (p *plugin) shareOut(e *core.RequestEvent) error {
	group, err := findGroup(e)
	if err != nil {
		return err
	}
	if !canShareOut(e.Auth, group) {
		return e.ForbiddenError("Solo el personal del NODESS del grupo hace el reparto.", nil)
	}
	var form shareOutForm
	if err := e.BindBody(&form); err != nil {
		return e.BadRequestError("No se pudo leer la solicitud.", err)
	}
	if err := form.validate(); err != nil {
		return e.BadRequestError("No se pudo hacer el reparto.", err)
	}
	result, err := ShareOutCycle(e.App, e.Auth, group.Id, form.MeetingDate)
	var fieldErrs validation.Errors
	var apiErr *router.ApiError
	switch {
	case errors.As(err, &fieldErrs):
		return e.BadRequestError("No se pudo hacer el reparto.", fieldErrs)
	case errors.As(err, &apiErr):
		return apiErr
	case err != nil:
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, result)
}

// ShareOutCycle closes the cycle of group at the meeting of date, in one
// transaction: it pays the loan fund's whole cash to the members in
// proportion to their shares (Payouts), as share_out entries recorded by
// auth (nil for a system write), and closes the group. It refuses, with
// field errors (validation.Errors), a group that is not active or was
// already shared out, a date outside the cycle or before its last meeting,
// a cycle without shares, and a cycle with loans outstanding: every loan is
// repaid (or its disbursement reversed) before the share-out, as in VSLA
// practice, so payouts are never netted against debts.
func ShareOutCycle(app core.App, auth *core.Record, groupID, date string) (*ShareOutResult, error) {
	var result *ShareOutResult
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		result, err = shareOutCycle(tx, auth, groupID, date)
		return err
	})
	return result, err
}

func shareOutCycle(app core.App, auth *core.Record, groupID, date string) (*ShareOutResult, error) {
	group, err := app.FindRecordById(catalog.SavingsGroups, groupID)
	if err != nil {
		return nil, err
	}
	ledger, err := LoadLedger(app, groupID)
	if err != nil {
		return nil, err
	}
	c := fieldErrors{}
	switch {
	case ledger.hasShareOut():
		c.add("group", "cycle_closed", "El ciclo de este grupo ya se cerró con el reparto: no hay un segundo reparto.")
	case group.GetString("status") == "closed":
		c.add("group", "cycle_closed", "El grupo está cerrado. Vuelve a activarlo para hacer el reparto.")
	case group.GetString("status") != "active":
		c.add("group", "group_not_active", "El grupo aún no está activo: no hay ciclo que cerrar.")
	}
	if date < group.GetString("cycle_start") || date > group.GetString("cycle_end") {
		c.add("meeting_date", "outside_cycle", fmt.Sprintf("La reunión del %s queda fuera del ciclo del grupo (%s a %s).",
			date, group.GetString("cycle_start"), group.GetString("cycle_end")))
	}
	if _, last := ledger.dates(); date < last {
		c.add("meeting_date", "before_last_meeting", "El reparto cierra el ciclo: no puede ser anterior a la última reunión registrada ("+last+").")
	}
	if len(c) > 0 {
		return nil, validation.Errors(c)
	}

	b := ledger.Balances()
	shares := map[string]int{}
	total, debtors, owed := 0, 0, int64(0)
	for member, a := range b.Accounts {
		shares[member] = a.Shares
		total += max(a.Shares, 0)
		if a.Principal > 0 {
			debtors, owed = debtors+1, owed+a.Principal
		}
	}
	if debtors > 0 {
		who := fmt.Sprintf("%d personas deben", debtors)
		if debtors == 1 {
			who = "1 persona debe"
		}
		c.add("group", "loans_outstanding", "Hay préstamos sin pagar: "+who+" "+Pesos(owed)+" de capital. Cobre los préstamos antes del reparto.")
	} else if total == 0 {
		c.add("group", "no_shares", "Nadie compró acciones en este ciclo: no hay nada que repartir.")
	}
	if len(c) > 0 {
		return nil, validation.Errors(c)
	}

	result := &ShareOutResult{Group: groupID, MeetingDate: date, LoanFundCents: b.LoanFund, TotalShares: total,
		RemainderRule: RemainderRule, SocialFundCents: b.SocialFund, Payouts: []PayoutLine{}}
	entries, err := app.FindCollectionByNameOrId(catalog.LedgerEntries)
	if err != nil {
		return nil, err
	}
	for _, p := range Payouts(b.LoanFund, shares) {
		if p.Amount == 0 {
			continue // a fund smaller than the shares leaves some members nothing
		}
		r := core.NewRecord(entries)
		r.Set("group", groupID)
		r.Set("member", p.Member)
		r.Set("type", ShareOut)
		r.Set("amount_cents", p.Amount)
		r.Set("meeting_date", date)
		r.Set("note", fmt.Sprintf("Reparto: %d de %d acciones.", p.Shares, total))
		r.SetRaw(shareOutKey, shareOutMark)
		actor.Set(r, auth)
		if err := app.Save(r); err != nil {
			return nil, fmt.Errorf("share-out entry of %s: %w", p.Member, err)
		}
		member, err := app.FindRecordById(catalog.GroupMembers, p.Member)
		if err != nil {
			return nil, err
		}
		result.Payouts = append(result.Payouts, PayoutLine{Member: p.Member, Returnee: member.GetString("returnee"),
			Shares: p.Shares, AmountCents: p.Amount, Entry: r.Id})
	}
	group.Set("status", "closed")
	actor.Set(group, auth)
	if err := app.Save(group); err != nil {
		return nil, fmt.Errorf("close group: %w", err)
	}
	return result, nil
}

// shareOutForm is the body of a share-out: the date of the closing meeting.
type shareOutForm struct {
	MeetingDate string `json:"meeting_date"`
}

func (f *shareOutForm) validate() error {
	return validation.ValidateStruct(f,
		validation.Field(&f.MeetingDate, validation.Required.Error("Indica la fecha de la reunión del reparto."),
			validation.Date(time.DateOnly).Error("La fecha no existe en el calendario (usa AAAA-MM-DD).")),
	)
}
