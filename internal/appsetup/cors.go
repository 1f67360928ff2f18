package appsetup

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// SameOriginCORS is a CORS middleware that lets no other origin read the
// API's answers. The web app and the dashboard are served from the API's own
// origin, where browsers need no CORS; PocketBase's default, "*", would let
// any site a user visits read what the API answers that user's browser. It
// has the id of PocketBase's CORS middleware, so binding it on the router
// replaces PocketBase's.
func SameOriginCORS() *hook.Handler[*core.RequestEvent] {
	return apis.CORS(apis.CORSConfig{
		AllowOriginFunc: func(string) (bool, error) { return false, nil },
	})
}
