package appsetup

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// mailActions are PocketBase's auth endpoints that only work with mail (a
// token sent to an address), by route pattern, with the feature they
// belong to. No collection option turns them off, and Retorno sends no mail
// (pb_migrations/1764201671_auth_without_mail.go turns off the ones an
// option does), so refuseMailActions refuses them.
var mailActions = map[string]string{
	"POST /api/collections/{collection}/request-password-reset": "password reset",
	"POST /api/collections/{collection}/confirm-password-reset": "password reset",
	"POST /api/collections/{collection}/request-verification":   "email verification",
	"POST /api/collections/{collection}/confirm-verification":   "email verification",
	"POST /api/collections/{collection}/request-email-change":   "email change",
	"POST /api/collections/{collection}/confirm-email-change":   "email change",
}

// refuseMailActions answers the mail actions of every auth collection with
// 403, as PocketBase answers OTP or OAuth2 requests to a collection that has
// them off, before they look anyone up (the answer says nothing about who
// has an account) or try to send anything.
func refuseMailActions(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "retornoRefuseMailActions",
			Func: func(e *core.RequestEvent) error {
				if feature, ok := mailActions[e.Request.Pattern]; ok {
					return e.ForbiddenError("The collection is not configured to allow "+feature+".", nil)
				}
				return e.Next()
			},
		})
		return se.Next()
	})
}
