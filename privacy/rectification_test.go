package privacy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// request is A1's request to rectify field to value, stored as the fixture
// account asked it (setup of a decision).
func request(field, value string) func(core.App) {
	return func(app core.App) {
		col, _ := app.FindCachedCollectionByNameOrId(catalog.RectificationReqs)
		r := core.NewRecord(col)
		r.Id = "rectifya1000001"
		r.Set("returnee", testapp.ReturneeA1)
		r.Set("field", field)
		r.Set("requested_value", value)
		r.Set("reason", "Así dice mi acta de nacimiento")
		if err := app.Save(r); err != nil {
			panic(err)
		}
	}
}

// A returnee's requests: refused with a clear code for a field they edit
// themselves, a field that cannot be rectified, another person, or the value
// already stored, on every path, with nothing saved; a good one is stored
// with the current value beside it.
func TestRectification_Request(t *testing.T) {
	cases := []struct {
		name, as string
		fields   map[string]any
		want     string // a code, or "" for stored
	}{
		{"a field they edit", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "phone", "requested_value": "+527440000000"}, "field_self_editable"},
		{"an unknown field", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "reception_point", "requested_value": "x"}, "unknown_field"},
		{"the stored value", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "first_surname", "requested_value": "Pérez"}, "same_value"},
		{"a bad CURP", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "curp", "requested_value": "PELM900517MGRRPR09"}, "invalid_check_digit"},
		{"a date that is none", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "birth_date", "requested_value": "1990-02-30"}, "invalid_date"},
		{"someone else", testapp.AccountB1, map[string]any{"returnee": testapp.ReturneeA1, "field": "given_names", "requested_value": "María"}, "fail"},
		{"a good one", testapp.AccountA1, map[string]any{"returnee": testapp.ReturneeA1, "field": "given_names", "requested_value": "María Josefa", "reason": "Así dice mi acta"}, ""},
	}
	for _, c := range cases {
		for _, way := range testapp.Paths {
			t.Run(c.name+" by "+string(way), func(t *testing.T) {
				app, answer := write(t, way, nil, catalog.ReturneeAccounts, c.as, "create", catalog.RectificationReqs, "rectifya1000001", c.fields)
				stored, err := app.FindRecordById(catalog.RectificationReqs, "rectifya1000001")
				switch {
				case c.want == "" && err != nil:
					t.Fatalf("not stored: %s", answer)
				case c.want == "" && stored.GetString("current_value") != "María José":
					t.Errorf("current value %q", stored.GetString("current_value"))
				case c.want != "" && err == nil:
					t.Fatalf("stored: %s", answer)
				case c.want != "" && c.want != "fail" && !strings.Contains(answer, c.want):
					t.Errorf("want %s: %s", c.want, answer)
				}
			})
		}
	}
}

// Decisions: the person's field worker approves and the person changes in
// the same write, audited; a decline needs a reason; an approval that breaks
// a rule of the person is refused with that rule's code and changes
// nothing; a field worker of another point reads it as missing; a returnee
// cannot decide their own.
func TestRectification_Decision(t *testing.T) {
	cases := []struct {
		name, setField, setValue, as string
		fields                       map[string]any
		want                         string // a code, "" for applied
		personField, personValue     string // the person afterwards
	}{
		{"approved", "given_names", "María Josefa", testapp.FieldWorkerA, map[string]any{"status": "approved"}, "", "given_names", "María Josefa"},
		{"approved by the coordinator", "second_surname", "López Ibarra", testapp.CoordBC, map[string]any{"status": "approved"}, "", "second_surname", "López Ibarra"},
		{"declined without a reason", "given_names", "María Josefa", testapp.FieldWorkerA, map[string]any{"status": "declined"}, "reason_required", "given_names", "María José"},
		{"a CURP of another birth date", "curp", curp.Build("Pérez", "López", "María José", time.Date(1990, 5, 18, 0, 0, 0, 0, time.UTC), "M", "GR", '0'), testapp.FieldWorkerA, map[string]any{"status": "approved"}, "birth_date_mismatch", "curp", ""},
		{"by another point", "given_names", "María Josefa", testapp.FieldWorkerB, map[string]any{"status": "approved"}, "fail", "given_names", "María José"},
	}
	for _, c := range cases {
		for _, way := range testapp.Paths {
			t.Run(c.name+" by "+string(way), func(t *testing.T) {
				app, answer := write(t, way, request(c.setField, c.setValue), catalog.Staff, c.as, "update", catalog.RectificationReqs, "rectifya1000001", c.fields)
				r, _ := app.FindRecordById(catalog.RectificationReqs, "rectifya1000001")
				person, _ := app.FindRecordById(catalog.Returnees, testapp.ReturneeA1)
				if got := person.GetString(c.personField); got != c.personValue {
					t.Errorf("person's %s = %q, want %q (%s)", c.personField, got, c.personValue, answer)
				}
				if c.want == "" {
					if r.GetString("status") != "approved" || r.GetString("decided_by") != c.as || r.GetString("decided_at") == "" {
						t.Errorf("request: %v (%s)", r.PublicExport(), answer)
					}
					var n int
					_ = app.DB().NewQuery("SELECT count(*) FROM audit_log WHERE action = 'rectify' AND record_id = {:p}").
						Bind(map[string]any{"p": testapp.ReturneeA1}).Row(&n)
					if n != 1 {
						t.Errorf("rectify audit entries: %d", n)
					}
					return
				}
				if r.GetString("status") != "requested" {
					t.Errorf("the request changed: %v", r.PublicExport())
				}
				if c.want != "fail" && !strings.Contains(answer, c.want) {
					t.Errorf("want %s: %s", c.want, answer)
				}
			})
		}
	}
}
