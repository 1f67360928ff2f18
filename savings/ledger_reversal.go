package savings

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// checkReversal adds the errors of a reversal that cannot cancel the entry
// it names; it reports whether the balances are worth checking.
func checkReversal(app core.App, c fieldErrors, group *core.Record, ledger *Ledger, r Entry) bool {
	original, ok := ledger.byID[r.Reverses]
	if !ok {
		if other, err := app.FindRecordById(catalog.LedgerEntries, r.Reverses); err == nil && other.GetString("group") != group.Id {
			c.add("reverses", "wrong_group", "El movimiento que se cancela es de otro grupo.")
		}
		return false // else the relation's own validation reports it
	}
	switch {
	case original.Type == Reversal:
		c.add("reverses", "reversal_of_reversal", "Una cancelación no se cancela: registra de nuevo el movimiento correcto.")
		return false
	case original.Type == ShareOut:
		c.add("reverses", "share_out_final", "El reparto cierra el ciclo y no se cancela.")
		return false
	case ledger.reversal[original.ID] != "":
		c.add("reverses", "already_reversed", "Ese movimiento ya fue cancelado.")
		return false
	}
	ok = true
	if original.Member != r.Member {
		c.add("member", "reversal_member", "La cancelación es de la misma persona que el movimiento cancelado.")
		ok = false
	}
	if original.Amount != r.Amount {
		c.add("amount_cents", "reversal_amount", "La cancelación es por el mismo monto que el movimiento cancelado: "+Pesos(original.Amount)+".")
		ok = false
	}
	if original.Shares != r.Shares {
		c.add("shares", "reversal_shares", fmt.Sprintf("La cancelación lleva las mismas acciones que el movimiento cancelado: %d.", original.Shares))
		ok = false
	}
	if r.MeetingDate < original.MeetingDate {
		c.add("meeting_date", "before_reversed", "La cancelación no puede ser anterior al movimiento que cancela ("+original.MeetingDate+").")
		ok = false
	}
	if ok && original.Type == SharePurchase {
		left := ledger.dayShares(original.Member, original.MeetingDate, original.ID)
		if left > 0 {
			checkShareLimits(c, "reverses", group, left, original.MeetingDate)
		}
	}
	return ok
}
