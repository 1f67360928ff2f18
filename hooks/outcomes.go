package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// bindOutcomes keeps an outcome with its person: a correction may change
// what it records, never whom it is about. (Whom NODESS staff and returnees
// may record outcomes for is the relation scope's check, relations.go, and
// that recorded_on is not in the future the calendar's, dates.go.)
func bindOutcomes(app core.App) {
	app.OnRecordValidate(catalog.Outcomes).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			if !e.Record.IsNew() && slices.Contains(changedFields(e.Record), "returnee") {
				c.add("returnee", "not_editable", "Un registro de cómo va la persona no se pasa a otra persona: registra uno nuevo.")
			}
		})
	})
}
