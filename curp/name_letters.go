package curp

import "strings"

// NameLetters returns positions 1-4 of the CURP that RENAPO derives from a
// person's names, by the rules of its Instructivo Normativo:
//
//   - each name is folded (upper case, accents away, Ñ written X) and split
//     into words at spaces; particles (DA, DAS, DE, DEL, DER, DI, DIE, DD,
//     EL, LA, LOS, LAS, LE, LES, MAC, MC, VAN, VON, Y) are dropped unless
//     nothing else is left ("de la Cruz" is CRUZ), and a compound name
//     counts by its first word ("Riva Palacio" is RIVA);
//   - a given name starting with MARIA, MA., MA, JOSE, J. or J counts by its
//     second word when there is one ("María Luisa" is LUISA, "María" is MARIA);
//   - position 1: the first surname's initial; 2: its first inner vowel, X
//     when it has none; 3: the second surname's initial, X when there is
//     none; 4: the given name's initial;
//   - a character other than A-Z (a hyphen, slash, dot, apostrophe) met
//     where a letter is taken gives X in that position ("D/Amico" is DX);
//   - four letters on RENAPO's list of inconvenient words have their second
//     letter replaced by X (PUTO is PXTO).
func NameLetters(first, second, given string) string {
	f, s, g := surnameWord(first), surnameWord(second), givenWord(given)
	return decent(string([]byte{initial(f), innerVowel(f), initial(s), initial(g)}))
}

// NameLettersMatch reports whether positions 1-4 of the CURP c (trimmed and
// upper-cased first) can be what RENAPO derived from the names a worker
// typed. It equals NameLetters except where what was typed leaves RENAPO's
// letter open:
//
//   - a blank field contradicts nothing: a blank second surname allows any
//     letter in position 3 (the person may use one surname, as US documents
//     write it, while RENAPO holds two; X when RENAPO holds one), a blank
//     given name any letter in position 4;
//   - a blank first surname with a second one typed: a single surname is
//     RENAPO's first surname, so the second is read as the first (and
//     position 3 is open); with both blank, positions 1-3 are open;
//   - a given name that is only MARIA, JOSE or an abbreviation of them allows
//     any letter in position 4: RENAPO skips it when the birth record holds
//     a second name the worker did not write;
//   - an N typed as the initial of a name also allows X: it may be an Ñ
//     typed without its tilde (a US keyboard), which RENAPO writes X.
//
// The inner vowel (position 2) is never open while a first surname is
// typed, apart from the X that an inconvenient word puts there.
func NameLettersMatch(c, first, second, given string) bool {
	c = Normalize(c)
	if len(c) < 4 {
		return false
	}
	if surnameWord(first) == "" {
		first, second = second, ""
	}
	f, s, g := surnameWord(first), surnameWord(second), givenWord(given)
	var open [4]string
	open[0], open[1] = initials(f), string(innerVowel(f))
	if f == "" {
		open[0], open[1] = letters, "AEIOUX"
	}
	open[2] = initials(s)
	if s == "" {
		open[2] = letters
	}
	open[3] = initials(g)
	if w := nameWords(given); len(w) == 0 || len(w) == 1 && commonNames[w[0]] {
		open[3] = letters
	}
	if !strings.Contains(open[0], c[:1]) || !strings.Contains(open[2], c[2:3]) || !strings.Contains(open[3], c[3:4]) {
		return false
	}
	// only position 2 differs between the raw letters and the decent ones
	for i := range len(open[1]) {
		if decent(c[:1]+open[1][i:i+1]+c[2:4]) == c[:4] {
			return true
		}
	}
	return false
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// particles are the prepositions, conjunctions and contractions RENAPO drops
// from compound surnames and given names.
var particles = map[string]bool{"DA": true, "DAS": true, "DE": true, "DEL": true, "DER": true, "DI": true,
	"DIE": true, "DD": true, "EL": true, "LA": true, "LOS": true, "LAS": true, "LE": true, "LES": true,
	"MAC": true, "MC": true, "VAN": true, "VON": true, "Y": true}

// commonNames are María, José and their abbreviations: so common that RENAPO
// takes the next given name instead.
var commonNames = map[string]bool{"MARIA": true, "MA.": true, "MA": true, "JOSE": true, "J.": true, "J": true}

// nameWords folds s and splits it into words, dropping particles unless
// nothing else is left.
func nameWords(s string) []string {
	words := strings.FieldsFunc(Fold(s), func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
	})
	kept := make([]string, 0, len(words))
	for _, w := range words {
		if !particles[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return words
	}
	return kept
}

// surnameWord is the word of a surname whose letters go into the CURP, or ""
// for a blank surname.
func surnameWord(s string) string {
	if w := nameWords(s); len(w) > 0 {
		return w[0]
	}
	return ""
}

// givenWord is the word of the given names whose letters go into the CURP:
// the first, or the second when the first is María or José.
func givenWord(s string) string {
	w := nameWords(s)
	switch {
	case len(w) == 0:
		return ""
	case len(w) > 1 && commonNames[w[0]]:
		return w[1]
	}
	return w[0]
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
func isVowel(c byte) bool  { return strings.IndexByte("AEIOU", c) >= 0 }

// initial is the first letter of a folded word, X for a blank word or a
// character other than A-Z.
func initial(w string) byte {
	if w == "" || !isLetter(w[0]) {
		return 'X'
	}
	return w[0]
}

// initials are the letters RENAPO may have written for the initial of a typed
// word: an N may be an Ñ typed without its tilde.
func initials(w string) string {
	if c := initial(w); c != 'N' {
		return string(c)
	}
	return "NX"
}

// innerVowel is the first vowel of a folded word after its initial; X when
// there is none or a character other than A-Z comes first.
func innerVowel(w string) byte { return inner(w, true) }

// innerConsonant is the first consonant of a folded word after its initial
// (Ñ is already X); X when there is none or a character other than A-Z comes
// first.
func innerConsonant(w string) byte { return inner(w, false) }

// inner is the first vowel (or consonant) of w after its initial; X when
// there is none or a character other than A-Z comes first.
func inner(w string, vowel bool) byte {
	for i := 1; i < len(w); i++ {
		switch c := w[i]; {
		case !isLetter(c):
			return 'X'
		case isVowel(c) == vowel:
			return c
		}
	}
	return 'X'
}

// decent replaces the second letter of an inconvenient word with X.
func decent(w string) string {
	if inconvenientWords[w] {
		return w[:1] + "X" + w[2:]
	}
	return w
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
