package appsetup

import (
	"io/fs"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// apiMethods are the methods whose unknown /api/ paths ServeWebApp answers
// with a 404 itself; PocketBase's own catch-all answers the others.
var apiMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// ServeWebApp serves the web app built into public on every GET that no
// other route takes (its index.html for the paths the app routes itself),
// gzipped for phones on slow links. An unknown path under /api/ answers
// PocketBase's JSON 404, whatever the method, and never the app's HTML: a
// client with a wrong URL gets an error it can read.
func ServeWebApp(app core.App, public fs.FS) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/{path...}", apis.Static(public, true)).Bind(apis.Gzip())
		for _, method := range apiMethods {
			se.Router.Route(method, "/api/{path...}", apiNotFound)
		}
		return se.Next()
	})
}

// apiNotFound answers PocketBase's own 404.
func apiNotFound(e *core.RequestEvent) error {
	return e.NotFoundError("", nil)
}
