package devicesync_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// windowCases are the cases of testdata/window_cases.json, which the web
// app's prune runs too (ui/src/sync/window.test.ts).
type windowCases struct {
	Days  int `json:"days"`
	Cases []struct {
		Name      string   `json:"name"`
		DaysAgo   *int     `json:"days_ago"`
		Referrals []string `json:"referrals"`
		Server    bool     `json:"server"`
	} `json:"cases"`
}

func loadWindowCases(t *testing.T) (cases windowCases) {
	t.Helper()
	raw, err := os.ReadFile("testdata/window_cases.json")
	if err == nil {
		err = json.Unmarshal(raw, &cases)
	}
	if err != nil || len(cases.Cases) == 0 {
		t.Fatalf("testdata/window_cases.json: %v", err)
	}
	return cases
}

// daysAgo is the calendar day n days before today (UTC, as the server
// counts the window).
func daysAgo(n int) string { return time.Now().UTC().AddDate(0, 0, -n).Format(time.DateOnly) }

// save writes a record of collection as a system write.
func save(t *testing.T, app core.App, collection string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Load(fields)
	if err := app.Save(r); err != nil {
		t.Fatalf("%s %v: %v", collection, fields["id"], err)
	}
	return r
}

// windowPerson saves a person of Tijuana last returned on date ("" for
// none), with a consent, and returns their id.
func windowPerson(t *testing.T, app core.App, n int, date string) string {
	t.Helper()
	id := fmt.Sprintf("winperson%06d", n)
	save(t, app, "returnees", map[string]any{"id": id, "given_names": "Persona", "first_surname": fmt.Sprintf("Ventana%d", n),
		"birth_date": "1980-01-01", "sex": "H", "destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point": pointID(app, "Tijuana"), "repatriation_date": date})
	save(t, app, "consents", map[string]any{"id": windowConsent(n), "returnee": id, "purpose": "share_nodess",
		"granted": true, "notice_version": "2026-01", "method": "verbal"})
	return id
}

// referral saves a referral of returnee to N1 that went through the
// statuses to status ("" and "pending" stay pending).
func referral(t *testing.T, app core.App, id, returnee, status string) {
	t.Helper()
	save(t, app, "referrals", map[string]any{"id": id, "returnee": returnee, "nodess": testapp.NodessN1, "service": "training"})
	advance(t, app, id, map[string][]string{"accepted": {"accepted"}, "attended": {"accepted", "attended"},
		"closed": {"accepted", "attended", "closed"}, "rejected": {"rejected"}}[status]...)
}

// advance moves referral id through the statuses, as a system write.
func advance(t *testing.T, app core.App, id string, statuses ...string) {
	t.Helper()
	for _, status := range statuses {
		r, err := app.FindRecordById("referrals", id)
		if err != nil {
			t.Fatal(err)
		}
		r.Set("status", status)
		r.Set("closed_reason", "other") // read only when it closes or rejects
		if err := app.Save(r); err != nil {
			t.Fatalf("referral %s to %s: %v", id, status, err)
		}
	}
}

// windowConsent is the id of the consent of windowPerson n.
func windowConsent(n int) string { return fmt.Sprintf("winconsent%05d", n) }

// pages pulls d from its cursor until has_more is false and returns the
// pages.
func (d *device) pages() []devicesync.PullResponse {
	d.t.Helper()
	var out []devicesync.PullResponse
	for range 1000 {
		page := d.page()
		out = append(out, page)
		d.cursor = page.Cursor
		if !page.HasMore {
			return out
		}
	}
	d.t.Fatal("pull did not end")
	return nil
}

// windowApp is a test app whose field devices hold a window of days, and
// its server.
func windowApp(t *testing.T, days int) (core.App, *httptest.Server) {
	t.Helper()
	app := testapp.New(t)
	if err := hooks.SetFieldWindowDays(app, days); err != nil {
		t.Fatal(err)
	}
	return app, testapp.Serve(t, app)
}

