package hooks

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// NormalizePhone returns a phone number in E.164 ("+526641234567"), however
// it was typed: spaces, dashes, dots and parentheses go; a leading 00 is a
// +; ten digits are a Mexican number (+52), as the people registered at the
// border mostly have; twelve digits beginning with 52, or eleven beginning
// with 1 (a number of the United States or Canada), lack only their +. ok is
// false for anything else: a number without its area code, or letters.
func NormalizePhone(s string) (phone string, ok bool) {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t-.()", r) {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if rest, found := strings.CutPrefix(s, "00"); found {
		s = "+" + rest
	}
	digits, plus := strings.CutPrefix(s, "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	switch n := len(digits); {
	case plus && n >= 8 && n <= 15 && digits[0] != '0':
		return s, true
	case plus:
		return "", false
	case n == 10:
		return "+52" + digits, true
	case n == 12 && strings.HasPrefix(digits, "52"), n == 11 && strings.HasPrefix(digits, "1"):
		return "+" + digits, true
	}
	return "", false
}

// checkPhone stores record's phone in E.164 when the write sets it, or
// refuses it with a field error.
func checkPhone(c checks, record *core.Record, changed bool) {
	typed := record.GetString("phone")
	if typed == "" || !changed {
		return
	}
	phone, ok := NormalizePhone(typed)
	if !ok {
		c.add("phone", "phone_e164", "Escribe el teléfono a 10 dígitos, o con + y la clave del país.")
		return
	}
	record.Set("phone", phone)
}
