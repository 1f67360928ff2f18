package hooks

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
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
	app.OnRecordUpdate("ledger_entries").BindFunc(refuse)
	app.OnRecordDelete("ledger_entries").BindFunc(refuse)

	app.OnRecordValidate("ledger_entries").BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			memberID := e.Record.GetString("member")
			if memberID == "" {
				return
			}
			member, err := e.App.FindRecordById("group_members", memberID)
			if err == nil && member.GetString("group") != e.Record.GetString("group") {
				c.add("member", "wrong_group", "La persona no es integrante de este grupo.")
			}
		})
	})
}
