package hooks

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// personNames are the text fields that hold a person's name, per
// collection: one line of visible characters.
var personNames = map[string][]string{
	"returnees": {"given_names", "first_surname", "second_surname"},
	"staff":     {"name"},
}

// errInvalidCharacters is the field error of text with a control or
// invisible formatting character.
var errInvalidCharacters = validation.NewError("invalid_characters",
	"El texto contiene caracteres de control o invisibles que no se permiten.")

// bindTextContent refuses, in every text field of Retorno's collections,
// what never belongs in stored text: control characters (NUL, escape, bell:
// only tab and line breaks, in free text), and invisible formatting
// characters, among them the bidirectional overrides and isolates
// (U+202A-U+202E, U+2066-U+2069) that make a name read differently on
// screen from what is stored and searched. Names take no line breaks and no
// formatting character at all, and are stored without the spaces around
// them. A required text of only spaces is empty.
//
// Only the fields a write sets are checked, so that a record stored before
// these rules can still be edited by someone who may not change that field.
func bindTextContent(app core.App) {
	app.OnRecordValidate().BindFunc(func(e *core.RecordEvent) error {
		col := e.Record.Collection()
		if col.System {
			return e.Next() // PocketBase's own collections
		}
		return validate(e, func(c checks) {
			for _, name := range changedFields(e.Record) {
				var required bool
				switch f := col.Fields.GetByName(name).(type) {
				case *core.TextField:
					required = f.Required
				case *core.EditorField:
				default:
					continue
				}
				value := e.Record.GetString(name)
				isName := slices.Contains(personNames[col.Name], name)
				if trimmed := strings.TrimSpace(value); isName && trimmed != value {
					// a name is stored without the spaces around it: an
					// optional surname of only spaces is no surname
					value = trimmed
					e.Record.Set(name, value)
				}
				if required && strings.TrimSpace(value) == "" {
					c.add(name, validation.ErrRequired.Code(), validation.ErrRequired.Message())
					continue
				}
				if !utf8.ValidString(value) || strings.ContainsFunc(value, func(r rune) bool { return !allowedRune(r, isName) }) {
					c.add(name, errInvalidCharacters.Code(), errInvalidCharacters.Message())
				}
			}
		})
	})
}

// allowedRune reports whether r may be stored in text: no control character
// but tab and line breaks (none in a name), no formatting character but the
// zero-width joiners of emoji and some scripts (none in a name), no line or
// paragraph separator in a name.
func allowedRune(r rune, name bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return !name
	case unicode.Is(unicode.Cc, r):
		return false
	case r == '\u200c' || r == '\u200d': // zero-width non-joiner and joiner
		return !name
	case unicode.Is(unicode.Cf, r):
		return false // bidi controls, zero-width space, BOM, soft hyphen...
	case r == '\u2028' || r == '\u2029':
		return !name
	}
	return true
}
