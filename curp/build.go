package curp

import (
	"strings"
	"time"
)

// curpLetters folds accents away and turns Ñ into X, as RENAPO does when it
// builds a CURP from a name.
var curpLetters = strings.NewReplacer("Á", "A", "À", "A", "Ä", "A", "É", "E", "È", "E", "Ë", "E",
	"Í", "I", "Ì", "I", "Ï", "I", "Ó", "O", "Ò", "O", "Ö", "O", "Ú", "U", "Ù", "U", "Ü", "U", "Ñ", "X")

// Fold upper-cases s and folds its accents away, turning Ñ into X, as RENAPO
// does with the letters of a name.
func Fold(s string) string { return curpLetters.Replace(strings.ToUpper(s)) }

// Build returns the CURP RENAPO would give a person: the name letters (see
// NameLetters), birth date, sex (H or M), birth state code (or NE), the first
// inner consonants of the words NameLetters reads (X when there is none or a
// character other than A-Z comes first), the differentiator diff (a digit
// before 2000, a letter from 2000 on) and the check digit. The
// differentiator is RENAPO's to assign; demo data and simulations choose it.
func Build(first, second, given string, born time.Time, sex, stateCode string, diff byte) string {
	b := make([]byte, 0, 18)
	b = append(b, NameLetters(first, second, given)...)
	b = append(b, born.Format("060102")...)
	b = append(b, sex...)
	b = append(b, stateCode...)
	b = append(b, innerConsonant(surnameWord(first)), innerConsonant(surnameWord(second)), innerConsonant(givenWord(given)), diff)
	check, _ := CheckDigit(string(b))
	return string(append(b, check))
}
