package hooks

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// checks collects field errors before PocketBase's own field validation
// runs, and merges both into one answer, so that a client sees every
// problem of a record at once.
type checks validation.Errors

func (c checks) add(field, code, message string) {
	if _, ok := c[field]; !ok {
		c[field] = validation.NewError(code, message)
	}
}

// validate runs check and then the rest of the validation chain, merging the
// field errors of both (recordwrite.Validate).
func validate(e *core.RecordEvent, check func(c checks)) error {
	return recordwrite.Validate(e, func(errs validation.Errors) error {
		check(checks(errs))
		return nil
	})
}

// onlyFields refuses a change, by this actor, of any field outside allowed.
func onlyFields(c checks, record *core.Record, allowed ...string) {
	for _, name := range changedFields(record) {
		if name == core.FieldNameId && record.IsNew() {
			continue // clients choose the ids of the records they make offline
		}
		ok := false
		for _, a := range allowed {
			if a == name {
				ok = true
				break
			}
		}
		if !ok {
			c.add(name, "not_editable", "No puedes modificar este campo.")
		}
	}
}
