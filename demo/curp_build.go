package demo

import (
	"strings"
	"time"

	"github.com/retorno-mx/retorno/curp"
)

// curpLetters folds accents away and turns Ñ into X, as RENAPO does when it
// builds a CURP from a name.
var curpLetters = strings.NewReplacer("Á", "A", "À", "A", "Ä", "A", "É", "E", "È", "E", "Ë", "E",
	"Í", "I", "Ì", "I", "Ï", "I", "Ó", "O", "Ò", "O", "Ö", "O", "Ú", "U", "Ù", "U", "Ü", "U", "Ñ", "X")

func curpWord(s string) string { return curpLetters.Replace(strings.ToUpper(strings.TrimSpace(s))) }

// buildCURP returns the CURP of a person: initials of the surnames and given
// name, birth date, sex (H or M), birth state code, inner consonants,
// differentiator diff (a digit before 2000, a letter from 2000 on) and check
// digit.
func buildCURP(first, second, given string, born time.Time, sex, stateCode string, diff byte) string {
	first, second = curpWord(first), curpWord(second)
	names := strings.Fields(curpWord(given))
	name := names[0]
	if len(names) > 1 && (name == "MARIA" || name == "MA" || name == "MA." || name == "JOSE" || name == "J" || name == "J.") {
		name = names[1] // compound names: María and José give way to the second name
	}

	b := make([]byte, 0, 18)
	b = append(b, first[0], innerVowel(first), initial(second), name[0])
	if inconvenientWords[string(b)] {
		b[1] = 'X'
	}
	b = append(b, born.Format("060102")...)
	b = append(b, sex...)
	b = append(b, stateCode...)
	b = append(b, innerConsonant(first), innerConsonant(second), innerConsonant(name), diff)
	check, _ := curp.CheckDigit(string(b))
	return string(append(b, check))
}

func initial(s string) byte {
	if s == "" {
		return 'X'
	}
	return s[0]
}

func innerVowel(s string) byte {
	for i := 1; i < len(s); i++ {
		if strings.IndexByte("AEIOU", s[i]) >= 0 {
			return s[i]
		}
	}
	return 'X'
}

func innerConsonant(s string) byte {
	for i := 1; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' && strings.IndexByte("AEIOU", c) < 0 {
			return c
		}
	}
	return 'X'
}
