package hooks

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/retorno-mx/retorno/catalog"
)

// ErrImmutable refuses the change or deletion of a ledger entry: money
// records are append-only and a correction is a reversal entry.
var ErrImmutable = errors.New("ledger entries are immutable: record a reversal instead")

// bindLedger keeps ledger entries append-only, and their member in their
// group. The savings rules (share limits, loan fund, share-out) build on this.
func bindLedger(app core.App) {
	refuse := func(e *core.RecordEvent) error {
		return router.NewBadRequestError("Ledger entries are immutable: record a reversal entry instead.", ErrImmutable)
	}
	app.OnRecordUpdate(catalog.LedgerEntries).BindFunc(refuse)
	app.OnRecordDelete(catalog.LedgerEntries).BindFunc(refuse)

	app.OnRecordValidate(catalog.LedgerEntries).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			memberID := e.Record.GetString("member")
			if memberID == "" {
				return
			}
			member, err := e.App.FindRecordById(catalog.GroupMembers, memberID)
			if err == nil && member.GetString("group") != e.Record.GetString("group") {
				c.add("member", "wrong_group", "La persona no es integrante de este grupo.")
			}
		})
	})
}
