package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// No auth collection has an option on that would send mail.
func TestMigrations_AuthWithoutMail(t *testing.T) {
	app := newEmptyApp(t)
	for _, name := range []string{core.CollectionNameSuperusers, "staff", "returnee_accounts"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		for option, on := range map[string]bool{
			"otp": c.OTP.Enabled, "mfa": c.MFA.Enabled, "oauth2": c.OAuth2.Enabled, "authAlert": c.AuthAlert.Enabled,
		} {
			if on {
				t.Errorf("%s: %s is on", name, option)
			}
		}
		if !c.PasswordAuth.Enabled {
			t.Errorf("%s: password auth is off", name)
		}
	}
}
