package suggest

import (
	"strings"
	"unicode"
)

// fold lower-cases s and strips Spanish accents (á→a, ü→u, ñ→n), so that
// "Albañilería", "albanileria" and "ALBAÑILERÍA" compare equal.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r = unicode.ToLower(r); r {
		case 'á', 'à', 'â', 'ä':
			return 'a'
		case 'é', 'è', 'ê', 'ë':
			return 'e'
		case 'í', 'ì', 'î', 'ï':
			return 'i'
		case 'ó', 'ò', 'ô', 'ö':
			return 'o'
		case 'ú', 'ù', 'û', 'ü':
			return 'u'
		case 'ñ':
			return 'n'
		case 'ç':
			return 'c'
		}
		return r
	}, s)
}

// stopwords are folded words too common to say anything about fit.
var stopwords = map[string]bool{
	"para": true, "como": true, "con": true, "por": true, "del": true, "las": true, "los": true,
	"una": true, "uno": true, "unos": true, "unas": true, "que": true, "sus": true, "este": true, "esta": true,
	"entre": true, "sobre": true, "desde": true, "hasta": true, "cada": true, "todo": true, "todos": true,
	"manejo": true, "sistemas": true, "atencion": true, "trabajo": true, "basica": true, "basico": true,
	"curso": true, "taller": true, "grupo": true, "principiantes": true, "personas": true,
	"pequena": true, "escala": true, "conversacional": true, "general": true,
}

// tokens splits s into folded words of at least four letters that are not
// stopwords, in order and without repeats.
func tokens(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(fold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len([]rune(w)) < 4 || stopwords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// phrases splits a free-text skills field into its items ("cosecha de
// fresa, manejo de tractor" → two), trimmed, without empty ones.
func phrases(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '/' || r == '·'
	}) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sameWord reports whether two folded tokens are the same word up to an
// ending: equal, one a prefix of the other (the shorter at least four
// letters: "caja"/"cajas"), or sharing their first five letters
// ("agricola"/"agricultura", "cocina"/"cocinero"). It is a crude stemmer,
// good enough to rank, never used to exclude.
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[n] == rb[n] {
		n++
	}
	return n >= 5 || (n >= 4 && (n == len(ra) || n == len(rb)))
}

// matchAny returns the first of words that is sameWord as one of within.
func matchAny(words, within []string) (string, bool) {
	for _, w := range words {
		for _, x := range within {
			if sameWord(w, x) {
				return w, true
			}
		}
	}
	return "", false
}
