package dedup

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/records"
)

// Checks before registering are for those who register people, bounded per
// account and audited: a check's curp_taken answers whether anyone at all
// holds a CURP, which no other API tells a field worker.
const (
	// CheckLimit is how many checks one account may make per CheckWindow:
	// a registration takes minutes and asks once or twice, so a busy shift
	// stays far below it, while asking about many CURPs does not.
	CheckLimit  = 120
	CheckWindow = time.Hour
	// AuditCheck is the audit_log action of a check.
	AuditCheck = "check_duplicate"
)

// The answers of a refused check.
var (
	msgNotRegistrar = "Only field workers and superusers may check for duplicates."
	msgTooManyCheck = fmt.Sprintf("Too many duplicate checks: at most %d an hour per account. Try again later.", CheckLimit)
)

// mayCheck reports whether auth registers people: a field worker of a
// reception point, or a superuser.
func mayCheck(auth *core.Record) bool {
	switch {
	case auth == nil:
		return false
	case auth.IsSuperuser():
		return true
	}
	staff := records.AsStaff(auth)
	return auth.Collection().Name == catalog.Staff && staff.Role() == "field_worker" && staff.IsFieldWorker()
}

// admitCheck counts auth's checks of the last CheckWindow and, below
// CheckLimit, records this one in the audit log, in one transaction: the
// audit entries are the limit's bookkeeping. ok is false, and nothing is
// recorded, over the limit.
func admitCheck(app core.App, auth *core.Record) (ok bool, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		var n int
		err := tx.DB().Select("COUNT(*)").From("audit_log").
			Where(dbx.HashExp{"actor_id": auth.Id, "action": AuditCheck, "actor_collection": auth.Collection().Name}).
			AndWhere(dbx.NewExp("created > {:since}", dbx.Params{"since": types.NowDateTime().Add(-CheckWindow).String()})).
			Row(&n)
		if err != nil || n >= CheckLimit {
			return err
		}
		ok = true
		return auditCheck(tx, auth)
	})
	if err != nil {
		return false, fmt.Errorf("duplicate check audit: %w", err)
	}
	return ok, nil
}

// auditCheck appends the audit entry of a check: who and when, on the
// returnees collection, naming no record and no value of the query.
func auditCheck(app core.App, auth *core.Record) error {
	return hooks.WriteAuditEntry(app, auth, AuditCheck, catalog.Returnees, "", nil)
}
