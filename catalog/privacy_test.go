package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

// TestSensitiveNeeds: the sensitive needs are needs, and the web app's
// forms lock the same ones (ui/src/routes/field/people.ts, SENSITIVE_NEEDS).
func TestSensitiveNeeds(t *testing.T) {
	for _, n := range catalog.SensitiveNeeds {
		if !slices.Contains(catalog.Needs.Codes(), n) {
			t.Errorf("sensitive need %q is not a need", n)
		}
	}
	raw, err := os.ReadFile(filepath.Join("..", "ui", "src", "routes", "field", "people.ts"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`SENSITIVE_NEEDS = \[([^\]]*)\]`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("no SENSITIVE_NEEDS in people.ts")
	}
	var ui []string
	for _, v := range strings.Split(string(m[1]), ",") {
		ui = append(ui, strings.Trim(strings.TrimSpace(v), `"`))
	}
	if !slices.Equal(ui, catalog.SensitiveNeeds) {
		t.Errorf("the web app locks %v, the server %v", ui, catalog.SensitiveNeeds)
	}
}

// TestWithheld_Consent: a field shown only with a consent names the consent
// field, every withheld field has a label (exports name their columns), and
// field workers are withheld nothing of their point's people. (That each
// field exists is fieldaccess's TestWithheld_FieldsExist.)
func TestWithheld_Consent(t *testing.T) {
	for _, role := range []string{"field_worker", "nodess_staff", "coordinator", "returnee", "superuser", ""} {
		for _, c := range catalog.Collections {
			w := catalog.Withheld(role, c.Name)
			if len(w.Consented) > 0 && w.Consent == "" {
				t.Errorf("%s on %s: fields shown with a consent, and no consent field", role, c.Name)
			}
			for _, field := range append(append(slices.Clone(w.Fields), w.Consented...), w.Consent) {
				if field != "" && catalog.FieldLabels.Label(field) == field {
					t.Errorf("%s on %s: withheld field %q has no label (catalog/fields.go)", role, c.Name, field)
				}
			}
		}
	}
	if w := catalog.Withheld("field_worker", catalog.Returnees); !w.Empty() {
		t.Errorf("field workers are withheld %+v of the people of their point", w)
	}
}
