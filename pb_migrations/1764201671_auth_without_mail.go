package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// authCollections are the collections people sign in to.
var authCollections = []string{core.CollectionNameSuperusers, "staff", "returnee_accounts"}

// Retorno sends no mail: people sign in with a password, and a lost one is
// reset by a superuser (dashboard, or `retorno superuser upsert`). So every
// auth option that needs mail is off: one-time passwords, MFA (its second
// factor would be an OTP), OAuth2 (no provider is configured) and the "new
// sign-in" alert mail, which PocketBase would try to send on every sign-in
// from a new device. The endpoints no option turns off (password reset,
// verification, email change) are refused by appsetup.
func init() {
	m.Register(func(app core.App) error {
		return setMailAuth(app, false)
	}, func(app core.App) error {
		return setMailAuth(app, true) // PocketBase's default; the rest were off already
	})
}

// setMailAuth turns OTP, MFA and OAuth2 off on every auth collection and
// their new sign-in alert mail on or off.
func setMailAuth(app core.App, alert bool) error {
	for _, name := range authCollections {
		err := changeCollection(app, name, func(c *core.Collection) {
			c.OTP.Enabled = false
			c.MFA.Enabled = false
			c.OAuth2.Enabled = false
			c.AuthAlert.Enabled = alert
		})
		if err != nil {
			return err
		}
	}
	return nil
}
