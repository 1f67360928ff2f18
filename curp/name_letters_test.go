package curp_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/curp"
)

// nameLetterCases are the cases of testdata/name_letters.json, which the
// device's tests (ui/src/routes/field/curp.test.ts) read too.
type nameLetterCases struct {
	Inconvenient []string
	Letters      []struct {
		First, Second, Given, Want, Why string
	}
	Match []struct {
		CURP                      string `json:"curp"`
		First, Second, Given, Why string
		Want                      bool
	}
}

func readNameLetterCases(t *testing.T) nameLetterCases {
	t.Helper()
	b, err := os.ReadFile("testdata/name_letters.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases nameLetterCases
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases.Letters) < 40 || len(cases.Match) == 0 {
		t.Fatalf("%d letter cases and %d match cases: the fixture lost some", len(cases.Letters), len(cases.Match))
	}
	return cases
}

func TestNameLetters(t *testing.T) {
	for _, tt := range readNameLetterCases(t).Letters {
		if got := curp.NameLetters(tt.First, tt.Second, tt.Given); got != tt.Want {
			t.Errorf("NameLetters(%q, %q, %q) = %s, want %s (%s)", tt.First, tt.Second, tt.Given, got, tt.Want, tt.Why)
		}
	}
}

func TestNameLettersMatch(t *testing.T) {
	for _, tt := range readNameLetterCases(t).Match {
		if got := curp.NameLettersMatch(tt.CURP, tt.First, tt.Second, tt.Given); got != tt.Want {
			t.Errorf("NameLettersMatch(%q, %q, %q, %q) = %v, want %v (%s)", tt.CURP, tt.First, tt.Second, tt.Given, got, tt.Want, tt.Why)
		}
	}
}

// A CURP built from the names always matches them, and its letters are
// NameLetters'.
func TestNameLettersMatch_built(t *testing.T) {
	for _, tt := range readNameLetterCases(t).Letters {
		c := curp.Build(tt.First, tt.Second, tt.Given, time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), "M", "GR", '0')
		if c[:4] != tt.Want || !curp.NameLettersMatch(c, tt.First, tt.Second, tt.Given) {
			t.Errorf("Build(%q, %q, %q) = %s: want letters %s matching the names", tt.First, tt.Second, tt.Given, c, tt.Want)
		}
		if err := curp.Validate(c); err != nil {
			t.Errorf("Build(%q, %q, %q) = %s, which does not validate: %v", tt.First, tt.Second, tt.Given, c, err)
		}
	}
}

// Every four letters a name can give (letter, vowel, letter, letter) keep
// their vowel unless they are on RENAPO's list of inconvenient words.
func TestNameLetters_inconvenient(t *testing.T) {
	list := map[string]bool{}
	for _, w := range readNameLetterCases(t).Inconvenient {
		list[w] = true
	}
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, a := range letters {
		for _, v := range "AEIOU" {
			for _, b := range letters {
				for _, d := range letters {
					w := string([]rune{a, v, b, d})
					want := w
					if list[w] {
						want = string([]rune{a, 'X', b, d})
					}
					if got := curp.NameLetters(w[:2], w[2:3], w[3:]); got != want {
						t.Errorf("NameLetters(%q, %q, %q) = %s, want %s", w[:2], w[2:3], w[3:], got, want)
					}
				}
			}
		}
	}
}
