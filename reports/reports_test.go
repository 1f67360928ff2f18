package reports_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/reports"
)

// demoApp is an app seeded with the demo data plus the extras of
// addExtras, built once: the report tests only read it, through srv.
// (apis.NewRouter binds a serve hook to the app each time it runs, so an app
// is served once.)
var (
	demoApp *tests.TestApp
	srv     *httptest.Server
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	testapp.RemoveTemplate()
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	empty, err := os.MkdirTemp("", "retorno_reports_")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(empty)
	app, err := testapp.NewMigrated(empty)
	if err != nil {
		return 1, err
	}
	defer app.Cleanup()
	// the tests call the reports from one address far faster than people do
	app.Settings().RateLimits.Enabled = false
	if _, err := demo.Seed(app, demo.Options{Seed: 4, Returnees: 400}); err != nil {
		return 1, fmt.Errorf("demo: %w", err)
	}
	if err := addExtras(app); err != nil {
		return 1, fmt.Errorf("extras: %w", err)
	}
	demoApp = app
	if srv, err = testapp.StartServer(app); err != nil {
		return 1, err
	}
	defer srv.Close()
	return m.Run(), nil
}

// addExtras adds what the demo lacks: returnees without a repatriation date
// or a birth state, a draft and a cancelled course, and reversals of a share
// purchase, a social fund payment and a loan repayment.
func addExtras(app core.App) error {
	people, err := app.FindRecordsByFilter("returnees", "", "id", 4, 0)
	if err != nil {
		return err
	}
	for i, p := range people {
		p.Set("repatriation_date", "")
		if i == 0 {
			p.Set("birth_state", "")
		}
		if err := app.Save(p); err != nil {
			return err
		}
	}

	courses, err := app.FindRecordsByFilter("training_courses", "status = 'open'", "id", 1, 0)
	if err != nil || len(courses) == 0 {
		return fmt.Errorf("an open course: %v", err)
	}
	for _, status := range []string{"draft", "cancelled"} {
		c := core.NewRecord(courses[0].Collection())
		for _, f := range []string{"nodess", "theme", "state", "modality", "starts_on"} {
			c.Set(f, courses[0].Get(f))
		}
		c.Set("title", "Curso "+status)
		c.Set("capacity", 15)
		c.Set("status", status)
		if err := app.Save(c); err != nil {
			return err
		}
	}

	// the savings rules refuse a reversal that would leave the loan fund
	// short at some meeting: try the latest entries until one is accepted
	for _, typ := range []string{"share_purchase", "social_fund", "loan_repayment"} {
		entries, err := app.FindRecordsByFilter("ledger_entries", "type = {:type}", "-meeting_date,id", 50, 0, map[string]any{"type": typ})
		if err != nil {
			return err
		}
		var errs []error
		for _, orig := range entries {
			r := core.NewRecord(orig.Collection())
			for _, f := range []string{"group", "member", "shares", "amount_cents", "meeting_date", "recorded_by"} {
				r.Set(f, orig.Get(f))
			}
			r.Set("type", "reversal")
			r.Set("reverses", orig.Id)
			r.Set("note", "Corrección: registro duplicado.")
			if err = app.Save(r); err == nil {
				break
			}
			errs = append(errs, err)
		}
		if err != nil || len(entries) == 0 {
			return fmt.Errorf("no %s could be reversed: %v", typ, errors.Join(errs...))
		}
	}
	return nil
}

// caller is who asks, with their token ("" for a guest).
type caller struct {
	name  string
	token string
}

// callers are every superuser, coordinator and NODESS staff member of the
// demo: the people reports are for.
func callers(t *testing.T) []caller {
	t.Helper()
	var out []caller
	sus, err := demoApp.FindAllRecords(core.CollectionNameSuperusers)
	if err != nil || len(sus) == 0 {
		t.Fatalf("superusers: %v", err)
	}
	out = append(out, caller{"superuser", testapp.RecordToken(t, sus[0])})
	staff, err := demoApp.FindRecordsByFilter("staff", "role = 'coordinator' || role = 'nodess_staff'", "email", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range staff {
		out = append(out, caller{s.GetString("role") + " " + s.Email(), testapp.RecordToken(t, s)})
	}
	return out
}

// firstOf returns a token of the first staff member with role.
func firstOf(t *testing.T, collection, filter string) string {
	t.Helper()
	r, err := demoApp.FindFirstRecordByFilter(collection, filter)
	if err != nil {
		t.Fatal(err)
	}
	return testapp.RecordToken(t, r)
}

func (c caller) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if c.token != "" {
		req.Header.Set("Authorization", c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// getJSON fetches path and decodes a 200 answer into v.
func (c caller) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	res, body := c.get(t, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s as %s: %d %s", path, c.name, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// list returns every record of collection that c can list through the REST
// API, page by page.
func (c caller) list(t *testing.T, collection string) []map[string]any {
	t.Helper()
	var all []map[string]any
	for page := 1; ; page++ {
		var res struct {
			Items      []map[string]any `json:"items"`
			TotalPages int              `json:"totalPages"`
		}
		q := url.Values{"page": {fmt.Sprint(page)}, "perPage": {"500"}, "sort": {"id"}}
		c.getJSON(t, "/api/collections/"+collection+"/records?"+q.Encode(), &res)
		all = append(all, res.Items...)
		if page >= res.TotalPages {
			return all
		}
	}
}

// rowOf returns the row of a state in rows, made by newRow on first use.
func rowOf[T any](rows map[string]*T, newRow func(state string) *T) func(state string) *T {
	return func(state string) *T {
		if rows[state] == nil {
			rows[state] = newRow(state)
		}
		return rows[state]
	}
}

// sameRows fails t unless the report's rows are exactly want, by state;
// who names the caller in the failures.
func sameRows[T comparable](t *testing.T, who string, got []T, want map[string]*T, state func(T) string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d", who, len(got), len(want))
	}
	for _, r := range got {
		if w := want[state(r)]; w == nil || r != *w {
			t.Errorf("%s: row\n got %+v\nwant %+v", who, r, w)
		}
	}
}

func str(r map[string]any, field string) string {
	s, _ := r[field].(string)
	return s
}

func num(r map[string]any, field string) int64 {
	f, _ := r[field].(float64)
	return int64(f)
}

func strs(r map[string]any, field string) []string {
	var out []string
	list, _ := r[field].([]any)
	for _, v := range list {
		s, _ := v.(string)
		out = append(out, s)
	}
	return out
}

func byID(records []map[string]any) map[string]map[string]any {
	out := make(map[string]map[string]any, len(records))
	for _, r := range records {
		out[str(r, "id")] = r
	}
	return out
}

// count adds one event of person (nil when the caller cannot list them) on
// the date at ("YYYY-MM-DD…") to b: the test's own reading of reports.Bands.
func count(b *reports.Bands, person map[string]any, at string) {
	switch str(person, "sex") {
	case "M":
		b.Women++
	case "H":
		b.Men++
	case "X":
		b.SexOther++
	default:
		b.SexUnknown++
	}
	birth := str(person, "birth_date")
	if len(birth) != 10 || len(at) < 10 {
		b.AgeUnknown++
		return
	}
	year := func(d string) int { n, _ := strconv.Atoi(d[:4]); return n }
	age := year(at) - year(birth)
	if at[5:10] < birth[5:10] {
		age--
	}
	switch {
	case age < 0:
		b.AgeUnknown++
	case age < 18:
		b.Age0To17++
	case age < 30:
		b.Age18To29++
	case age < 45:
		b.Age30To44++
	case age < 60:
		b.Age45To59++
	default:
		b.Age60Up++
	}
}
