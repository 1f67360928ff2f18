package names_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/retorno-mx/retorno/names"
)

// Spellings of one surname that forms, US documents and keyboards produce
// share a key; different surnames do not (testdata/surname_keys.json, which
// the web app's surnameKey passes too).
func TestSurnameKey(t *testing.T) {
	raw, err := os.ReadFile("testdata/surname_keys.json")
	var cases struct {
		Same []struct {
			Rule  string   `json:"rule"`
			Names []string `json:"names"`
			Want  string   `json:"want"`
		} `json:"same"`
		Different [][2]string `json:"different"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &cases)
	}
	if err != nil || len(cases.Same) == 0 {
		t.Fatalf("testdata/surname_keys.json: %v", err)
	}
	for _, tc := range cases.Same {
		for _, name := range tc.Names {
			if got := names.SurnameKey(name); got != tc.Want {
				t.Errorf("%s: SurnameKey(%q) = %q, want %q", tc.Rule, name, got, tc.Want)
			}
		}
	}
	for _, pair := range cases.Different {
		if a, b := names.SurnameKey(pair[0]), names.SurnameKey(pair[1]); a == b {
			t.Errorf("%s and %s share the key %q", pair[0], pair[1], a)
		}
	}
}
