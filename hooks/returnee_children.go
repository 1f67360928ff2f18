package hooks

import (
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

// referralMoves are the status changes a referral may make.
var referralMoves = map[string][]string{
	"pending":  {"accepted", "rejected"},
	"accepted": {"attended"},
	"attended": {"closed"},
}

// bindReturneeChildren checks writes to the records about one returnee
// (consents, referrals, case notes): a returnee may only withdraw their
// consents; a NODESS staff member may only move the status of referrals to
// their node. (That a field worker writes only about people of their
// reception point follows from the relation scope check.) A referral is due
// 14 days after it is made unless it says otherwise (follow_up_settings), and
// says why when it is closed or rejected.
func bindReturneeChildren(app core.App) {
	app.OnRecordValidate(catalog.Consents, catalog.Referrals, catalog.CaseNotes).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			who := actor.Of(e.Context, e.Record)
			switch role(who) {
			case "returnee":
				if e.Record.Collection().Name == "consents" {
					onlyFields(c, e.Record, "granted", "withdrawn_at")
					if e.Record.GetBool("granted") && !e.Record.Original().GetBool("granted") {
						c.add("granted", "not_editable", "Para otorgar un consentimiento acuda con el personal de campo.")
					}
				}
			case "nodess_staff":
				onlyFields(c, e.Record, "status", "notes", "closed_reason", "outcome")
			}
		})
	})

	app.OnRecordCreate(catalog.Referrals).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", "pending")
		}
		if e.Record.GetString("due_on") == "" {
			days := followUpSchedule(e.App).dueDays
			e.Record.Set("due_on", time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly))
		}
		return e.Next()
	})

	app.OnRecordValidate(catalog.Referrals).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			status := e.Record.GetString("status")
			if e.Record.IsNew() {
				person, err := records.FindReturnee(e.App, e.Record.GetString("returnee"))
				if err == nil && !person.GetBool("nodess_consent") {
					c.add("nodess", "consent_required", "Para canalizar a un NODESS la persona debe haber otorgado el consentimiento para compartir sus datos (share_nodess).")
				}
				if status != "pending" {
					c.add("status", "invalid_status", "Una canalización nueva empieza como pendiente (pending).")
				}
				return
			}
			was := e.Record.Original().GetString("status")
			if status != was && !slices.Contains(referralMoves[was], status) {
				c.add("status", "invalid_transition", "Cambio de estado no permitido: "+was+" → "+status+".")
			}
			if status != was && (status == "closed" || status == "rejected") && e.Record.GetString("closed_reason") == "" {
				c.add("closed_reason", "validation_required", "Indica por qué se cierra o se rechaza la canalización.")
			}
		})
	})

	// A withdrawal revokes the grant, and revoking a grant is a withdrawal.
	withdraw := func(e *core.RecordEvent) error {
		withdrawn := !e.Record.GetDateTime("withdrawn_at").IsZero()
		switch {
		case withdrawn:
			e.Record.Set("granted", false)
		case !e.Record.IsNew() && e.Record.Original().GetBool("granted") && !e.Record.GetBool("granted"):
			e.Record.Set("withdrawn_at", types.NowDateTime())
		}
		return e.Next()
	}
	app.OnRecordValidate(catalog.Consents).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			if e.Record.IsNew() {
				return
			}
			was := e.Record.Original().GetDateTime("withdrawn_at")
			if !was.IsZero() && (e.Record.GetDateTime("withdrawn_at") != was || e.Record.GetBool("granted")) {
				c.add("withdrawn_at", "withdrawal_final", "Un consentimiento retirado no se puede reactivar: registra uno nuevo.")
			}
		})
	})
	app.OnRecordCreate(catalog.Consents).BindFunc(withdraw)
	app.OnRecordUpdate(catalog.Consents).BindFunc(withdraw)
}
