package privacy

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the rights of the person to app: the consent wording
// checks, the rectification requests, the export and erasure routes, and
// the retention jobs.
func Register(app core.App) error {
	bindConsentTexts(app)
	bindRectification(app)
	bindErasedRefusals(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/me/export", export).Bind(apis.RequireAuth())
		se.Router.POST("/api/returnees/{id}/erase", erase).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
	scheduleRetention(app, DefaultRetention)
	return nil
}
