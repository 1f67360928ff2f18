package savings

import (
	"fmt"
	"math"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// wholeNumber reads a number field, reporting whether it is whole.
func wholeNumber(record *core.Record, field string) (int64, bool) {
	v := record.GetFloat(field)
	if v != math.Trunc(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<53 {
		return 0, false
	}
	return int64(v), true
}

// Pesos formats centavos for a message: $1,234.50.
func Pesos(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	whole := fmt.Sprint(cents / 100)
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return fmt.Sprintf("%s$%s.%02d", sign, whole, cents%100)
}

// fieldErrors collects field errors; the first error of a field wins.
type fieldErrors validation.Errors

func (c fieldErrors) add(field, code, message string) {
	if _, ok := c[field]; !ok {
		c[field] = validation.NewError(code, message)
	}
}

// validateWith runs check and then the rest of the validation chain,
// merging the field errors of both (recordwrite.Validate).
func validateWith(e *core.RecordEvent, check func(c fieldErrors) error) error {
	return recordwrite.Validate(e, func(errs validation.Errors) error { return check(fieldErrors(errs)) })
}
