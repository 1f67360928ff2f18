package pb_migrations_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/pb_migrations"
)

// newEmptyApp applies every migration to an empty data directory.
func newEmptyApp(t *testing.T) *tests.TestApp {
	t.Helper()
	dir := t.TempDir()
	app, err := testapp.Open(dir)
	if err != nil {
		t.Fatalf("migrations on an empty database: %v", err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

func TestMigrations_ApplyOnEmptyDatabase(t *testing.T) {
	app := newEmptyApp(t)
	want := []string{
		"states", "reception_points", "nodess", "staff", "returnees", "returnee_accounts",
		"consents", "referrals", "case_notes", "training_courses", "enrollments",
		"savings_groups", "group_members", "ledger_entries", "audit_log",
	}
	for _, name := range want {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Errorf("collection %s: %v", name, err)
			continue
		}
		for _, f := range []string{"created"} {
			if c.Fields.GetByName(f) == nil {
				t.Errorf("%s has no %s", name, f)
			}
		}
		if name == "audit_log" {
			continue
		}
		for _, f := range []string{"rev", "updated"} {
			if c.Fields.GetByName(f) == nil {
				t.Errorf("%s has no %s", name, f)
			}
		}
	}
}

func TestMigrations_StatesComplete(t *testing.T) {
	app := newEmptyApp(t)
	states, err := app.FindAllRecords("states")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(states), 32; got != want {
		t.Fatalf("states = %d, want %d", got, want)
	}
	byINEGI := map[string]*core.Record{}
	for _, s := range states {
		byINEGI[s.GetString("inegi_code")] = s
	}
	for i := 1; i <= 32; i++ {
		code := fmt.Sprintf("%02d", i)
		s, ok := byINEGI[code]
		if !ok {
			t.Errorf("no state with INEGI code %s", code)
			continue
		}
		if s.GetString("curp_code") == "" || s.GetString("name") == "" || s.GetString("nodess_region") == "" {
			t.Errorf("state %s incomplete: %v", code, s.PublicExport())
		}
		if got := s.GetInt("rev"); got != 1 {
			t.Errorf("state %s rev = %d, want 1", code, got)
		}
	}
	for code, name := range map[string]string{"02": "Baja California", "26": "Sonora", "28": "Tamaulipas"} {
		if got := byINEGI[code].GetString("name"); got != name {
			t.Errorf("INEGI %s = %q, want %q", code, got, name)
		}
	}
	for code, curp := range map[string]string{"02": "BC", "26": "SR", "28": "TS", "09": "DF"} {
		if got := byINEGI[code].GetString("curp_code"); got != curp {
			t.Errorf("INEGI %s CURP code = %q, want %q", code, got, curp)
		}
	}
}

func TestMigrations_ReceptionPointsComplete(t *testing.T) {
	app := newEmptyApp(t)
	points, err := app.FindAllRecords("reception_points")
	if err != nil {
		t.Fatal(err)
	}
	var cities []string
	for _, p := range points {
		state, err := app.FindRecordById("states", p.GetString("state"))
		if err != nil {
			t.Errorf("point %s: state: %v", p.GetString("name"), err)
			continue
		}
		cities = append(cities, p.GetString("city")+"/"+state.GetString("curp_code"))
	}
	for _, want := range []string{
		"Tijuana/BC", "Mexicali/BC", "Nogales/SR", "San Luis Río Colorado/SR", "Sonoyta/SR", "Sásabe/SR",
		"Matamoros/TS", "Reynosa/TS", "Nuevo Laredo/TS", "Ciudad Juárez/CH", "Piedras Negras/CL",
		"Ciudad Acuña/CL", "Ciudad de México/DF",
	} {
		if !slices.Contains(cities, want) {
			t.Errorf("reception point %s missing (have %v)", want, cities)
		}
	}
	if got, want := len(points), len(pb_migrations.ReceptionPoints); got != want {
		t.Errorf("reception points = %d, want %d", got, want)
	}
}

// The dashboard: no unused users collection; related records named by
// their presentable fields.
func TestMigrations_Dashboard(t *testing.T) {
	app := newEmptyApp(t)
	if _, err := app.FindCollectionByNameOrId("users"); err == nil {
		t.Error("the unused users collection is still there")
	}
	people, err := app.FindCollectionByNameOrId("returnees")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := people.Fields.GetByName("given_names").(*core.TextField); !ok || !f.Presentable {
		t.Error("a person should be presented by their names")
	}
	audit, _ := app.FindCollectionByNameOrId("audit_log")
	if f, ok := audit.Fields.GetByName("action").(*core.SelectField); !ok || !f.Presentable {
		t.Error("an audit entry should be presented by its action")
	}
}

// Each migration is known to the runner by its file name alone: a helper that
// registered it under its own file's name (m.Register names its caller) would
// give two migrations one name, and the second would never run.
func TestMigrations_NamedAfterTheirFiles(t *testing.T) {
	seen := map[string]bool{}
	for _, migration := range core.AppMigrations.Items() {
		name := migration.File
		if seen[name] {
			t.Errorf("two migrations named %s", name)
		}
		seen[name] = true
		if len(name) < 11 || strings.Trim(name[:10], "0123456789") != "" || name[10] != '_' {
			t.Errorf("migration named %s, not after a timestamped file", name)
		}
	}
	if !seen["1764201760_device_settings.go"] || !seen["1764201731_add_consent_text_version.go"] {
		t.Errorf("the migrations that helpers register are missing: %v", seen)
	}
}
