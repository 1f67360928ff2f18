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

func curpWord(s string) string { return Fold(strings.TrimSpace(s)) }

// Build returns the CURP RENAPO would give a person: initials of the
// surnames and given name (a leading María or José gives way to the second
// name; an inconvenient word loses its second letter), birth date, sex (H or
// M), birth state code (or NE), inner consonants, the differentiator diff (a
// digit before 2000, a letter from 2000 on) and the check digit. The
// differentiator is RENAPO's to assign; demo data and simulations choose it.
func Build(first, second, given string, born time.Time, sex, stateCode string, diff byte) string {
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
	check, _ := CheckDigit(string(b))
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

// inconvenientWords are the four-letter CURP prefixes RENAPO replaces: the
// second letter becomes an X.
var inconvenientWords = map[string]bool{}

func init() {
	for _, w := range []string{"BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA",
		"CAKO", "COGE", "COGI", "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA",
		"GUEI", "GUEY", "JETA", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI",
		"KOJA", "KOJE", "KOJI", "KOJO", "KOLA", "KULO", "LILO", "LOCA", "LOCO", "LOKA", "LOKO", "MAME",
		"MAMO", "MEAR", "MEAS", "MEON", "MIAR", "MION", "MOCO", "MOKO", "MULA", "MULO", "NACA", "NACO",
		"PEDA", "PEDO", "PENE", "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO", "RATA", "ROBA", "ROBE",
		"ROBO", "RUIN", "SENO", "TETA", "VACA", "VAGA", "VAGO", "VAKA", "VUEI", "VUEY", "WUEI", "WUEY"} {
		inconvenientWords[w] = true
	}
}
