package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// A consent of its own for email: consent is per purpose, and a person who
// agreed to WhatsApp messages did not agree to mail at the address of their
// account (package notify sends email only with contact_email).
func init() {
	m.Register(func(app core.App) error {
		return changeCollection(app, catalog.Consents, func(c *core.Collection) { addChoice(c, "purpose", "contact_email") })
	}, func(app core.App) error {
		return changeCollection(app, catalog.Consents, func(c *core.Collection) { removeChoice(c, "purpose", "contact_email") })
	})
}
