package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// bindDocuments keeps a document what it was when the server received it
// (stampCapture, documentEdit). Whom a field worker may file a document
// about is the relation scope's check (relations.go); the file's type and
// size are PocketBase's own (pb_migrations/1764201770_create_documents.go).
func bindDocuments(app core.App) {
	app.OnRecordCreate(catalog.Documents).BindFunc(stampCapture)
	app.OnRecordValidate(catalog.Documents).BindFunc(documentEdit)
}

// stampCapture sets captured_at to the server's time of the create
// (captured_by is the stamp, set to the writer by stamps.go); superusers and
// system writes (imports) may give their own.
func stampCapture(e *core.RecordEvent) error {
	if !trusted(actor.Of(e.Context, e.Record)) || e.Record.GetDateTime("captured_at").IsZero() {
		e.Record.Set("captured_at", types.NowDateTime())
	}
	return e.Next()
}

// documentEdit lets staff correct only a document's kind: its file is never
// replaced nor removed (whoever took a wrong photo deletes the document and
// takes another), and it never passes to another person. Superusers and
// system writes (a merge of two people) may change anything.
func documentEdit(e *core.RecordEvent) error {
	if e.Record.IsNew() || trusted(actor.Of(e.Context, e.Record)) {
		return e.Next()
	}
	return validate(e, func(c checks) { onlyFields(c, e.Record, "kind") })
}

// trusted tells a write that may set what the server keeps: a superuser's,
// or a system write (no actor).
func trusted(who *core.Record) bool { return who == nil || who.IsSuperuser() }
