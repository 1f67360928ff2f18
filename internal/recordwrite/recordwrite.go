// Package recordwrite holds what hooks around a record write share: running
// the write and its side writes in one transaction, and telling which fields
// the write changes.
package recordwrite

import (
	"errors"
	"fmt"
	"maps"
	"reflect"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cast"
)

// InTransaction runs fn with e.App swapped for a transaction, so that the
// record write in e.Next() and every side write commit together. e.App is
// restored afterwards: the after-success hooks (realtime among them) must not
// see a finished transaction. Nested calls reuse the outer transaction.
func InTransaction(e *core.RecordEvent, fn func() error) error {
	app := e.App
	defer func() { e.App = app }()
	return app.RunInTransaction(func(tx core.App) error {
		e.App = tx
		return fn()
	})
}

// bookkeeping are fields the server maintains, never compared.
var bookkeeping = map[string]bool{"rev": true, "created": true, "updated": true, core.FieldNameTokenKey: true}

// ChangedFields lists the collection fields of record whose value differs
// from what was last saved (all non-empty fields for a new record).
func ChangedFields(record *core.Record) []string {
	var names []string
	var original *core.Record // a record's Original() is a copy of it: made once, and only for an update
	if !record.IsNew() {
		original = record.Original()
	}
	for _, f := range record.Collection().Fields {
		name := f.GetName()
		if bookkeeping[name] {
			continue
		}
		now := record.GetRaw(name)
		if original == nil {
			if !IsZero(now) {
				names = append(names, name)
			}
			continue
		}
		if !SameValue(now, original.GetRaw(name)) {
			names = append(names, name)
		}
	}
	return names
}

// IsZero reports whether a raw record value is empty.
func IsZero(v any) bool {
	if v == nil {
		return true
	}
	switch x := v.(type) {
	case string:
		return x == ""
	case []string:
		return len(x) == 0
	case bool:
		return !x
	case float64:
		return x == 0
	case int:
		return x == 0
	}
	return cast.ToString(v) == ""
}

// SameValue compares two raw record values, tolerating representation
// differences (a number as int or float64, a date as text or DateTime).
func SameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// Validate runs check, then the rest of the validation chain (e.Next()),
// and answers the field errors of both, check's winning a field both
// report, so that a client sees every problem of a record at once. check's
// own error (a failed query) and an error of the chain that is not field
// errors win.
func Validate(e *core.RecordEvent, check func(errs validation.Errors) error) error {
	errs := validation.Errors{}
	if err := check(errs); err != nil {
		return err
	}
	err := e.Next()
	if len(errs) == 0 {
		return err
	}
	var chain validation.Errors
	if errors.As(err, &chain) {
		merged := maps.Clone(chain)
		maps.Copy(merged, errs)
		return merged
	}
	if err != nil {
		return err
	}
	return errs
}
