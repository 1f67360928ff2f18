package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// bindStamps sets, on the collections that have one (catalog.Stamp), the
// relation to staff that records who made a record. The server sets it from
// the actor; a client's value is never trusted. Superusers and system writes
// (migrations, the demo seeder) may set it, for imports and corrections.
func bindStamps(app core.App) {
	stamp := func(e *core.RecordEvent) error {
		entry, _ := catalog.Lookup(e.Record.Collection().Name)
		field := entry.Stamp
		if field == "" {
			return e.Next()
		}
		who := actor.Of(e.Context, e.Record)
		switch {
		case who == nil || who.IsSuperuser():
			// trusted writer: keep what it set
		case !e.Record.IsNew():
			e.Record.Set(field, e.Record.Original().GetString(field))
		case who.Collection().Name == "staff":
			e.Record.Set(field, who.Id)
		default:
			e.Record.Set(field, "")
		}
		return e.Next()
	}
	app.OnRecordCreate().BindFunc(stamp)
	app.OnRecordUpdate().BindFunc(stamp)
}
