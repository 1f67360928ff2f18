package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// bindRevision maintains rev on every collection that has one: 1 on create,
// the stored rev + 1 on every update. The stored value is read inside the
// write's transaction, so concurrent writers cannot reuse a revision, and a
// client's value is always overwritten.
func bindRevision(app core.App) {
	app.OnRecordCreateExecute().BindFunc(func(e *core.RecordEvent) error {
		if !hasField(e.Record, "rev") {
			return e.Next()
		}
		e.Record.Set("rev", 1)
		return e.Next()
	})
	app.OnRecordUpdateExecute().BindFunc(func(e *core.RecordEvent) error {
		if !hasField(e.Record, "rev") {
			return e.Next()
		}
		return inTransaction(e, func() error {
			var stored int
			err := e.App.DB().Select("rev").From(e.Record.Collection().Name).
				Where(dbx.HashExp{"id": e.Record.LastSavedPK()}).Row(&stored)
			if err != nil {
				return err
			}
			e.Record.Set("rev", stored+1)
			return e.Next()
		})
	})
}
