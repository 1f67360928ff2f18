package accounts

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// MiddlewareID is the id of the router middleware that refuses the tokens
// of accounts that are off.
const MiddlewareID = "retornoAccountDisabled"

// bindDisabledMiddleware refuses, on every route, a request whose token
// belongs to an account that is off: it runs right after PocketBase loads the
// token (which reads the account from the database on each request, so a
// switch takes effect at the next request) and before any route's own
// middlewares and handler.
func bindDisabledMiddleware(se *core.ServeEvent) {
	se.Router.Bind(&hook.Handler[*core.RequestEvent]{
		Id:       MiddlewareID,
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 1,
		Func: func(e *core.RequestEvent) error {
			if Disabled(e.Auth) {
				return refuse(e, http.StatusUnauthorized)
			}
			return e.Next()
		},
	})
}

// bindDisabled refuses the sign-in of an account that is off (password, and
// every other way PocketBase issues a token: refresh, OTP, OAuth2, a
// superuser's impersonation). PocketBase runs this hook once the password is
// checked, so a wrong password is answered as for any account.
func bindDisabled(app core.App) {
	app.OnRecordAuthRequest().BindFunc(func(e *core.RecordAuthRequestEvent) error {
		if Disabled(e.Record) {
			return refuse(e.RequestEvent, http.StatusForbidden)
		}
		return e.Next()
	})
}
