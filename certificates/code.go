package certificates

import (
	"strings"

	"github.com/pocketbase/pocketbase/tools/security"
)

// Alphabet is Crockford's base 32: digits and capital letters without I, L,
// O and U, which a person reading a printed code would confuse.
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is the length of a verification code: 50 random bits.
const CodeLength = 10

// NewCode draws a new verification code (crypto/rand).
func NewCode() string {
	return security.RandomStringWithAlphabet(CodeLength, Alphabet)
}

// Normalize reads a code as a person types it: in any case, with spaces
// and dashes ("abcde-12345"), O for 0 and I or L for 1, as Crockford's
// decoding does. It returns "" for anything that is not a code.
func Normalize(typed string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == ' ' || r == '-':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		case !strings.ContainsRune(Alphabet, r):
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLength {
		return ""
	}
	return b.String()
}
