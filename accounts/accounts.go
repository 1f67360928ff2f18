package accounts

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// CodeAccountDisabled is the stable code of every refusal of an account that
// is off: its tokens (401) and its sign-in (403).
const CodeAccountDisabled = "account_disabled"

// fieldActive is the switch of an auth collection that has one (staff).
const fieldActive = "active"

// Register binds the deactivation's hooks and routes to app.
func Register(app core.App) error {
	bindActive(app)
	bindDisabled(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		bindDisabledMiddleware(se)
		se.Router.GET("/api/device-secret", deviceSecret).Bind(apis.RequireAuth(catalog.Staff, catalog.ReturneeAccounts))
		return se.Next()
	})
	return nil
}

// Disabled reports whether the auth record r is switched off: its collection
// has the field active and it is false. Superusers and returnee accounts have
// no switch.
func Disabled(r *core.Record) bool {
	return r != nil && r.Collection().Fields.GetByName(fieldActive) != nil && !r.GetBool(fieldActive)
}

// refuse answers an account that is off with status and its code, in
// PocketBase's error shape plus the code a device acts on.
func refuse(e *core.RequestEvent, status int) error {
	return e.JSON(status, map[string]any{
		"status":  status,
		"code":    CodeAccountDisabled,
		"message": "The account is deactivated.",
		"data":    map[string]any{},
	})
}
