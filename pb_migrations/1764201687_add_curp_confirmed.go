package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// The CURP against the person (hooks/returnees.go): a CURP whose letters
// contradict the record's names, sex or state of birth is refused unless the
// worker checked the person's document and confirms that the CURP is written
// so there (RENAPO's records hold mistakes, and people change names). This
// migration adds that confirmation, returnees.curp_confirmed; as any field
// of a person, its change is in the audit log.
func init() {
	fieldsMigration(catalog.Returnees, &core.BoolField{Name: "curp_confirmed",
		Help: "The worker checked the document: the CURP is written so, though its letters differ from the names, sex or state of birth."})
}
