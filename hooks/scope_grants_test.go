package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

const grantA1 = "grantofa1000001"

// addGrant records, as the server does when a return opens a person to a
// point (devicesync.TestPush_KnownCURPBecomesANewReturn), that Tijuana gained
// A1 through their return at Tijuana.
func addGrant(e *env) func(t testing.TB, app *tests.TestApp) {
	return func(t testing.TB, app *tests.TestApp) {
		col, err := app.FindCollectionByNameOrId("scope_grants")
		if err != nil {
			t.Fatal(err)
		}
		g := core.NewRecord(col)
		g.Load(map[string]any{"id": grantA1, "returnee": rA1, "return_event": returnA1, "reception_point": e.point["Tijuana"],
			"state": testapp.ID(app, "states", "curp_code", "BC"), "granted_by": testapp.FieldWorkerA})
		if err := app.Save(g); err != nil {
			t.Fatal(err)
		}
	}
}

// Scope grants are the coordinator's to review: only the coordinator of the
// point's state lists them and may mark them reviewed (nothing else); no one
// but the server writes them; through REST and batch.
func TestScopeGrants(t *testing.T) {
	e := getEnv(t)
	list := op{name: "list", method: http.MethodGet, path: "/api/collections/scope_grants/records"}
	review := update("scope_grants", grantA1, `{"reviewed":true,"review_note":"Confirmado con el punto."}`)
	for _, c := range []call{
		{name: "the state's coordinator lists them", who: coordinator, op: list, before: addGrant(e), want: sees(grantA1)},
		{name: "a field worker does not", who: fieldWorkerA, op: list, before: addGrant(e), want: none},
		{name: "a NODESS does not", who: nodessStaff1, op: list, before: addGrant(e), want: none},
		{name: "a returnee does not", who: accountA1, op: list, before: addGrant(e), want: none},
		{name: "the coordinator marks one reviewed", who: coordinator, op: review, before: addGrant(e), want: allowed,
			after: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				g, err := app.FindRecordById("scope_grants", grantA1)
				if err != nil || !g.GetBool("reviewed") || g.GetString("reviewed_by") != testapp.CoordBC {
					t.Errorf("reviewed grant: %v %v", g, err)
				}
			}},
		{name: "the coordinator cannot change who it names", who: coordinator, op: update("scope_grants", grantA1, j(map[string]any{"returnee": rA2})),
			before: addGrant(e), want: fieldError("returnee", "not_editable")},
		{name: "a field worker cannot review", who: fieldWorkerA, op: review, before: addGrant(e), want: hidden},
		{name: "no one creates one", who: coordinator, op: create("scope_grants", "grantnew0000001", j(map[string]any{"id": "grantnew0000001",
			"returnee": rA1, "return_event": returnA1, "reception_point": e.point["Tijuana"]})), want: forbidden},
	} {
		c.run(t, e)
	}
	enableBatch := func(t testing.TB, app *tests.TestApp) {
		app.Settings().Batch.Enabled = true
		addGrant(e)(t, app)
	}
	batch := op{name: "batch", method: http.MethodPost, path: "/api/batch", body: j(map[string]any{"requests": []map[string]any{
		{"method": http.MethodPatch, "url": "/api/collections/scope_grants/records/" + grantA1, "body": map[string]any{"returnee": rA2}}}})}
	call{name: "batch: the coordinator cannot change who it names", who: coordinator, op: batch, before: enableBatch,
		want: badRequest("Batch transaction failed."), content: []string{`"returnee":{"code":"not_editable"`}}.run(t, e)
}