// A field worker's device holds the people of its point whose latest return
// is within the window or who have an open referral, with their records;
// the REST API still lists them all. Every page tells the window, and the
// first counts the people the sync will send.
func TestWindow_WhoIsInAndOut(t *testing.T) {
	cases := loadWindowCases(t)
	app, srv := windowApp(t, cases.Days)
	want := map[string]bool{}
	names, consents := map[string]string{}, map[string]string{}
	for i, c := range cases.Cases {
		date := ""
		if c.DaysAgo != nil {
			date = daysAgo(*c.DaysAgo)
		}
		id := windowPerson(t, app, i, date)
		for j, status := range c.Referrals {
			referral(t, app, fmt.Sprintf("winref%04d%05d", i, j), id, status)
		}
		want[id], names[id], consents[id] = c.Server, c.Name, windowConsent(i)
	}
	// a recent person of another point is out of the scope, window or not
	save(t, app, "returnees", map[string]any{"id": "winmatamoros001", "given_names": "Otra", "first_surname": "Persona",
		"birth_date": "1980-01-01", "sex": "M", "destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point": pointID(app, "Matamoros"), "repatriation_date": daysAgo(1)})

	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-window-1")
	pages := d.pages()
	var changes []devicesync.Change
	for i, p := range pages {
		if p.Window == nil || p.Window.Days != cases.Days || p.Window.Since != daysAgo(cases.Days) {
			t.Errorf("page %d: window %+v, want %d days since %s", i, p.Window, cases.Days, daysAgo(cases.Days))
		}
		changes = append(changes, p.Changes...)
	}
	got := ops(changes)
	for id, in := range want {
		if _, held := got["returnees/"+id]; held != in {
			t.Errorf("%s: sent %v, want %v", names[id], held, in)
		}
		if _, held := got["consents/"+consents[id]]; held != in {
			t.Errorf("%s: their consent sent %v, want %v", names[id], held, in)
		}
	}
	if _, held := got["returnees/winmatamoros001"]; held {
		t.Error("a person of another point was sent")
	}
	people := 0
	for key := range got {
		if strings.HasPrefix(key, "returnees/") {
			people++
		}
	}
	if n := pages[0].Estimate["returnees"]; n != people {
		t.Errorf("first page's estimate %d, the sync sent %d people", n, people)
	}
	if len(pages) > 1 && pages[1].Estimate != nil {
		t.Errorf("a later page carries an estimate: %v", pages[1].Estimate)
	}
	rest := d.restIDs("returnees")
	for id := range want {
		if !rest[id] {
			t.Errorf("%s: the REST API no longer lists them", names[id])
		}
	}

	// a device of another role holds its whole scope: no window
	n := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-window-1")
	if p := n.pages(); p[0].Window != nil {
		t.Errorf("a NODESS device got a window: %+v", p[0].Window)
	}
}

// The window's pages are index ranges: each branch of the point's people
// walks its (point, id) index and tests the window on the rows it meets
// (the open referral through the referrals' (status, returnee) index); the
// records about people are read through their returnee index from the set
// of the window's people, itself ranges of (point, repatriation_date) and
// (status, returnee); nothing scans a table. The count of the first page
// reads the same ranges.
func TestWindow_PagesAreIndexRanges(t *testing.T) {
	app, srv := windowApp(t, 180)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-window-plan")
	logged := testapp.Queries(t, app, func() { d.pages() })
	people, children := 0, 0
	for _, query := range logged {
		if !strings.Contains(query, "wr") || strings.Contains(query, "_sync_log") {
			continue // not a query of the window
		}
		plan := testapp.QueryPlan(t, app, query)
		text := strings.Join(plan, "\n")
		for _, step := range plan {
			if strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN (subquery") {
				t.Errorf("step %q scans\nquery %s\nplan %s", step, query, text)
			}
		}
		if !strings.Contains(text, "SEARCH wr USING COVERING INDEX idx_referrals_status (status=?") {
			t.Errorf("the open referral is not an index search\nquery %s\nplan %s", query, text)
		}
		if strings.HasPrefix(query, "SELECT DISTINCT `returnees`.*") ||
			strings.HasPrefix(query, "SELECT DISTINCT {{returnees}}.[[id]]") { // a branch's page of ids
			people++
			if !slices.ContainsFunc(plan, func(s string) bool {
				return s == "SEARCH returnees USING INDEX idx_returnees_point_id (reception_point=? AND id>?)" ||
					s == "SEARCH returnees USING INDEX idx_returnees_previous_point_id (previous_point=? AND id>?)"
			}) {
				t.Errorf("a page of people is not a range of a point's index\nquery %s\nplan %s", query, text)
			}
		} else if !strings.HasPrefix(query, "SELECT COUNT(*)") {
			children++
			if !strings.Contains(text, "SEARCH returnees USING INDEX idx_returnees_point_returned (reception_point=? AND repatriation_date>?)") {
				t.Errorf("the window's people are not a range of (point, repatriation_date)\nquery %s\nplan %s", query, text)
			}
		}
	}
	if people < 2 || children == 0 {
		t.Errorf("%d queries of people (want both branches), %d of their records", people, children)
	}
}

