package catalog_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

var update = flag.Bool("update", false, "write the web app's generated values and labels catalogs (make ui-labels)")

// uiCatalogPath is the web app's catalog file of feature in lang.
func uiCatalogPath(lang, feature string) string {
	dir := filepath.Join("..", "ui", "src", "i18n", "catalogs")
	if lang == "en" {
		dir = filepath.Join(dir, "en")
	}
	return filepath.Join(dir, feature+".json")
}

// readUICatalog returns the messages of the web app's catalog file for
// feature in lang, a plural message ({"one": ..., "other": ...}) by its
// "other" form.
func readUICatalog(t *testing.T, lang, feature string) map[string]string {
	t.Helper()
	path := uiCatalogPath(lang, feature)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var messages map[string]json.RawMessage
	if err := json.Unmarshal(raw, &messages); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := make(map[string]string, len(messages))
	for key, msg := range messages {
		var text string
		var plural struct{ Other string }
		if json.Unmarshal(msg, &text) == nil {
			out[key] = text
		} else if json.Unmarshal(msg, &plural) == nil {
			out[key] = plural.Other
		} else {
			t.Errorf("%s: %s is neither a string nor {one, other}", path, key)
		}
	}
	return out
}

// TestUILabels_Generated: the web app's labels of enumeration values
// (ui/src/i18n/catalogs/values.json and en/values.json) and of fields
// (labels.json) are generated from the catalog, one label per value (a theme
// had three Spanish labels): the committed files are what catalog.UILabelsJSON
// and UIFieldLabelsJSON write. go test ./catalog -run TestUILabels -update (make
// ui-labels) writes them.
func TestUILabels_Generated(t *testing.T) {
	for _, c := range []struct {
		feature, lang string
		want          string
	}{
		{"values", "es", catalog.UILabelsJSON("es")}, {"values", "en", catalog.UILabelsJSON("en")},
		{"labels", "es", catalog.UIFieldLabelsJSON("es")}, {"labels", "en", catalog.UIFieldLabelsJSON("en")},
	} {
		path, want := uiCatalogPath(c.lang, c.feature), c.want
		if *update {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is not what package catalog writes: run make ui-labels (then make ui)", path)
		}
	}
}

// TestUILabels_NotCopied: no other catalog of the web app labels an
// enumeration's values: screens say t("values.<prefix>_<code>").
func TestUILabels_NotCopied(t *testing.T) {
	features, err := filepath.Glob(filepath.Join("..", "ui", "src", "i18n", "catalogs", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range features {
		feature := strings.TrimSuffix(filepath.Base(path), ".json")
		if feature == "values" {
			continue
		}
		for _, lang := range []string{"es", "en"} {
			messages := readUICatalog(t, lang, feature)
			for _, u := range catalog.UIEnums {
				for _, v := range u.Enum {
					if _, ok := messages[u.Prefix+"_"+v.Code]; ok {
						t.Errorf("%s: %s.%s_%s copies a label of catalog.UIEnums: use values.%s_%s", lang, feature, u.Prefix, v.Code, u.Prefix, v.Code)
					}
				}
			}
		}
	}
}
