package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Imports (package imports) load NODESS, reception points, courses and staff
// from spreadsheets. This migration
//   - adds nodess.municipality and nodess.contact, columns of the public
//     NODESS registry;
//   - adds the hidden staff.invite_verifier and staff.invite_expires: the
//     bcrypt of an imported account's one-time invitation, and its expiry;
//   - rate-limits the invitation's acceptance (a code guessed by brute force
//     would open a staff account) and the imports.
func init() {
	limits := []core.RateLimitRule{
		{Label: "POST /api/staff-invitations/accept", MaxRequests: 10, Duration: 60},
		{Label: "/api/imports/", MaxRequests: 30, Duration: 60},
	}
	m.Register(func(app core.App) error {
		if err := changeCollection(app, catalog.Nodess, func(c *core.Collection) {
			c.Fields.Add(text("municipality", false, 200), text("contact", false, 300))
		}); err != nil {
			return err
		}
		if err := changeCollection(app, catalog.Staff, func(c *core.Collection) {
			c.Fields.Add(&core.TextField{Name: "invite_verifier", Hidden: true, Max: 100},
				&core.DateField{Name: "invite_expires", Hidden: true})
		}); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = append(s.RateLimits.Rules, limits...)
		return app.Save(s)
	}, func(app core.App) error {
		if err := changeCollection(app, catalog.Nodess, func(c *core.Collection) {
			c.Fields.RemoveByName("municipality")
			c.Fields.RemoveByName("contact")
		}); err != nil {
			return err
		}
		if err := changeCollection(app, catalog.Staff, func(c *core.Collection) {
			c.Fields.RemoveByName("invite_verifier")
			c.Fields.RemoveByName("invite_expires")
		}); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(r core.RateLimitRule) bool {
			return slices.ContainsFunc(limits, func(l core.RateLimitRule) bool { return l.Label == r.Label })
		})
		return app.Save(s)
	})
}
