package demo_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The returns migration on a copy of the demo database: reverted, then
// applied again, it turns every person's point and date into their first
// return and changes nothing else of them.
func TestReturnsMigration_OnTheDemoDatabase(t *testing.T) {
	app, _ := seeded(t, demo.Options{Seed: 7, Returnees: 300})
	// revert the returns migration and every later one
	runner := testapp.Revert(t, app, "1764201680_create_returns.go")
	if _, err := app.FindCollectionByNameOrId("returns"); err == nil {
		t.Fatal("the returns collection survived the down migration")
	}
	before := map[string]map[string]any{}
	people, err := app.FindAllRecords("returnees")
	if err != nil || len(people) < 300 {
		t.Fatalf("%d people (%v)", len(people), err)
	}
	for _, p := range people {
		before[p.Id] = p.FieldsData()
	}

	if _, err := runner.Up(); err != nil {
		t.Fatal(err)
	}
	returns, err := app.FindAllRecords("returns")
	if err != nil || len(returns) != len(people) {
		t.Fatalf("%d returns for %d people (%v)", len(returns), len(people), err)
	}
	for _, r := range returns {
		was := before[r.GetString("returnee")]
		if was == nil || r.Id != was["id"] {
			t.Errorf("return %s of %s: not the first return of a person", r.Id, r.GetString("returnee"))
			continue
		}
		for field, want := range map[string]any{
			"reception_point": was["reception_point"], "repatriation_date": was["repatriation_date"],
			"registered_by": was["registered_by"], "registered_at": was["created"], "needs": was["needs"],
		} {
			if got := r.Get(field); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("return of %s: %s = %q, want %q", r.Id, field, got, want)
			}
		}
		if r.GetInt("rev") != 1 {
			t.Errorf("return of %s: rev %d, want 1", r.Id, r.GetInt("rev"))
		}
	}
	after, _ := app.FindAllRecords("returnees")
	for _, p := range after {
		now := p.FieldsData()
		for field := range now {
			if _, was := before[p.Id][field]; !was {
				delete(now, field) // added by the returns migration or a later one
			}
		}
		if !maps.EqualFunc(now, before[p.Id], func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
			t.Errorf("person %s changed:\n was %v\n now %v", p.Id, before[p.Id], now)
		}
	}
}
