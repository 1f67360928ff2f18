package accounts

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/records"
)

// Audit actions of a switch (pb_migrations/1764201791_staff_deactivation.go).
const (
	actionDeactivate = "deactivate"
	actionReactivate = "reactivate"
)

// bindActive binds what a switch of staff.active does beside the write, for
// every write path (who may switch is hooks/staff.go's).
func bindActive(app core.App) {
	hookorder.Hook{
		ID: "retorno_accounts_switch", Priority: hookorder.Audit, Func: recordSwitch,
	}.OnUpdate(app, catalog.Staff)
	app.OnRecordAfterUpdateSuccess(catalog.Staff).BindFunc(func(e *core.RecordEvent) error {
		if Disabled(e.Record) {
			closeRealtime(e.App, e.Record)
		}
		return e.Next()
	})
}

// recordSwitch audits a switch in the write's transaction; switching an
// account on rotates its token key, so that the tokens issued before it was
// switched off (a lost phone's) stay refused.
func recordSwitch(e *core.RecordEvent) error {
	was, now := records.AsStaff(e.Record.Original()).Active(), records.AsStaff(e.Record).Active()
	if was == now {
		return e.Next()
	}
	action := actionDeactivate
	if now {
		action = actionReactivate
		e.Record.RefreshTokenKey()
	}
	return recordwrite.InTransaction(e, func() error {
		if err := e.Next(); err != nil {
			return err
		}
		return hooks.WriteAudit(e.App, actor.Of(e.Context, e.Record), action, e.Record, []string{fieldActive})
	})
}

// closeRealtime ends the realtime connections signed in as r: PocketBase
// checks a connection's messages against the auth it subscribed with, and a
// disabled account must stop hearing at once. The device reconnects, and its
// new subscription is refused (account_disabled).
func closeRealtime(app core.App, r *core.Record) {
	broker := app.SubscriptionsBroker()
	for id, client := range broker.Clients() {
		auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
		if auth != nil && auth.Id == r.Id && auth.Collection().Id == r.Collection().Id {
			broker.Unregister(id)
		}
	}
}
