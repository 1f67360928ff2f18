package commands_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/commands"
	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The devices simulation converges against a server with the demo data.
func TestDevicesCommand_Converges(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds demo data and runs a sync simulation")
	}
	app, err := testapp.NewMigrated(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	if _, err := demo.Seed(app, demo.Options{Seed: 1, Returnees: 60}); err != nil {
		t.Fatal(err)
	}
	before, _ := app.CountRecords("returnees")
	srv := testapp.Serve(t, app)

	var out bytes.Buffer
	cmd := commands.NewDevicesCommand()
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs([]string{"--server", srv.URL, "--n", "9", "--per-device", "4"})
	if err := cmd.Execute(); err != nil {
		t.Fatalf("devices: %v\n%s", err, out.String())
	}
	for _, want := range []string{"Signed in as 7 field workers", "36 of 36 on the server exactly once", "9 of 9", "Converged:              yes"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n, _ := app.CountRecords("returnees"); n != before+36 {
		t.Errorf("returnees on the server: %d, want %d", n, before+36)
	}
	t.Log("\n" + out.String())
}
