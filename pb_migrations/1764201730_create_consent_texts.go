package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
)

// ConsentTextVersion is the version of the consent wording this migration
// seeds, the wording the field app showed before the texts were data.
const ConsentTextVersion = "2026-01"

// consentTexts are the seeded wording of each consent purpose, in Spanish
// (tú, as the app speaks to people) and English.
var consentTexts = []struct{ Purpose, ES, EN string }{
	{"registration",
		"Guardar tus datos para registrarte en el programa y darte seguimiento.",
		"Keep your data to register you in the programme and follow up."},
	{"share_nodess",
		"Compartir tus datos con el NODESS de tu estado de destino para ofrecerte cursos, grupos de ahorro y empleo.",
		"Share your data with the NODESS of your destination state to offer you courses, savings groups and jobs."},
	{"contact_whatsapp",
		"Escribirte por WhatsApp para avisarte de cursos y servicios.",
		"Message you on WhatsApp about courses and services."},
	{"sensitive_data",
		"Registrar datos sensibles (salud, apoyo psicosocial) para canalizarte a los servicios que pidas.",
		"Record sensitive data (health, psychosocial support) to refer you to the services you ask for."},
}

// Consent wording per purpose, kept with its version (docs/PRIVACY.md,
// "Consent wording"): consent_texts is reference data that everyone reads
// and devices pull, so the field app shows the current wording offline;
// superusers publish a new version in the dashboard (a version that a
// consent names cannot change its words: privacy/consent_texts.go).
func init() {
	m.Register(func(app core.App) error {
		texts := synced(core.NewBaseCollection(catalog.ConsentTexts, "pbc_consent_texts"),
			choice("purpose", true, catalog.ConsentPurposes.Codes()...),
			&core.TextField{Name: "version", Required: true, Max: 20, Pattern: `^[0-9A-Za-z._-]+$`, Presentable: true},
			text("text_es", true, 4000),
			text("text_en", true, 4000),
			&core.DateField{Name: "published_at", Required: true,
				Help: "From when the wording is shown; the current wording of a purpose is its latest published one."},
		)
		texts.AddIndex("idx_consent_texts_version", true, "purpose, version", "")
		publicRead(texts)
		if err := app.Save(texts); err != nil {
			return err
		}
		published, err := types.ParseDateTime("2026-01-01 00:00:00.000Z")
		if err != nil {
			return err
		}
		for _, t := range consentTexts {
			r := core.NewRecord(texts)
			r.Set("purpose", t.Purpose)
			r.Set("version", ConsentTextVersion)
			r.Set("text_es", t.ES)
			r.Set("text_en", t.EN)
			r.Set("published_at", published)
			r.Set("rev", 1)
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, catalog.ConsentTexts)
	})
}
