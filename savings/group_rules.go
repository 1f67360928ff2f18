package savings

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// bindGroupRules keeps a group's settings consistent with its ledger, in the
// update's transaction: the share value is fixed once shares were bought
// (share-out weighs every share alike), the cycle keeps every entry inside
// it, and a cycle closed by its share-out stays closed (the next cycle is a
// new group).
func bindGroupRules(app core.App) {
	app.OnRecordUpdate(catalog.SavingsGroups).BindFunc(func(e *core.RecordEvent) error {
		return recordwrite.InTransaction(e, e.Next)
	})
	app.OnRecordValidate(catalog.SavingsGroups).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			return e.Next()
		}
		return validateWith(e, func(c fieldErrors) error {
			changed := func(field string) bool {
				return e.Record.GetString(field) != e.Record.Original().GetString(field)
			}
			if !changed("share_value_cents") && !changed("cycle_start") && !changed("cycle_end") && !changed("status") {
				return nil
			}
			ledger, err := LoadLedger(e.App, e.Record.Id)
			if err != nil {
				return err
			}
			if changed("share_value_cents") && ledger.hasType(SharePurchase) {
				c.add("share_value_cents", "fixed_for_cycle", "El valor de la acción es fijo durante el ciclo: ya hay compras de acciones.")
			}
			first, last := ledger.dates()
			if changed("cycle_start") && first != "" && e.Record.GetString("cycle_start") > first {
				c.add("cycle_start", "entries_outside", "Hay movimientos desde el "+first+": el ciclo debe incluirlos.")
			}
			if changed("cycle_end") && last != "" && e.Record.GetString("cycle_end") < last {
				c.add("cycle_end", "entries_outside", "Hay movimientos hasta el "+last+": el ciclo debe incluirlos.")
			}
			if changed("status") && e.Record.GetString("status") != "closed" && ledger.hasShareOut() {
				c.add("status", "cycle_closed", "El ciclo de este grupo se cerró con el reparto; registra el siguiente ciclo como un grupo nuevo.")
			}
			return nil
		})
	})
}
