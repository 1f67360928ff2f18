package catalog_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

var update = flag.Bool("update", false, "write the web app's generated values catalogs (make ui-labels)")

var catalogEntry = regexp.MustCompile(`(?m)(?:^|[,{])\s*([A-Za-z_]+):\s*"((?:[^"\\]|\\.)*)"`)

// uiCatalogPath is the web app's catalog file of feature in lang.
func uiCatalogPath(lang, feature string) string {
	dir := filepath.Join("..", "ui", "src", "i18n", "catalogs")
	if lang == "en" {
		dir = filepath.Join(dir, "en")
	}
	return filepath.Join(dir, feature+".ts")
}

// readUICatalog returns the plain string messages of the web app's catalog
// file for feature in lang.
func readUICatalog(t *testing.T, lang, feature string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(uiCatalogPath(lang, feature))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range catalogEntry.FindAllStringSubmatch(string(raw), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestUILabels_Generated: the web app's labels of enumeration values
// (ui/src/i18n/catalogs/values.ts and en/values.ts) and of fields (labels.ts)
// are generated from the catalog, one label per value (a theme had three
// Spanish labels): the committed files are what catalog.UILabelsTS and
// UIFieldLabelsTS write. go test ./catalog -run TestUILabels -update (make
// ui-labels) writes them.
func TestUILabels_Generated(t *testing.T) {
	for _, c := range []struct {
		feature, lang string
		want          string
	}{
		{"values", "es", catalog.UILabelsTS("es")}, {"values", "en", catalog.UILabelsTS("en")},
		{"labels", "es", catalog.UIFieldLabelsTS("es")}, {"labels", "en", catalog.UIFieldLabelsTS("en")},
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
	features, err := filepath.Glob(filepath.Join("..", "ui", "src", "i18n", "catalogs", "*.ts"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range features {
		feature := filepath.Base(path[:len(path)-len(".ts")])
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
