package catalog_test

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

// TestMinMembers_WebApp: the web app's stage rule (MIN_MEMBERS of
// ui/src/lib/cooperatives.ts) is catalog.MinMembers, so that its forms
// never offer a stage the server refuses, nor refuse one it accepts.
func TestMinMembers_WebApp(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "ui", "src", "lib", "cooperatives.ts"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)MIN_MEMBERS[^{]*\{(.*?)\}`).FindSubmatch(raw)
	if block == nil {
		t.Fatal("no MIN_MEMBERS in ui/src/lib/cooperatives.ts")
	}
	got := map[string]int{}
	for _, m := range regexp.MustCompile(`(\w+):\s*(\d+)`).FindAllSubmatch(block[1], -1) {
		got[string(m[1])], _ = strconv.Atoi(string(m[2]))
	}
	if !maps.Equal(got, catalog.MinMembers) {
		t.Errorf("the web app's MIN_MEMBERS %v, catalog.MinMembers %v", got, catalog.MinMembers)
	}
}
