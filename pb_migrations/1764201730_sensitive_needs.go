package pb_migrations

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Sensitive needs (catalog.SensitiveNeeds: health, psychosocial support)
// are stored only while the person has a granted, not withdrawn
// sensitive_data consent (hooks/sensitive.go, docs/PRIVACY.md). This
// migration takes them out of the people and returns stored before that
// rule without such a consent, through app.Save, so that the change log
// carries the records without them to every device that holds them. There
// is no going back: the values are gone.
func init() {
	m.Register(func(app core.App) error {
		for _, name := range []string{catalog.Returnees, catalog.Returns} {
			person := name + ".id"
			if name == catalog.Returns {
				person = name + ".returnee"
			}
			found := []*core.Record{}
			err := app.RecordQuery(name).
				AndWhere(dbx.NewExp(`EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(` + name + `.needs) THEN ` + name + `.needs ELSE '[]' END) j
					WHERE j.value IN ('` + strings.Join(catalog.SensitiveNeeds, "', '") + `'))`)).
				AndWhere(dbx.NewExp(`NOT EXISTS (SELECT 1 FROM consents c WHERE c.returnee = `+person+`
					AND c.purpose = {:purpose} AND c.granted = TRUE AND c.withdrawn_at = '')`, dbx.Params{"purpose": catalog.ConsentSensitive})).
				All(&found)
			if err != nil {
				return err
			}
			for _, r := range found {
				r.Set("needs", slices.DeleteFunc(r.GetStringSlice("needs"), func(n string) bool {
					return slices.Contains(catalog.SensitiveNeeds, n)
				}))
				if err := app.SaveNoValidate(r); err != nil {
					return err
				}
			}
		}
		return nil
	}, nil)
}
