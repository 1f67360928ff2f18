package reports_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/reports"
)

// The web app draws the journey in the server's order of steps.
func TestJourney_StepsOfTheWebApp(t *testing.T) {
	raw, err := os.ReadFile("../ui/src/routes/nodess/journey.ts")
	if err != nil {
		t.Fatal(err)
	}
	var ui []string
	for _, m := range regexp.MustCompile(`"([a-z_]+)"`).FindAllStringSubmatch(string(raw), -1) {
		ui = append(ui, m[1])
	}
	var server []string
	for _, s := range reports.Steps {
		server = append(server, s.Step)
	}
	if !slices.Equal(ui, server) {
		t.Errorf("the web app's steps %v, the server's %v", ui, server)
	}
}
