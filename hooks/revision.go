package hooks

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/hookorder"
)

// bindRevision maintains rev on every collection that has one: 1 on create,
// the stored rev + 1 on every update. The stored value is read inside the
// write's transaction, so concurrent writers cannot reuse a revision, and a
// client's value is always overwritten.
func bindRevision(app core.App) {
	hookorder.Hook{ID: "retorno_revision_create", Priority: hookorder.Revision, Func: func(e *core.RecordEvent) error {
		if !hasField(e.Record, "rev") {
			return e.Next()
		}
		e.Record.Set("rev", 1)
		return e.Next()
	}}.OnCreate(app)
	hookorder.Hook{ID: "retorno_revision_update", Priority: hookorder.Revision, Func: func(e *core.RecordEvent) error {
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
	}}.OnUpdate(app)
}

// bindNoOp makes an update that changes no field of a collection with rev
// change nothing: no write, no new rev or updated, no audit or change-log
// row (issue 10: a no-op edit bumped rev and wrote an audit row). A new
// token key counts as a change: it signs every session out.
func bindNoOp(app core.App) {
	hookorder.Hook{
		ID:       "retorno_noop_update",
		Priority: hookorder.NoOp,
		Func: func(e *core.RecordEvent) error {
			if !hasField(e.Record, "rev") || len(changedFields(e.Record)) > 0 ||
				(e.Record.Collection().IsAuth() && e.Record.TokenKey() != e.Record.Original().TokenKey()) {
				return e.Next()
			}
			return nil
		},
	}.OnUpdate(app)
}
