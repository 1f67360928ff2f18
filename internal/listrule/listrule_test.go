package listrule_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// visible returns the ids of collection's records that auth may list, by
// listrule.Visible on an aliased outer query.
func visible(t *testing.T, app core.App, auth *core.Record, collection string) []string {
	t.Helper()
	info := &core.RequestInfo{Auth: auth, Method: "GET", Context: core.RequestInfoContextDefault}
	cond, err := listrule.VisibleByName(app, info, collection, "[[x.id]]")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	if err := app.DB().Select("x.id").From(collection + " x").Where(cond).OrderBy("x.id").Column(&ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestVisible(t *testing.T) {
	app := testapp.New(t)
	find := func(collection, id string) *core.Record { return testapp.Find(t, app, collection, id) }
	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(superusers) // an unsaved superuser: Visible reads only its collection

	cases := []struct {
		name       string
		auth       *core.Record
		collection string
		want       []string
	}{
		{"coordinator: received in or going to BC", find("staff", testapp.CoordBC), "returnees", []string{testapp.ReturneeA1, testapp.ReturneeA2}},
		{"NODESS with consent", find("staff", testapp.NodessStaff1), "returnees", []string{testapp.ReturneeA1}},
		{"own record", find("returnee_accounts", testapp.AccountB1), "returnees", []string{testapp.ReturneeB1}},
		{"guest", nil, "returnees", []string{}},
		{"superuser", su, "returnees", []string{testapp.ReturneeA1, testapp.ReturneeA2, testapp.ReturneeB1}},
		{"public rule", nil, "nodess", []string{testapp.NodessN1, testapp.NodessN2}},
		{"nil rule", find("staff", testapp.CoordBC), "audit_log", []string{}},
		{"rule with a relation", find("staff", testapp.NodessStaff2), "training_courses", []string{testapp.CourseN1}},
		{"own node's draft", find("staff", testapp.NodessStaff1), "training_courses", []string{testapp.CourseN1Draft, testapp.CourseN1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := visible(t, app, c.auth, c.collection)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestApply_AgreesWithTheRule: the rule specialized for each caller lists
// exactly the records that the rule itself lists, for every fixture account
// and every collection with a rule, and so does paging it by PageAfter
// (branch by branch), with the people of addWideFixtures too.
func TestApply_AgreesWithTheRule(t *testing.T) {
	app := testapp.New(t)
	addWideFixtures(t, app)
	var callers []*core.Record
	for _, name := range []string{"staff", "returnee_accounts"} {
		records, err := app.FindAllRecords(name)
		if err != nil {
			t.Fatal(err)
		}
		callers = append(callers, records...)
	}
	cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(col *core.Collection, info *core.RequestInfo, apply func(core.App, *core.RequestInfo, *core.Collection, *dbx.SelectQuery) error) []string {
		q := app.DB().Select("{{" + col.Name + "}}.[[id]]").From(col.Name).OrderBy("{{" + col.Name + "}}.[[id]]")
		if err := apply(app, info, col, q); err != nil {
			t.Fatalf("%s: %v", col.Name, err)
		}
		out := []string{}
		if err := q.Column(&out); err != nil {
			t.Fatalf("%s: %v", col.Name, err)
		}
		return out
	}
	checked := 0
	for _, col := range cols {
		if col.System || col.ListRule == nil || *col.ListRule == "" {
			continue
		}
		for _, who := range callers {
			info := &core.RequestInfo{Auth: who, Method: "GET", Context: core.RequestInfoContextDefault}
			got, want := ids(col, info, listrule.Apply), ids(col, info, listrule.ApplyUnspecialized)
			if !slices.Equal(got, want) {
				t.Errorf("%s as %s %s: specialized %v, rule %v (specialized rule %q)", col.Name, who.Collection().Name, who.Id,
					got, want, listrule.Specialize(app, col, *col.ListRule, who))
			}
			if paged := pagedIDs(t, app, info, col, 2); !slices.Equal(paged, want) {
				t.Errorf("%s as %s %s: paged %v, rule %v (branches %q)", col.Name, who.Collection().Name, who.Id,
					paged, want, listrule.Disjuncts(app, col, *col.ListRule, who))
			}
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d collection x caller pairs checked", checked)
	}
}

// workerAndReturnees returns a template clone, field worker A and the
// returnees collection, whose list rule the tests specialise for A.
func workerAndReturnees(t *testing.T) (core.App, *core.Record, *core.Collection) {
	t.Helper()
	app := testapp.New(t)
	returnees, err := app.FindCollectionByNameOrId("returnees")
	if err != nil {
		t.Fatal(err)
	}
	return app, testapp.Find(t, app, "staff", testapp.FieldWorkerA), returnees
}

func TestSpecialize(t *testing.T) {
	app, worker, returnees := workerAndReturnees(t)
	point := worker.GetString("reception_point")
	cases := []struct{ name, rule, want string }{
		{"the returnees rule keeps only the field worker's branch", *returnees.ListRule,
			`(((reception_point = "` + point + `") || (previous_point = "` + point + `")))`},
		{"a failed role check drops its branch", `@request.auth.role = "coordinator" && state = @request.auth.state`, "false"},
		{"a passed check disappears", `@request.auth.role = "field_worker" && @request.auth.collectionName = "staff"`, "true"},
		{"or of a decided branch", `a = 1 || @request.auth.id = "` + testapp.FieldWorkerA + `"`, "true"},
		{"precedence: && before ||", `@request.auth.role = "x" && a = 1 || b = 2`, "b = 2"},
		{"relation paths stay", `@request.auth.nodess.states ?= destination_state`, "@request.auth.nodess.states ?= destination_state"},
		{"macros are not modelled", `created > @now`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := listrule.Specialize(app, returnees, c.rule, worker); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	if got := listrule.Specialize(app, returnees, *returnees.ListRule, nil); got != "" {
		t.Errorf("guest: got %q, want the rule left as it is", got)
	}
}

// TestDisjuncts: a field worker's returnees rule splits into their two
// points, each a condition SQLite answers with an index range.
func TestDisjuncts(t *testing.T) {
	app, worker, returnees := workerAndReturnees(t)
	point := worker.GetString("reception_point")
	got := listrule.Disjuncts(app, returnees, *returnees.ListRule, worker)
	want := []string{`reception_point = "` + point + `"`, `previous_point = "` + point + `"`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, rule := range []string{`a = 1`, `a = 1 && b = 2`, `@request.auth.role = "coordinator" && a = 1`} {
		if got := listrule.Disjuncts(app, returnees, rule, worker); got != nil {
			t.Errorf("%s: got %q, want no branches", rule, got)
		}
	}
}
