// Package names folds the names of people as forms, US documents and
// keyboards write them, so that spellings of one name compare equal: Fold
// (case, accents, punctuation), GivenNames and Surname (with their common
// abbreviations), and SurnameKey, a phonetic key of a surname in Mexican
// Spanish. Duplicate detection (package dedup) compares and blocks people by
// them; imports match spreadsheet cells with Fold.
package names

import (
	"strings"
	"unicode"
)

// foldRunes maps the accented and special letters found in Mexican and
// Spanish-language names to plain a-z. Names come from paper forms, US
// documents (which drop accents and ñ) and phone keyboards, so "Núñez",
// "Nuñez" and "NUNEZ" must compare equal.
var foldRunes = map[rune]string{
	'á': "a", 'à': "a", 'â': "a", 'ä': "a", 'ã': "a", 'å': "a", 'ª': "a",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ó': "o", 'ò': "o", 'ô': "o", 'ö': "o", 'õ': "o", 'ø': "o", 'º': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ñ': "n", 'ç': "c", 'ý': "y", 'ÿ': "y",
}

// Fold lower-cases s, removes accents and diacritics, turns every character
// that is not a letter or digit (dots, hyphens, apostrophes, commas) into a
// space, and collapses spaces: "  María-José  DE LA Cruz." → "maria jose de
// la cruz".
func Fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent of a decomposed letter
		}
		if plain, ok := foldRunes[r]; ok {
			b.WriteString(plain)
			space = false
			continue
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		b.WriteRune(r)
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// GivenNameAliases expands the abbreviations and nicknames of given names
// that field teams meet most, after folding (so "Ma.", "Mª" and "MA" are
// all "ma"). The table is small on purpose: an alias that could stand for
// two names (Beto: Alberto or Roberto; Alex) is left out, since a wrong
// expansion would make two different people look alike.
var GivenNameAliases = map[string]string{
	"ma":     "maria",
	"j":      "jose",
	"fco":    "francisco",
	"paco":   "francisco",
	"pancho": "francisco",
	"gpe":    "guadalupe",
	"lupe":   "guadalupe",
	"lupita": "guadalupe",
	"pepe":   "jose",
	"chema":  "jose maria",
	"chuy":   "jesus",
	"chucho": "jesus",
	"nacho":  "ignacio",
	"memo":   "guillermo",
	"gmo":    "guillermo",
	"lalo":   "eduardo",
	"tono":   "antonio", // Toño
}

// SurnameAliases expands the handwritten abbreviations of common surnames.
var SurnameAliases = map[string]string{
	"glez":  "gonzalez",
	"hdez":  "hernandez",
	"hdz":   "hernandez",
	"rdz":   "rodriguez",
	"rguez": "rodriguez",
	"mtz":   "martinez",
	"gtz":   "gutierrez",
	"fdez":  "fernandez",
}

// GivenNames folds given names and expands their aliases, word by word:
// "Ma. Guadalupe" → "maria guadalupe", "J. Luis" → "jose luis".
func GivenNames(s string) string {
	return expand(Fold(s), GivenNameAliases)
}

// Surname folds a surname, expands its aliases and drops its spaces, so that
// "De la Cruz", "DELACRUZ" and "de La  Cruz" are one key; "Hdez." →
// "hernandez".
func Surname(s string) string {
	return strings.ReplaceAll(expand(Fold(s), SurnameAliases), " ", "")
}

func expand(folded string, aliases map[string]string) string {
	words := strings.Fields(folded)
	for i, w := range words {
		if full, ok := aliases[w]; ok {
			words[i] = full
		}
	}
	return strings.Join(words, " ")
}
