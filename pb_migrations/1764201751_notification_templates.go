package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// The texts of the messages people get: one record per event and language,
// which only superusers read and change, in the dashboard (nil rules).
// Seeded with the catalog's defaults (catalog.MessageTemplates). Package
// notify refuses a body with a placeholder its event does not fill
// (unknown_placeholder) or that would not fit two SMS segments with every
// placeholder at its longest (sms_too_long).
func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection(catalog.NotificationTemplates, "pbc_notification_templates")
		c.Fields.Add(
			&core.SelectField{Name: "template", Required: true, MaxSelect: 1, Values: catalog.NotificationEvents.Codes(), Presentable: true},
			&core.SelectField{Name: "language", Required: true, MaxSelect: 1, Values: catalog.MessageLanguages.Codes(), Presentable: true},
			&core.TextField{Name: "subject", Max: 150, Help: "The subject of the email."},
			&core.TextField{Name: "body", Required: true, Max: 1000,
				Help: "The message, with {placeholders}; at most two SMS segments once they are filled."},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		c.AddIndex("idx_notification_templates_key", true, "template, language", "")
		if err := app.Save(c); err != nil {
			return err
		}
		for _, t := range catalog.MessageTemplates {
			for lang, text := range map[string]catalog.MessageText{"es": t.ES, "en": t.EN} {
				r := core.NewRecord(c)
				r.Set("template", t.Event)
				r.Set("language", lang)
				r.Set("subject", text.Subject)
				r.Set("body", text.Body)
				if err := app.Save(r); err != nil {
					return err
				}
			}
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, catalog.NotificationTemplates)
	})
}
