package dedup

import (
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// identityFields are the returnee fields that detection compares: a write
// that changes one of them looks for duplicates again.
var identityFields = []string{"curp", "given_names", "first_surname", "second_surname", "birth_date", "birth_state"}

// bindCandidates checks CURP uniqueness with a clear message and records
// likely duplicates on every write path (REST, batch, sync pushes, the
// dashboard, Go code): these are model hooks, in the write's transaction.
func bindCandidates(app core.App) {
	app.OnRecordValidate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		err := e.Next()
		value := curp.Normalize(e.Record.GetString("curp"))
		if value == "" || (!e.Record.IsNew() && value == curp.Normalize(e.Record.Original().GetString("curp"))) {
			return err
		}
		taken, qErr := curpOwner(e.App, value, e.Record.Id)
		if qErr != nil {
			return errors.Join(err, qErr)
		}
		if taken == "" {
			return err
		}
		return withFieldError(err, "curp", curpTakenError())
	})

	detect := func(e *core.RecordEvent) error {
		changed := e.Record.IsNew() || slices.ContainsFunc(recordwrite.ChangedFields(e.Record), func(f string) bool {
			return slices.Contains(identityFields, f)
		})
		if !changed {
			return translateUnique(e.Next())
		}
		created := e.Record.IsNew()
		return recordwrite.InTransaction(e, func() error {
			if err := e.Next(); err != nil {
				// the unique index still decides when two writers race
				// past the validation check
				return translateUnique(err)
			}
			return refreshCandidates(e.App, e.Record, created)
		})
	}
	hookorder.Hook{ID: "retorno_duplicates", Priority: hookorder.Duplicates, Func: detect}.OnSave(app, catalog.Returnees)
}

// curpTakenError is the field error of a CURP that another person holds.
// The code is PocketBase's own for a unique value, so clients that know it
// keep working; the message is for the field worker.
func curpTakenError() validation.Error {
	return validation.NewError("validation_not_unique", "Ya existe una persona registrada con esta CURP.")
}

// curpOwner returns the id of the returnee other than self holding value
// as CURP, or "".
func curpOwner(app core.App, value, self string) (string, error) {
	var id string
	err := app.DB().Select("id").From("returnees").
		Where(dbx.HashExp{"curp": value}).AndWhere(dbx.Not(dbx.HashExp{"id": self})).
		Limit(1).Row(&id)
	if errors.Is(err, errNoRows) {
		return "", nil
	}
	return id, err
}

// translateUnique gives the unique index's error on curp the Spanish message.
func translateUnique(err error) error {
	var errs validation.Errors
	if !errors.As(err, &errs) {
		return err
	}
	var ve validation.Error
	if errors.As(errs["curp"], &ve) && ve.Code() == "validation_not_unique" {
		errs["curp"] = curpTakenError()
	}
	return err
}

// withFieldError adds a field error to err, the validation result of the
// rest of the chain, keeping an error that chain already set on the field.
func withFieldError(err error, field string, fieldErr error) error {
	if err == nil {
		return validation.Errors{field: fieldErr}
	}
	var errs validation.Errors
	if !errors.As(err, &errs) {
		return err
	}
	if _, ok := errs[field]; !ok {
		errs[field] = fieldErr
	}
	return errs
}
