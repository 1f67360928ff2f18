// Package curp validates Mexico's Clave Única de Registro de Población (CURP),
// the 18-character national population key.
//
// Validate runs its checks in this order and reports the first failure:
//
//  1. length: exactly 18 characters (runes);
//  2. shape: letters, digits, vowel, sex and consonant positions
//     (month and day ranges are left to the date check);
//  3. state: positions 12-13 are one of the 32 state codes or NE;
//  4. date: positions 5-10 (YYMMDD) form a real date in the century given by
//     position 17 (digit: 19YY, letter: 20YY). If the date does not exist in
//     that century but does exist in the other one (only 00-02-29: 2000 is a
//     leap year, 1900 is not), the code is CodeInvalidCentury; otherwise it
//     is CodeInvalidDate;
//  5. check digit: position 18.
package curp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Error codes carried in Error.Code.
const (
	CodeInvalidLength     = "invalid_length"
	CodeInvalidShape      = "invalid_shape"
	CodeInvalidState      = "invalid_state"
	CodeInvalidDate       = "invalid_date"
	CodeInvalidCentury    = "invalid_century"
	CodeInvalidCheckDigit = "invalid_check_digit"
)

// Error is a validation error with a machine-readable Code and a Spanish
// (es-MX) Message meant for end users.
type Error struct {
	Code    string
	Message string
}

// Error returns the user-facing message.
func (e *Error) Error() string { return e.Message }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &curp.Error{Code: curp.CodeInvalidDate}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

var (
	// alphabet maps each character to its check-digit value (its index).
	alphabet = []rune("0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ")
	shape    = regexp.MustCompile(`^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HM][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9]$`)
	states   = map[string]bool{
		"AS": true, "BC": true, "BS": true, "CC": true, "CL": true, "CM": true, "CS": true, "CH": true,
		"DF": true, "DG": true, "GT": true, "GR": true, "HG": true, "JC": true, "MC": true, "MN": true,
		"MS": true, "NT": true, "NL": true, "OC": true, "PL": true, "QT": true, "QR": true, "SP": true,
		"SL": true, "SR": true, "TC": true, "TS": true, "TL": true, "VZ": true, "YN": true, "ZS": true,
		"NE": true,
	}
)

// Normalize trims surrounding whitespace and upper-cases s. It is the only
// leniency applied; call it before Validate on user input.
func Normalize(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

// Validate reports whether s is a well-formed CURP. It expects an already
// normalised value (see Normalize) and returns nil or an *Error.
func Validate(s string) error {
	if utf8.RuneCountInString(s) != 18 {
		return &Error{CodeInvalidLength, "La CURP debe tener 18 caracteres."}
	}
	if !shape.MatchString(s) {
		return &Error{CodeInvalidShape, "La CURP tiene caracteres no válidos o fuera de lugar: revise letras y números."}
	}
	if !states[s[11:13]] {
		return &Error{CodeInvalidState, "La entidad de nacimiento de la CURP (posiciones 12 y 13) no es válida."}
	}
	if c := century(s); !valid(s, c) {
		if valid(s, 3900-c) { // the other century: 1900 <-> 2000
			return &Error{CodeInvalidCentury, "La fecha de nacimiento de la CURP no existe en el siglo que indica la posición 17."}
		}
		return &Error{CodeInvalidDate, "La fecha de nacimiento de la CURP (posiciones 5 a 10) no existe."}
	}
	want, _ := CheckDigit(s[:17]) // cannot fail: shape already checked
	if s[17] != want {
		return &Error{CodeInvalidCheckDigit, fmt.Sprintf("El dígito verificador no coincide: revise la CURP (se esperaba %c).", want)}
	}
	return nil
}

// CheckDigit computes the expected check digit character ('0'-'9') for the
// first 17 characters of a CURP.
func CheckDigit(first17 string) (byte, error) {
	if utf8.RuneCountInString(first17) != 17 {
		return 0, &Error{CodeInvalidLength, "Se requieren los primeros 17 caracteres de la CURP."}
	}
	sum, i := 0, 0
	for _, r := range first17 {
		v := slices.Index(alphabet, r)
		if v < 0 {
			return 0, &Error{CodeInvalidShape, "La CURP tiene caracteres no válidos."}
		}
		sum += v * (18 - i)
		i++
	}
	return byte('0' + (10-sum%10)%10), nil
}

// BirthDate returns the birth date (UTC midnight) encoded in a valid CURP,
// using position 17 for the century. It returns Validate's error otherwise.
func BirthDate(s string) (time.Time, error) {
	if err := Validate(s); err != nil {
		return time.Time{}, err
	}
	t, _ := date(s, century(s))
	return t, nil
}

// StateCode returns the birth state code (positions 12-13) of a valid CURP,
// "NE" for people born abroad, or "" if s is not a valid CURP.
func StateCode(s string) string {
	if Validate(s) != nil {
		return ""
	}
	return s[11:13]
}

// Sex returns "H" or "M" (position 11) of a valid CURP, or "" if s is not a
// valid CURP.
func Sex(s string) string {
	if Validate(s) != nil {
		return ""
	}
	return s[10:11]
}

// century returns 1900 if position 17 is a digit, 2000 if it is a letter.
func century(s string) int {
	if s[16] <= '9' {
		return 1900
	}
	return 2000
}

// valid reports whether YYMMDD exists in the given century.
func valid(s string, century int) bool {
	_, ok := date(s, century)
	return ok
}

// date parses YYMMDD (positions 5-10, digits) in the given century and
// reports whether that date exists.
func date(s string, century int) (time.Time, bool) {
	n := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	y, m, d := century+n(4), n(6), n(8)
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}
