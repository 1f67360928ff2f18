package catalog_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// emitted finds the stable error codes that Retorno's Go code can send to a
// client: field errors (validation.NewError, the hooks' c.add, the merge's
// refusal) and the sync engine's result codes (devicesync's Code constants).
var emitted = []*regexp.Regexp{
	regexp.MustCompile(`validation\.NewError\(\s*"([a-z_]+)"`),
	regexp.MustCompile(`\bc\.add\([^,]+,\s*"([a-z_]+)"`),
	regexp.MustCompile(`\brefusal\(\s*"([a-z_]+)"`),
	regexp.MustCompile(`\bCode[A-Z]\w*\s*=\s*"([a-z_]+)"`),
}

// emittedCodes lists the codes of emitted in the repository's Go files
// (tests left out), with a file that emits each.
func emittedCodes(t *testing.T) map[string]string {
	t.Helper()
	codes := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "ui" || d.Name() == "e2e" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range emitted {
			for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
				codes[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

// TestErrorCodes_Translated: every error code the server can send has a
// message in the web app's errors catalog, in Spanish and in English, so
// that a field worker reads plain words, never a code or the server's text.
func TestErrorCodes_Translated(t *testing.T) {
	codes := emittedCodes(t)
	if len(codes) < 20 {
		t.Fatalf("found only %d error codes: the patterns of emitted no longer match the code", len(codes))
	}
	es, en := readUICatalog(t, "es", "errors"), readUICatalog(t, "en", "errors")
	names := make([]string, 0, len(codes))
	for code := range codes {
		names = append(names, code)
	}
	slices.Sort(names)
	for _, code := range names {
		if es[code] == "" {
			t.Errorf("errors.%s (sent by %s) has no Spanish message in ui/src/i18n/catalogs/errors.json", code, codes[code])
		}
		if en[code] == "" {
			t.Errorf("errors.%s (sent by %s) has no English message in ui/src/i18n/catalogs/en/errors.json", code, codes[code])
		}
	}
}
