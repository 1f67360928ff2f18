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
)

// Register binds every domain hook to app.
func Register(app core.App) {
	actor.Bind(app)
	bindRevision(app)
	bindCalendarDates(app)
	bindStamps(app)
	bindStaff(app)
	bindRelationScope(app)
	bindReturnees(app)
	bindReturneeChildren(app)
	bindPrograms(app)
	bindLedger(app)
	bindDerivedScope(app)
	bindAudit(app)
}

// inTransaction runs fn with e.App swapped for a transaction, so that the
// record write in e.Next() and every side write commit together. e.App is
// restored afterwards: the after-success hooks (realtime among them) must not
// see a finished transaction.
func inTransaction(e *core.RecordEvent, fn func() error) error {
	app := e.App
	defer func() { e.App = app }()
	return app.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return fn()
	})
}

// hasField reports whether record's collection has a field named name.
func hasField(record *core.Record, name string) bool {
	return record.Collection().Fields.GetByName(name) != nil
}

// bookkeeping are fields the server maintains, never compared or audited.
var bookkeeping = map[string]bool{"rev": true, "created": true, "updated": true}

// changedFields lists the collection fields of record whose value differs
// from what was last saved (all non-empty fields for a new record).
func changedFields(record *core.Record) []string {
	var names []string
	original := record.Original()
	for _, f := range record.Collection().Fields {
		name := f.GetName()
		if bookkeeping[name] || name == core.FieldNameTokenKey {
			continue
		}
		now := record.GetRaw(name)
		if record.IsNew() {
			if !isZero(now) {
				names = append(names, name)
			}
			continue
		}
		if !sameValue(now, original.GetRaw(name)) {
			names = append(names, name)
		}
	}
	return names
}
