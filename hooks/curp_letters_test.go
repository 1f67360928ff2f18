package hooks_test

// The CURP against the person (issue 12, part 4): its refusals and the
// worker's confirmation that the document says so are cases of
// TestStrictInput, on REST, batch and sync push. Here: the confirmation is
// audited, and a person stored before the check stays editable.

import (
	"errors"
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestCURPConfirmed_Audited(t *testing.T) {
	e := getEnv(t)
	someoneElse := withCheckDigit(t, "BEML850102HGRLNS0")
	for _, who := range []role{fieldWorkerA, superuser} {
		call{name: string(who) + " confirms a CURP of other names", who: who,
			op:   update("returnees", rA2, j(map[string]any{"curp": someoneElse, "curp_confirmed": true})),
			want: allowed,
			after: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				entry, err := app.FindFirstRecordByFilter("audit_log",
					`collection_name = "returnees" && record_id = {:id} && action = "update" && fields ~ "curp_confirmed"`,
					dbx.Params{"id": rA2})
				if err != nil {
					t.Fatalf("no audit entry of the confirmation: %v", err)
				}
				if got, want := entry.GetString("actor_id"), authRecordOf[who][1]; got != want {
					t.Errorf("audited actor %q, want %q", got, want)
				}
			}}.run(t, e)
	}
}

func TestCURPLetters_StoredRecordStaysEditable(t *testing.T) {
	app := testapp.New(t)
	person := testapp.Find(t, app, "returnees", rA2) // Juan García
	person.Set("curp", withCheckDigit(t, "BEML850102HGRLNS0"))
	if err := app.SaveNoValidate(person); err != nil { // stored before the check
		t.Fatal(err)
	}
	for _, step := range []struct {
		name   string
		fields map[string]any
		code   string // the error code on curp; "" for a write that passes
	}{
		{"an unrelated edit", map[string]any{"phone": "+526641234567"}, ""},
		{"a name edit", map[string]any{"given_names": "Juan Pablo"}, "name_mismatch"},
		{"a name edit, the document says so", map[string]any{"given_names": "Juan Pablo", "curp_confirmed": true}, ""},
		{"the confirmation taken back", map[string]any{"curp_confirmed": false}, "name_mismatch"},
	} {
		person := testapp.Find(t, app, "returnees", rA2)
		person.Load(step.fields)
		err := app.Save(person)
		var errs validation.Errors
		got := ""
		if errors.As(err, &errs) {
			if ve, ok := errs["curp"].(validation.Error); ok {
				got = ve.Code()
			}
		}
		if got != step.code || (step.code == "" && err != nil) {
			t.Errorf("%s: error %v, want %q on curp", step.name, err, step.code)
		}
	}
}
