// Package actor carries the authenticated record that causes a write down to
// the model hooks, which see only the record being saved.
//
// PocketBase's REST handlers save records with a background context, so the
// request's auth record is not visible to model hooks. The request hooks bound
// by [Bind] attach it to the record being written; other write paths (the sync
// engine, Go code acting for a user) attach it with [Set] or [WithContext].
// A write with no actor is a system write: migrations, seeders, or a
// superuser through the dashboard.
package actor

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// recordKey is a custom (non-field) record key: PocketBase neither loads it
// from request bodies, which set known fields only, nor exports it.
const recordKey = "@actor"

type contextKey struct{}

// Set attaches the auth record acting on record. A nil auth is ignored.
func Set(record *core.Record, auth *core.Record) {
	if record == nil || auth == nil {
		return
	}
	record.SetRaw(recordKey, auth)
}

// WithContext returns a copy of ctx that carries auth as the actor of the
// writes saved with it (app.SaveWithContext, app.DeleteWithContext).
func WithContext(ctx context.Context, auth *core.Record) context.Context {
	return context.WithValue(ctx, contextKey{}, auth)
}

// Of returns the auth record acting on record in a model event, or nil for a
// system write. The record's own attachment wins over the context.
func Of(ctx context.Context, record *core.Record) *core.Record {
	if record != nil {
		if auth, ok := record.GetRaw(recordKey).(*core.Record); ok && auth != nil {
			return auth
		}
	}
	if ctx != nil {
		if auth, ok := ctx.Value(contextKey{}).(*core.Record); ok {
			return auth
		}
	}
	return nil
}

// IsSuperuser reports whether auth is a PocketBase superuser.
func IsSuperuser(auth *core.Record) bool {
	return auth != nil && auth.IsSuperuser()
}

// Bind attaches the request's auth record to every record written through the
// REST and batch APIs (and so the admin dashboard), for the model hooks.
func Bind(app core.App) {
	attach := func(e *core.RecordRequestEvent) error {
		Set(e.Record, e.Auth)
		return e.Next()
	}
	app.OnRecordCreateRequest().BindFunc(attach)
	app.OnRecordUpdateRequest().BindFunc(attach)
	app.OnRecordDeleteRequest().BindFunc(attach)
}
