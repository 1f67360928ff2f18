package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// PocketBase's rate limiter is off by default: a password could be guessed
// as fast as the server answers. The rules replace PocketBase's examples and
// count per client IP (docs/OPERATIONS.md, "Rate limits", says why each
// number, and how an operator changes them at /_/ Settings).
//
// There is no "/api/" catch-all nor a "*:create", "*:update" or "*:delete"
// rule, on purpose: a sync push applies each of its up to 500 mutations
// through PocketBase's record handlers, which count them against those
// rules, so a big push would get 429s for its own mutations.
func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Enabled = true
		s.RateLimits.Rules = []core.RateLimitRule{
			// auth-with-password (and OTP, OAuth2) of each auth collection:
			// 20 a minute per IP and collection leaves room for a shift of
			// field workers behind one reception point's address
			{Label: "*:auth", MaxRequests: 20, Duration: 60},
			// the claim's own limits decide (package claim: 20 an hour per
			// address, 10 a day per person); with their 20 in a minute this
			// rule never refuses a claim they would try, and stops a flood
			// before it reaches the database
			{Label: "POST /api/returnee-accounts/claim", MaxRequests: 20, Duration: 60},
			// a device pulls pages of up to 500 changes back to back: ten
			// devices behind one address each page through 10,000 records
			{Label: "GET /api/sync/pull", MaxRequests: 200, Duration: 10},
			// a push carries up to 500 mutations; a queue drains in a few
			{Label: "POST /api/sync/push", MaxRequests: 50, Duration: 10},
			// check-duplicate, merge and suggestions
			{Label: "/api/returnees/", MaxRequests: 60, Duration: 60},
			{Label: "/api/reports/", MaxRequests: 60, Duration: 60},
			// a group's summary and share-out
			{Label: "/api/savings-groups/", MaxRequests: 60, Duration: 60},
		}
		return app.Save(s)
	}, func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Enabled = false
		return app.Save(s)
	})
}
