package hooks_test

import (
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/hooks"
)

// TestReturnRefusals: every refusal of a return, of a change to what a
// person's returns decide, and of a phone that cannot be stored in E.164, through REST and through the batch API (the sync
// push: devicesync.TestPushRefusal_Returns).
func TestReturnRefusals(t *testing.T) {
	e := getEnv(t)
	tomorrow := time.Now().AddDate(0, 0, 1)
	body := func(id string, extra map[string]any) map[string]any {
		b := map[string]any{"id": id, "returnee": rA1, "reception_point": e.point["Tijuana"], "repatriation_date": "2026-11-30"}
		maps.Copy(b, extra)
		return b
	}
	refusals := []struct {
		name  string
		path  string // a create of returns when empty
		body  map[string]any
		field string
		code  string
	}{
		{name: "at another point", body: body("returnotherpt01", map[string]any{"reception_point": e.point["Matamoros"]}),
			field: "reception_point", code: "outside_scope"},
		{name: "repatriated tomorrow", body: body("returnfuture001", map[string]any{"repatriation_date": tomorrow.Format(time.DateOnly)}),
			field: "repatriation_date", code: "future_date"},
		{name: "registered tomorrow", body: body("returnfuture002", map[string]any{"registered_at": tomorrow.UTC().Format("2006-01-02 15:04:05.000Z")}),
			field: "registered_at", code: "future_date"},
		{name: "registered before the return", body: body("returnbefore001", map[string]any{"registered_at": "2026-11-29 12:00:00.000Z"}),
			field: "registered_at", code: "before_repatriation"},
		{name: "without a date", body: body("returnnodate001", map[string]any{"repatriation_date": ""}),
			field: "repatriation_date", code: "validation_required"},
		{name: "of a person of another point", body: body("returnhidden001", map[string]any{"returnee": rB1}),
			field: "returnee", code: "validation_missing_rel_records"},
		{name: "moving the person's date", path: "/api/collections/returnees/records/" + rA1, body: map[string]any{"repatriation_date": "2026-11-25"},
			field: "repatriation_date", code: "set_by_returns"},
		{name: "a phone without its area code", path: "/api/collections/returnees/records/" + rA1, body: map[string]any{"phone": "1234567"},
			field: "phone", code: "phone_e164"},
		{name: "setting the previous point", path: "/api/collections/returnees/records/" + rA1, body: map[string]any{"previous_point": e.point["Matamoros"]},
			field: "previous_point", code: "not_editable"},
	}
	enableBatch := func(t testing.TB, app *tests.TestApp) { app.Settings().Batch.Enabled = true }
	for _, r := range refusals {
		method, path, o := http.MethodPatch, r.path, update("returnees", rA1, j(r.body))
		if r.path == "" {
			method, path = http.MethodPost, "/api/collections/returns/records"
			o = create("returns", r.body["id"].(string), j(r.body))
		}
		call{name: "REST: " + r.name, who: fieldWorkerA, op: o, want: fieldError(r.field, r.code)}.run(t, e)
		batch := op{name: "batch", method: http.MethodPost, path: "/api/batch",
			body: j(map[string]any{"requests": []map[string]any{{"method": method, "url": path, "body": r.body}}})}
		call{name: "batch: " + r.name, who: fieldWorkerA, op: batch, before: enableBatch, want: badRequest("Batch transaction failed."),
			content: []string{`"` + r.field + `":{"code":"` + r.code + `"`}}.run(t, e)
	}

	// a good return at the worker's own point: allowed, and the person's
	// date follows it
	good := body("returngood00001", map[string]any{"registered_at": "2026-11-30 18:00:00.000Z", "services": []string{"food"}})
	call{name: "REST: a good return", who: fieldWorkerA, op: create("returns", "returngood00001", j(good)), want: allowed,
		after: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			p, err := app.FindRecordById("returnees", rA1)
			if err != nil || p.GetString("repatriation_date") != "2026-11-30" || p.GetString("reception_point") != e.point["Tijuana"] {
				t.Errorf("A1 after a new return: %v %v", p, err)
			}
		}}.run(t, e)
}

func TestNormalizePhone(t *testing.T) {
	for typed, want := range map[string]string{
		"664 123 4567": "+526641234567", "(664) 123-45-67": "+526641234567", "+52 664 123 4567": "+526641234567",
		"526641234567": "+526641234567", "0052 664 123 4567": "+526641234567", "1 619 555 0101": "+16195550101",
		"+1 (619) 555-0101": "+16195550101", "+502 2345 6789": "+50223456789",
		"1234567": "", "12ab": "", "+0 664": "", "+": "", "664123456": "", "+1234567890123456": "",
	} {
		got, ok := hooks.NormalizePhone(typed)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", typed, got, ok, want)
		}
	}
}
