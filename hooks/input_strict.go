package hooks

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"
)

// Field errors of a request body value of the wrong type. The codes follow
// PocketBase's own ("validation_...") so that clients translate them alike.
var (
	errNotNumber   = validation.NewError("validation_not_a_number", "Debe ser un número.")
	errNotBool     = validation.NewError("validation_not_a_bool", "Debe ser verdadero o falso.")
	errNotString   = validation.NewError("validation_not_a_string", "Debe ser texto.")
	errNotSingle   = validation.NewError("validation_not_single_value", "Debe ser un solo valor, no una lista.")
	errNotList     = validation.NewError("validation_not_a_list", "Debe ser una lista de valores.")
	errNotDateTime = validation.NewError("validation_invalid_datetime", "Debe ser una fecha y hora válida (AAAA-MM-DD HH:MM:SS.sssZ).")
)

// numericText is a number written as text, as a form sends it ("12",
// "-0.5"): what PocketBase turns into the same number, without spaces,
// "NaN", "Inf" or hexadecimal.
var numericText = regexp.MustCompile(`^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$`)

// bindStrictInput refuses a record request whose body holds a value that
// PocketBase would coerce into its field's type instead of refusing it:
// "abc" into the number 0, ["H","M"] into the single choice "M", "yes" into
// false, an object into an empty text, "ayer" into no date. It runs for the
// REST and batch APIs and for the sync push, which runs the REST handlers.
//
// The check reads the body as the client sent it: by the time any hook sees
// the record (and the request info's body), PocketBase has already coerced
// it. Go code sets typed values and needs no such check; every other rule
// on values lives in model hooks.
func bindStrictInput(app core.App) {
	check := func(e *core.RecordRequestEvent, failure string) error {
		body, err := requestBody(e.RequestEvent)
		if err != nil {
			return e.BadRequestError("Failed to read the submitted data.", err)
		}
		if errs := typeErrors(e, body); len(errs) > 0 {
			return e.BadRequestError(failure, errs)
		}
		return e.Next()
	}
	// the failure messages are PocketBase's own for a refused save
	app.OnRecordCreateRequest().BindFunc(func(e *core.RecordRequestEvent) error {
		return check(e, "Failed to create record")
	})
	app.OnRecordUpdateRequest().BindFunc(func(e *core.RecordRequestEvent) error {
		return check(e, "Failed to update record.")
	})
}

// requestBody reads the body of a record request again, as sent. JSON keeps
// its types. Plain form fields stay text, since that is what a form sends
// (PocketBase guesses numbers and bools from them); a form's @jsonPayload
// part, which is how the batch API passes each request on, is JSON.
func requestBody(e *core.RequestEvent) (map[string]any, error) {
	body := map[string]any{}
	contentType := e.Request.Header.Get("Content-Type")
	if !strings.HasPrefix(contentType, "multipart/form-data") && !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		// the body is rereadable: PocketBase has read it once already
		return body, e.BindBody(&body)
	}
	err := e.Request.ParseMultipartForm(router.DefaultMaxMemory)
	if err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return nil, err
	}
	for key, values := range e.Request.Form {
		switch {
		case key == router.JSONPayloadKey:
		case len(values) == 1:
			body[key] = values[0]
		default:
			list := make([]any, len(values))
			for i, v := range values {
				list[i] = v
			}
			body[key] = list
		}
	}
	for _, payload := range e.Request.Form[router.JSONPayloadKey] {
		if err := json.Unmarshal([]byte(payload), &body); err != nil {
			return nil, err
		}
	}
	return body, nil
}

// typeErrors checks each body value that PocketBase would load into a field
// of the record against that field's type.
func typeErrors(e *core.RecordRequestEvent, body map[string]any) validation.Errors {
	errs := validation.Errors{}
	superuser := e.HasSuperuserAuth()
	for key, value := range body {
		f := fieldFor(e.Collection, key)
		if f == nil {
			continue // PocketBase ignores keys that are not fields
		}
		name := f.GetName()
		if f.GetHidden() && !superuser && !(e.Collection.IsAuth() && name == core.FieldNamePassword) {
			continue // PocketBase drops hidden fields of non-superusers' requests
		}
		if err := valueTypeError(f, value); err != nil {
			if _, ok := errs[name]; !ok {
				errs[name] = err
			}
		}
	}
	return errs
}

// fieldFor is the field PocketBase loads a body key into: the field of that
// name, or the one whose modifier it is ("needs+", "years_in_us-"), found as
// core.Record.SetIfFieldExists finds it.
func fieldFor(col *core.Collection, key string) core.Field {
	for _, f := range col.Fields {
		if finder, ok := f.(core.SetterFinder); ok && finder.FindSetter(key) != nil {
			return f
		}
		if f.GetName() == key {
			return f
		}
	}
	return nil
}

// valueTypeError is the error of value for field f, or nil. A null clears
// any field. Files, JSON, geo points and autodates take what they take.
func valueTypeError(f core.Field, value any) error {
	if value == nil {
		return nil
	}
	switch f := f.(type) {
	case *core.NumberField:
		return numberError(value)
	case *core.BoolField:
		return boolError(value)
	case *core.TextField, *core.EmailField, *core.URLField, *core.EditorField, *core.PasswordField:
		if _, ok := value.(string); !ok {
			return errNotString
		}
	case *core.DateField:
		return dateTimeError(value)
	case *core.SelectField:
		return choiceError(value, f.IsMultiple())
	case *core.RelationField:
		return choiceError(value, f.IsMultiple())
	}
	return nil
}

// numberError accepts a finite number, or a number written as text ("" for
// none, as a cleared form input sends it).
func numberError(value any) error {
	switch v := value.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errNotNumber
		}
		return nil
	case float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return nil
	case string:
		if v == "" || numericText.MatchString(v) {
			return nil
		}
	}
	return errNotNumber
}

// boolError accepts a bool, or one written as text ("true", "false", as
// strconv.ParseBool reads them; "" for false).
func boolError(value any) error {
	switch v := value.(type) {
	case bool:
		return nil
	case string:
		if _, err := strconv.ParseBool(v); v == "" || err == nil {
			return nil
		}
	}
	return errNotBool
}

// dateTimeError accepts "" and the text of an instant that PocketBase can
// read; PocketBase itself turns anything else into no date at all.
func dateTimeError(value any) error {
	v, ok := value.(string)
	if !ok {
		return errNotDateTime
	}
	if v == "" {
		return nil
	}
	if _, err := time.Parse(types.DefaultDateLayout, v); err == nil {
		return nil
	}
	if _, err := cast.ToTimeE(v); err == nil {
		return nil
	}
	return errNotDateTime
}

// choiceError accepts one text value for a single select or relation; for
// a multiple one, a list of text values or one text value.
func choiceError(value any, multiple bool) error {
	switch v := value.(type) {
	case string:
		return nil
	case []string:
		if !multiple {
			return errNotSingle
		}
		return nil
	case []any:
		if !multiple {
			return errNotSingle
		}
		for _, item := range v {
			if _, ok := item.(string); !ok {
				return errNotString
			}
		}
		return nil
	}
	if multiple {
		return errNotList
	}
	return errNotString
}
