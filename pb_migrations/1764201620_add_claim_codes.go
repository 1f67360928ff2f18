package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Account claim (package claim): a returnee's one-time claim code, the login
// a claimed account signs in with, and the attempts that rate-limit claims.
func init() {
	m.Register(func(app core.App) error {
		err := changeCollection(app, "returnees", func(returnees *core.Collection) {
			returnees.Fields.Add(
				&core.TextField{Name: "claim_hash", Max: 64,
					Help: "Write-only: a device's SHA-256 of a new one-time claim code; the server keeps its bcrypt in claim_verifier and stores this empty."},
				&core.TextField{Name: "claim_verifier", Hidden: true, Max: 100,
					Help: "bcrypt of the device's hash of the live claim code; set by the server, never shown."},
				&core.DateField{Name: "claim_expires",
					Help: "When the claim code stops working (30 days after the server received it); set by the server."},
				&core.BoolField{Name: "claimed",
					Help: "The claim code was used: the person claimed their account. Set by the server."},
			)
			// a claim looks people up by phone
			returnees.AddIndex("idx_returnees_phone", false, "phone", "phone != ''")
		})
		if err != nil {
			return err
		}

		err = changeCollection(app, "returnee_accounts", func(accounts *core.Collection) {
			// a returnee may have no email: they sign in with their login
			if email, ok := accounts.Fields.GetByName(core.FieldNameEmail).(*core.EmailField); ok {
				email.Required = false
			}
			accounts.Fields.Add(&core.TextField{Name: "login", Max: 18,
				Help: "What the person signs in with: the CURP or the phone (last 10 digits) they claimed with. Set by the server."})
			accounts.AddIndex("idx_returnee_accounts_login", true, "login COLLATE NOCASE", "login != ''")
			accounts.PasswordAuth.IdentityFields = []string{core.FieldNameEmail, "login"}
		})
		if err != nil {
			return err
		}

		// nil rules: superusers only; written by the claim endpoint
		attempts := core.NewBaseCollection("claim_attempts", "pbc_claim_attempts")
		attempts.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 64,
				Help: "Hash of what was limited: the client IP, the CURP or phone sent, or the returnee tried."},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		attempts.AddIndex("idx_claim_attempts_key", false, "key, created", "")
		attempts.AddIndex("idx_claim_attempts_created", false, "created", "")
		return app.Save(attempts)
	}, func(app core.App) error {
		if err := deleteCollections(app, "claim_attempts"); err != nil {
			return err
		}
		err := changeCollection(app, "returnee_accounts", func(accounts *core.Collection) {
			accounts.PasswordAuth.IdentityFields = []string{core.FieldNameEmail}
			accounts.RemoveIndex("idx_returnee_accounts_login")
			accounts.Fields.RemoveByName("login")
		})
		if err != nil {
			return err
		}
		return changeCollection(app, "returnees", func(returnees *core.Collection) {
			returnees.RemoveIndex("idx_returnees_phone")
			returnees.Fields.RemoveByName("claim_hash")
			returnees.Fields.RemoveByName("claim_verifier")
			returnees.Fields.RemoveByName("claim_expires")
			returnees.Fields.RemoveByName("claimed")
		})
	})
}
