package hookorder_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	_ "github.com/pocketbase/pocketbase/migrations" // the system collections

	"github.com/retorno-mx/retorno/internal/hookorder"
)

// A Hook runs on the operations its method names, for the collections
// named, lower priorities first whatever the order of binding, and a Hook
// bound again with the same id replaces the first.
func TestHook_OperationsAndOrder(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	for _, name := range []string{"things", "others"} {
		if err := app.Save(core.NewBaseCollection(name)); err != nil {
			t.Fatal(err)
		}
	}

	var ran []string
	saw := func(what string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			ran = append(ran, what+" "+string(e.Type))
			return e.Next()
		}
	}
	hookorder.Hook{ID: "late", Priority: hookorder.Audit, Func: saw("late")}.OnWrite(app, "things")
	hookorder.Hook{ID: "early", Priority: hookorder.Revision, Func: saw("early")}.OnSave(app, "things")
	hookorder.Hook{ID: "replaced", Priority: hookorder.Seats, Func: saw("replaced")}.OnCreate(app, "things")
	hookorder.Hook{ID: "replaced", Priority: hookorder.Seats, Func: saw("first")}.OnCreate(app, "things")
	hookorder.Hook{ID: "updates", Priority: hookorder.Memo, Func: saw("updates")}.OnUpdate(app, "things")
	hookorder.Hook{ID: "deletes", Priority: hookorder.NoOp, Func: saw("deletes")}.OnDelete(app, "things")
	hookorder.Hook{ID: "elsewhere", Priority: hookorder.Audit, Func: saw("elsewhere")}.OnWrite(app, "others")

	col, err := app.FindCollectionByNameOrId("things")
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	for _, write := range []func(core.Model) error{app.Save, app.Save, app.Delete} {
		if err := write(r); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"first create", "early create", "late create",
		"early update", "late update", "updates update",
		"deletes delete", "late delete",
	}
	if !slices.Equal(ran, want) {
		t.Errorf("ran %q\nwant %q", ran, want)
	}
}
