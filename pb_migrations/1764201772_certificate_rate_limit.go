package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// certificateCheckLimit bounds the public check of certificate codes
// (GET /api/certificates/{code}) per client address: a person checks a
// paper or two, an employer a few; 30 a minute keeps guessing codes (2^50)
// hopeless (package certificates says how hopeless).
var certificateCheckLimit = core.RateLimitRule{Label: "GET /api/certificates/", MaxRequests: 30, Duration: 60}

func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Rules = append(slices.DeleteFunc(s.RateLimits.Rules, func(r core.RateLimitRule) bool {
			return r.Label == certificateCheckLimit.Label
		}), certificateCheckLimit)
		return app.Save(s)
	}, func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(r core.RateLimitRule) bool {
			return r.Label == certificateCheckLimit.Label
		})
		return app.Save(s)
	})
}
