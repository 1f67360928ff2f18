package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// consents.text_version: the version of the purpose's wording
// (consent_texts) shown when the consent was asked. Consents recorded
// before keep it empty: which words they were asked with was not kept.
func init() {
	fieldsMigration(catalog.Consents, &core.TextField{Name: "text_version", Max: 20,
		Help: "The version of consent_texts shown for this purpose; set on create, never changed."})
}
