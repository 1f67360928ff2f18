package listrule_test

import (
	"os"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testapp.RemoveTemplate()
	os.Exit(code)
}

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
	find := func(collection, id string) *core.Record {
		r, err := app.FindRecordById(collection, id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
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
