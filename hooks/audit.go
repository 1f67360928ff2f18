package hooks

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
)

// auditedCollections hold personal data or money: every write to them leaves
// an audit_log entry, in the same transaction as the write (catalog.Audited).
var auditedCollections = catalog.Where(func(c catalog.Collection) bool { return c.Audited })

// ErrAppendOnly refuses changes to the audit log.
var ErrAppendOnly = errors.New("the audit log is append-only")

func bindAudit(app core.App) {
	logWrite := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			var fields []string
			if action != "delete" {
				fields = changedFields(e.Record)
			}
			return inTransaction(e, func() error {
				if err := e.Next(); err != nil {
					return err
				}
				return WriteAudit(e.App, actor.Of(e.Context, e.Record), action, e.Record, fields)
			})
		}
	}
	hookorder.Hook{ID: "retorno_audit_create", Priority: hookorder.Audit, Func: logWrite("create")}.OnCreate(app, auditedCollections...)
	hookorder.Hook{ID: "retorno_audit_update", Priority: hookorder.Audit, Func: logWrite("update")}.OnUpdate(app, auditedCollections...)
	hookorder.Hook{ID: "retorno_audit_delete", Priority: hookorder.Audit, Func: logWrite("delete")}.OnDelete(app, auditedCollections...)

	// entries are written by these hooks only, never through the API
	app.OnRecordCreateRequest(catalog.AuditLog).BindFunc(func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError("The audit log is written by the server only.", nil)
	})
	refuse := func(e *core.RecordEvent) error {
		return router.NewBadRequestError("The audit log is append-only.", ErrAppendOnly)
	}
	app.OnRecordUpdate(catalog.AuditLog).BindFunc(refuse)
	app.OnRecordDelete(catalog.AuditLog).BindFunc(refuse)
}

// WriteAudit appends an audit_log entry: who (nil for a system write) did
// action to record, touching fields (names only: values stay in the record).
func WriteAudit(app core.App, who *core.Record, action string, record *core.Record, fields []string) error {
	return WriteAuditEntry(app, who, action, record.Collection().Name, record.Id, fields)
}

// WriteAuditEntry is WriteAudit for an action on collection that may name
// no record (recordID ""), such as a search.
func WriteAuditEntry(app core.App, who *core.Record, action, collection, recordID string, fields []string) error {
	return WriteAuditReason(app, who, action, collection, recordID, fields, "")
}

// WriteAuditReason is WriteAuditEntry with the reason the actor gave (an
// erasure's, a rectification's decision): words of staff, never a value.
func WriteAuditReason(app core.App, who *core.Record, action, collection, recordID string, fields []string, reason string) error {
	col, err := app.FindCachedCollectionByNameOrId(catalog.AuditLog)
	if err != nil {
		return err
	}
	entry := core.NewRecord(col)
	if who != nil {
		entry.Set("actor_collection", who.Collection().Name)
		entry.Set("actor_id", who.Id)
	}
	entry.Set("action", action)
	entry.Set("collection_name", collection)
	entry.Set("record_id", recordID)
	if fields == nil {
		fields = []string{}
	}
	entry.Set("fields", fields)
	if reason != "" {
		entry.Set("reason", reason)
	}
	return app.SaveNoValidate(entry)
}
