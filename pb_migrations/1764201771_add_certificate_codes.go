package pb_migrations

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/certificates"
)

// Course certificates (package certificates): an enrollment that a NODESS
// marks completed carries a verification code and the day of the
// completion, both set by the server; the code is unique, so that the
// public check finds one enrollment by it. Enrollments completed before
// this migration get their code here, dated the day they were last
// written, as a system write (the sync log carries them to devices).
func init() {
	m.Register(func(app core.App) error {
		err := changeCollection(app, catalog.Enrollments, func(c *core.Collection) {
			c.Fields.Add(
				&core.TextField{Name: certificates.FieldCode, Max: certificates.CodeLength,
					Pattern: `^[` + certificates.Alphabet + `]{10}$`,
					Help:    "Verification code of the course certificate; set by the server on completion."},
				&core.TextField{Name: certificates.FieldCompletedOn, Max: 10, Pattern: datePattern,
					Help: "Day the course was completed (Mexico City); set by the server."},
			)
			c.AddIndex("idx_enrollments_certificate_code", true, certificates.FieldCode, certificates.FieldCode+" != ''")
		})
		if err != nil {
			return err
		}
		done, err := app.FindAllRecords(catalog.Enrollments, dbx.HashExp{"status": "completed", certificates.FieldCode: ""})
		if err != nil {
			return err
		}
		for _, r := range done {
			r.Set(certificates.FieldCode, certificates.NewCode())
			r.Set(certificates.FieldCompletedOn, certificates.Day(r.GetDateTime("updated").Time()))
			if err := app.Save(r); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return changeCollection(app, catalog.Enrollments, func(c *core.Collection) {
			c.RemoveIndex("idx_enrollments_certificate_code")
			c.Fields.RemoveByName(certificates.FieldCode)
			c.Fields.RemoveByName(certificates.FieldCompletedOn)
		})
	})
}
