package devicesync_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// A write that changes no field a user's rule reads (a field worker's:
// the person's points) cannot have moved the record in or out of their
// scope, so their pull does not judge its before-image: a phone changed at
// another point costs the Tijuana worker's pull no query of before-images,
// and sends nothing. A write that moves a person does: it is judged, and
// evicts.
func TestBefore_OnlyWritesTheRuleReadsAreJudged(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-before-1")
	r := a.pulled()
	judged := func(t *testing.T, fn func()) bool {
		t.Helper()
		return slices.ContainsFunc(testapp.Queries(t, app, fn), func(q string) bool { return strings.Contains(q, "_before_returnees") })
	}

	person, _ := app.FindRecordById("returnees", testapp.ReturneeB1)
	person.Set("phone", "+528681112233")
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	var changes []string
	if judged(t, func() {
		for _, c := range a.pullInto(r) {
			changes = append(changes, c.Op+" "+c.Collection+"/"+c.RecordID)
		}
	}) {
		t.Error("a phone changed at Matamoros: Tijuana's pull judged the before-image")
	}
	if len(changes) != 0 {
		t.Errorf("a phone changed at Matamoros reached Tijuana: %v", changes)
	}

	person, _ = app.FindRecordById("returnees", testapp.ReturneeA1)
	person.Set("reception_point", testapp.ID(app, "reception_points", "city", "Matamoros"))
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	var got map[string]string
	if !judged(t, func() {
		got = map[string]string{}
		for _, c := range a.pullInto(r) {
			got[c.Collection+"/"+c.RecordID] = c.Op
		}
	}) {
		t.Error("a person moved from Tijuana: the pull did not judge the before-image")
	}
	if got["returnees/"+testapp.ReturneeA1] != "evict" {
		t.Errorf("a person moved from Tijuana: %v, want an evict", got)
	}
}
