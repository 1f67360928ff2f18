package names

import "strings"

// SurnameKey is the phonetic key of a surname: the block in which duplicate
// detection looks for a person (with their birth date; see FindMatches).
// Surnames that sound alike in Mexican Spanish get one key, so that the
// spellings of one name that forms, US documents and keyboards produce fall
// into one block: "Yáñez" and "Llanes" (YNS), "Chávez" and "Shavez" (CBS),
// "Vázquez" and "Basques" (BSKS), "Hernández" and "Ernandes" (ARNNDS),
// "Cisneros" and "Zisneros", "Castillo" and "Castiyo", "Jiménez" and
// "Giménez". It is Surname (folded, aliases expanded, spaces dropped: Ñ is
// N, accents go) written in sounds:
//
//	h               silent (but ch, sh)
//	ch, sh          C
//	c               S before e and i, else K; qu, q and k are K too
//	z, s            S
//	g               J before e and i; gue and gui are G
//	b, v            B
//	ll, and y before a vowel    Y; any other y is a vowel
//	n before b, v, p            M
//	vowels (and w)  dropped, but a leading one is written A
//	doubles         one: rr, ss, and any sound written twice in a row
//
// x stays X: in Mexico it sounds like j, s, sh or ks depending on the name
// (México, Xochimilco, Xola, éxito). Digits are dropped. The key of an empty
// surname is empty.
func SurnameKey(s string) string {
	return Phonetic(Surname(s))
}

// Phonetic writes s, a surname as Surname returns it (folded, spaceless),
// in the sounds of SurnameKey: for parts of such a surname, which Surname
// must not fold again ("h" and "dz" are not "hdz").
func Phonetic(s string) string {
	r := []rune(s)
	at := func(i int) rune {
		if i < len(r) {
			return r[i]
		}
		return 0
	}
	var b strings.Builder
	var last byte // the last sound written since the last vowel
	emit := func(c byte) {
		if c != last {
			b.WriteByte(c)
		}
		last = c
	}
	vowel := func() {
		if b.Len() == 0 {
			b.WriteByte('A')
		}
		last = 0
	}
	for i := 0; i < len(r); i++ {
		c, next := r[i], at(i+1)
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'w':
			vowel()
		case 'y':
			if isVowel(next) {
				emit('Y')
			} else {
				vowel()
			}
		case 'h':
			// silent
		case 'c':
			switch {
			case next == 'h':
				emit('C')
				i++
			case next == 'e' || next == 'i':
				emit('S')
			default:
				emit('K')
			}
		case 's':
			if next == 'h' {
				emit('C')
				i++
			} else {
				emit('S')
			}
		case 'z':
			emit('S')
		case 'q':
			emit('K')
			if next == 'u' {
				i++
			}
		case 'k':
			emit('K')
		case 'g':
			switch {
			case next == 'e' || next == 'i':
				emit('J')
			case next == 'u' && (at(i+2) == 'e' || at(i+2) == 'i'):
				emit('G')
				i++
			default:
				emit('G')
			}
		case 'b', 'v':
			emit('B')
		case 'l':
			if next == 'l' {
				emit('Y')
				i++
			} else {
				emit('L')
			}
		case 'n':
			if next == 'b' || next == 'v' || next == 'p' {
				emit('M')
			} else {
				emit('N')
			}
		default:
			if c >= 'a' && c <= 'z' {
				emit(byte(c - 'a' + 'A'))
			} else if c > 0x7f {
				// a letter Fold keeps (another script): written as is
				b.WriteRune(c)
				last = 0
			}
		}
	}
	return b.String()
}

func isVowel(c rune) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}
