// Package hooks binds Retorno's domain rules to PocketBase model hooks, so
// that they hold on every write path: the REST and batch APIs, the admin
// dashboard, the sync engine and Go code.
//
// Read scopes live in the collections' API rules (pb_migrations). What a
// rule cannot say with a field-level error (a field worker registering
// someone at another reception point, a returnee editing a field that is not
// theirs to edit) is checked here, against the actor that package actor
// attaches to each write.
package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// Register binds every domain hook to app.
func Register(app core.App) {
	txmemo.Bind(app)
	actor.Bind(app)
	bindStrictInput(app)
	bindNoOp(app)
	bindRevision(app)
	bindCalendarDates(app)
	bindTextContent(app)
	bindStamps(app)
	bindStaff(app)
	bindRelationScope(app)
	bindReturnees(app)
	bindReturns(app)
	bindScopeGrants(app)
	bindReturneeChildren(app)
	bindFollowUps(app)
	bindPrograms(app)
	bindLedger(app)
	bindDerivedScope(app)
	bindSensitiveNeeds(app)
	bindActiveMembers(app)
	bindOutcomes(app)
	bindDocuments(app)
	bindCooperatives(app)
	bindAudit(app)
	bindSyncConflicts(app)
}

// inTransaction and changedFields are shared with the sync engine.
var (
	inTransaction = recordwrite.InTransaction
	changedFields = recordwrite.ChangedFields
)

// hasField reports whether record's collection has a field named name.
func hasField(record *core.Record, name string) bool {
	return record.Collection().Fields.GetByName(name) != nil
}
