package fieldaccess

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// listPattern is the route of PocketBase's REST list API.
const listPattern = "GET /api/collections/{collection}/records"

// Register binds the hiding to app's record enrich hook, the checks of
// filters and sorts to its REST list API and realtime subscriptions, and
// starts the audit of reads of people (stopped, with what is queued
// written, when the app terminates).
func Register(app core.App) {
	views := newViewLog(app)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		views.close()
		return e.Next()
	})

	app.OnRecordEnrich().BindFunc(func(e *core.RecordEnrichEvent) error {
		info := e.RequestInfo
		if auth := info.Auth; auth != nil && !auth.IsSuperuser() {
			Hide(auth, e.Record)
			// expands are named on the top records (an expanded record's
			// enrichment shares the query), and a subscription's were
			// cleaned when it was made
			if raw := info.Query["expand"]; raw != "" && info.Context != core.RequestInfoContextExpand && info.Context != core.RequestInfoContextRealtime {
				if clean := CleanExpand(e.App, auth, e.Record.Collection(), raw); clean != raw {
					info.Query["expand"] = clean
				}
			}
		}
		views.record(info, e.Record)
		return e.Next()
	})

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(checkList)
		return se.Next()
	})

	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		if e.Auth != nil && !e.Auth.IsSuperuser() {
			kept := e.Subscriptions[:0:0]
			for _, s := range e.Subscriptions {
				if clean, ok := cleanSubscription(e.App, e.Auth, s); ok {
					kept = append(kept, clean)
				}
			}
			e.Subscriptions = kept
		}
		return e.Next()
	})
}

// checkList refuses a REST list request whose filter or sort names a field
// withheld from the caller, with PocketBase's answer to a filter on a field
// that does not exist.
func checkList(e *core.RequestEvent) error {
	if e.Request.Pattern != listPattern || e.Auth == nil || e.Auth.IsSuperuser() {
		return e.Next()
	}
	col, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	if err != nil {
		return e.Next()
	}
	q := e.Request.URL.Query()
	for _, filter := range q["filter"] {
		if err := CheckFilter(e.App, e.Auth, col, filter); err != nil {
			return e.BadRequestError("", err)
		}
	}
	for _, sort := range q["sort"] {
		if err := CheckSort(e.App, e.Auth, col, sort); err != nil {
			return e.BadRequestError("", err)
		}
	}
	return e.Next()
}

// cleanSubscription returns a realtime subscription of auth's ("returnees/*",
// "returnees/<id>?options={...}") with the withheld paths taken out of its
// expand, and false if its filter names a withheld field: PocketBase sends
// nothing to a subscription whose filter names a field that does not exist,
// and the subscription is dropped to the same effect. Topics that are not
// collections (the sync hint) are kept as they are.
func cleanSubscription(app core.App, auth *core.Record, sub string) (string, bool) {
	u, err := url.Parse(sub)
	if err != nil {
		return sub, true
	}
	name, _, _ := strings.Cut(u.Path, "/")
	col, err := app.FindCachedCollectionByNameOrId(name)
	raw := u.Query().Get("options")
	if err != nil || raw == "" {
		return sub, true
	}
	var options map[string]any
	if json.Unmarshal([]byte(raw), &options) != nil {
		return sub, true
	}
	query, _ := options["query"].(map[string]any)
	if filter, _ := query["filter"].(string); CheckFilter(app, auth, col, filter) != nil {
		return "", false
	}
	expand, _ := query["expand"].(string)
	clean := CleanExpand(app, auth, col, expand)
	if clean == expand {
		return sub, true
	}
	query["expand"] = clean
	encoded, err := json.Marshal(options)
	if err != nil {
		return "", false
	}
	v := u.Query()
	v.Set("options", string(encoded))
	u.RawQuery = v.Encode()
	return u.String(), true
}
