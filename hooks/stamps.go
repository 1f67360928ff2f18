package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
)

// stampFields name, per collection, the relation to staff that records who
// made a record. The server sets it from the actor; a client's value is
// never trusted. Superusers and system writes (migrations, the demo seeder)
// may set it, for imports and corrections.
var stampFields = map[string]string{
	"returnees":      "registered_by",
	"consents":       "collected_by",
	"referrals":      "referred_by",
	"case_notes":     "author",
	"ledger_entries": "recorded_by",
}

func bindStamps(app core.App) {
	stamp := func(e *core.RecordEvent) error {
		field, ok := stampFields[e.Record.Collection().Name]
		if !ok {
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