// A person outside the window returned again at the point comes back to
// its devices with their records (touch rows of the window's read of
// repatriation_date); a write on a person outside the window evicts them
// from a device that still holds them, as does a referral that closes.
func TestWindow_EnterByAReturnLeaveByAWrite(t *testing.T) {
	app, srv := windowApp(t, 180)
	old := windowPerson(t, app, 1, daysAgo(400))
	addReturn(t, app, "winoldreturn001", old, "Tijuana", daysAgo(400))
	referred := windowPerson(t, app, 2, daysAgo(400))
	referral(t, app, "winreferral0001", referred, "accepted")

	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-window-2")
	r := d.pulled()
	if r["returnees"][old] != nil || r["returns"]["winoldreturn001"] != nil {
		t.Fatal("the old person was sent")
	}
	if r["returnees"][referred] == nil || r["referrals"]["winreferral0001"] == nil {
		t.Fatal("the person with an accepted referral was not sent")
	}

	addReturn(t, app, "winnewreturn001", old, "Tijuana", daysAgo(0))
	changes := d.pullInto(r)
	wantOps(t, "after a new return", changes, "put",
		[]string{"returnees/" + old, "consents/" + windowConsent(1), "returns/winoldreturn001", "returns/winnewreturn001"})

	// the referral closes: it is evicted (the person is outside the window
	// now, and the device prunes them by the window's first day)
	advance(t, app, "winreferral0001", "attended", "closed")
	wantOps(t, "after the referral closed", d.pullInto(r), "evict", []string{"referrals/winreferral0001"})

	// a write on a person outside the window evicts them
	testapp.Update(t, app, "returnees", referred, map[string]any{"phone": "+526641112233"})
	wantOps(t, "after a write outside the window", d.pullInto(r), "evict", []string{"returnees/" + referred})
}

// The window's length is part of the scope: changing it resets the devices,
// which then pull the new window.
func TestWindow_NewLengthResets(t *testing.T) {
	app, srv := windowApp(t, 180)
	old := windowPerson(t, app, 1, daysAgo(300))
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-window-3")
	if r := d.pulled(); r["returnees"][old] != nil {
		t.Fatal("a person returned 300 days ago is in a window of 180")
	}
	if err := hooks.SetFieldWindowDays(app, 365); err != nil {
		t.Fatal(err)
	}
	changes, reset := d.pullAll()
	if !reset || ops(changes)["returnees/"+old].Op != "put" {
		t.Errorf("after a window of 365 days: reset %v, person %v", reset, ops(changes)["returnees/"+old])
	}
}

// The window's two forms say the same of every record: Where, which an
// initial sync pages with, and Holds, which a pull judges the log's rows
// with, admit the same records of every synced collection under the field
// worker's rule (the window's people, recent, old and referred, and the
// records about them; the people of other points the rule leaves out).
func TestWindow_WhereAndHoldsAgree(t *testing.T) {
	cases := loadWindowCases(t)
	app, _ := windowApp(t, cases.Days)
	for i, c := range cases.Cases {
		date := ""
		if c.DaysAgo != nil {
			date = daysAgo(*c.DaysAgo)
		}
		id := windowPerson(t, app, i, date)
		addReturn(t, app, fmt.Sprintf("winret%09d", i), id, "Tijuana", date)
		for j, status := range c.Referrals {
			referral(t, app, fmt.Sprintf("winref%04d%05d", i, j), id, status)
		}
	}
	save(t, app, "returnees", map[string]any{"id": "winmatamoros002", "given_names": "Otra", "first_surname": "Persona",
		"birth_date": "1980-01-01", "sex": "M", "destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point": pointID(app, "Matamoros"), "repatriation_date": daysAgo(1)})
	addReturn(t, app, "winmatreturn002", "winmatamoros002", "Matamoros", daysAgo(1))
	auth, err := app.FindRecordById("staff", testapp.FieldWorkerA)
	if err != nil {
		t.Fatal(err)
	}
	w, err := hooks.SyncConfig.Window(app, auth, time.Now())
	if err != nil || w == nil || w.Holds == nil {
		t.Fatalf("no window of two forms for a field worker: %v, %v", w, err)
	}
	info := &core.RequestInfo{Auth: auth}
	admitted := func(col *core.Collection, cond dbx.Expression) []string {
		query := app.RecordQuery(col).Select(col.Name + ".id").AndWhere(cond)
		if err := listrule.Apply(app, info, col, query); err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := query.OrderBy(col.Name + ".id").Column(&ids); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	narrowed := 0
	for _, name := range syncedCollections {
		where := w.Where(name)
		if where == nil {
			if w.Holds(name) != nil {
				t.Errorf("%s: Holds narrows what Where does not", name)
			}
			continue
		}
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			t.Fatal(err)
		}
		byWhere, byHolds := admitted(col, where), admitted(col, w.Holds(name))
		if !slices.Equal(byWhere, byHolds) {
			t.Errorf("%s: Where admits %v, Holds %v", name, byWhere, byHolds)
		}
		if slices.Contains(byHolds, "winmatamoros002") || slices.Contains(byHolds, "winmatreturn002") {
			t.Errorf("%s: a person of Matamoros is in Tijuana's window", name)
		}
		if len(byWhere) > 0 {
			narrowed++
		}
	}
	if narrowed < 3 {
		t.Errorf("only %d collections with records in the window: the test compares too little", narrowed)
	}
}
