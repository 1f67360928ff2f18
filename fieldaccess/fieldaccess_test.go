package fieldaccess_test

// Least privilege on reads (issue 15, part 3): each role receives only the
// fields of a person that catalog.Withheld leaves it, on the REST API (view,
// list, expand), the sync pull and realtime; it cannot filter, sort or
// expand by what it does not receive; staff reads of people are audited.

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/fieldaccess"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// person gives ReturneeA1 (shares her data with NODESS N1) a CURP, a birth
// state and a health need with its consent, and returns her CURP.
func person(t testing.TB, app core.App) string {
	t.Helper()
	testapp.Save(t, app, "consents", map[string]any{"returnee": testapp.ReturneeA1, "purpose": "sensitive_data", "granted": true,
		"notice_version": "2026-01", "method": "verbal", "collected_by": testapp.FieldWorkerA})
	p := testapp.Find(t, app, "returnees", testapp.ReturneeA1)
	born, _ := time.Parse(time.DateOnly, p.GetString("birth_date"))
	c := curp.Build(p.GetString("first_surname"), p.GetString("second_surname"), p.GetString("given_names"), born, p.GetString("sex"), "GR", '0')
	p.Set("curp", c)
	p.Set("curp_confirmed", true)
	p.Set("needs", []string{"employment", "health"})
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	return c
}

// who is a role of the tests: its auth record and what it must receive of
// ReturneeA1.
type who struct {
	name, collection, id     string
	curp, birthState, health bool
	pulls                    bool // its devices pull people
}

var roles = []who{
	{"field worker", "staff", testapp.FieldWorkerA, true, true, true, true},
	{"NODESS staff", "staff", testapp.NodessStaff1, false, false, false, true},
	{"coordinator", "staff", testapp.CoordBC, true, true, false, false},
	{"the person", "returnee_accounts", testapp.AccountA1, true, true, true, true},
}

// check asserts what a record's JSON (one person) holds for w.
func (w who) check(t testing.TB, path string, raw []byte, curpValue string) {
	t.Helper()
	var rec map[string]any
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatalf("%s, %s: %v: %s", w.name, path, err, raw)
	}
	_, hasBirth := rec["birth_state"]
	needs, _ := json.Marshal(rec["needs"])
	for _, c := range []struct {
		what      string
		got, want bool
	}{
		{"the CURP", rec["curp"] == curpValue, w.curp},
		{"the CURP's confirmation", rec["curp_confirmed"] != nil, w.curp},
		{"the birth state", hasBirth, w.birthState},
		{"the health need", strings.Contains(string(needs), "health"), w.health},
		{"the employment need", strings.Contains(string(needs), "employment"), true},
		{"the phone (she shares her data with NODESS)", rec["phone"] == "+527441234567", true},
		{"her names", rec["given_names"] == "María José", true},
	} {
		if c.got != c.want {
			t.Errorf("%s, %s: receives %s: %v, want %v (%s)", w.name, path, c.what, c.got, c.want, raw)
		}
	}
}

func TestRead_WhatEachRoleReceives(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := person(t, app)
	for _, w := range roles {
		token := testapp.Token(t, app, w.collection, w.id)
		status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/collections/returnees/records/"+testapp.ReturneeA1, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: view: %d %s", w.name, status, body)
		}
		w.check(t, "REST view", body, c)

		status, body = testapp.Request(t, srv.URL, token, http.MethodGet,
			"/api/collections/returnees/records?filter="+url.QueryEscape(`id = "`+testapp.ReturneeA1+`"`), nil)
		var list struct{ Items []json.RawMessage }
		if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil || len(list.Items) != 1 {
			t.Fatalf("%s: list: %d %s", w.name, status, body)
		}
		w.check(t, "REST list", list.Items[0], c)

		if w.pulls {
			w.check(t, "sync pull", pulled(t, srv.URL, token, "returnees", testapp.ReturneeA1), c)
		}
	}
}

// pullPage is one page of a sync pull.
type pullPage struct {
	Changes []struct {
		Op, Collection string
		RecordID       string `json:"record_id"`
		Record         json.RawMessage
	}
	Cursor  string
	HasMore bool `json:"has_more"`
}

// pullFrom pulls as token's device client from cursor until has_more is
// false, and returns the pages' bodies and the last cursor.
func pullFrom(t testing.TB, base, token, client, cursor string) (bodies []string, next string) {
	t.Helper()
	for range 100 {
		q := url.Values{"client_id": {client}, "limit": {"200"}, "cursor": {cursor}}
		status, body := testapp.Request(t, base, token, http.MethodGet, "/api/sync/pull?"+q.Encode(), nil)
		var page pullPage
		if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil {
			t.Fatalf("pull: %d %s", status, body)
		}
		bodies = append(bodies, string(body))
		if cursor = page.Cursor; !page.HasMore {
			return bodies, cursor
		}
	}
	t.Fatal("the pull did not end")
	return nil, ""
}

// pulled is the record of collection/id in a whole pull by token's user.
func pulled(t testing.TB, base, token, collection, id string) json.RawMessage {
	t.Helper()
	bodies, _ := pullFrom(t, base, token, "fieldaccess-test", "")
	var found json.RawMessage
	for _, body := range bodies {
		var page pullPage
		json.Unmarshal([]byte(body), &page)
		for _, ch := range page.Changes {
			if ch.Collection == collection && ch.RecordID == id && ch.Op == "put" {
				found = ch.Record
			}
		}
	}
	if found == nil {
		t.Fatalf("%s/%s not pulled", collection, id)
	}
	return found
}

// A NODESS device never holds a CURP: not after its initial sync, nor after
// the person's CURP changes (a put from the change log).
func TestRead_NodessDeviceNeverHoldsACURP(t *testing.T) {
	app, srv := testapp.NewServed(t)
	first := person(t, app)
	token := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	all, cursor := "", ""
	pull := func() {
		var bodies []string
		bodies, cursor = pullFrom(t, srv.URL, token, "nodess-device-1", cursor)
		all += strings.Join(bodies, "\n")
	}
	pull()
	p := testapp.Find(t, app, "returnees", testapp.ReturneeA1)
	p.Set("curp", "")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	born, _ := time.Parse(time.DateOnly, p.GetString("birth_date"))
	second := curp.Build(p.GetString("first_surname"), p.GetString("second_surname"), p.GetString("given_names"), born, "M", "GR", '1')
	p.Set("curp", second)
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	pull()
	if !strings.Contains(all, testapp.ReturneeA1) {
		t.Fatal("the NODESS pulled nothing of A1")
	}
	for _, field := range []string{`"curp"`, `"curp_confirmed"`, `"birth_state"`, `"health"`, first, second} {
		if strings.Contains(all, field) {
			t.Errorf("the NODESS device received %s", field)
		}
	}
}

// An expand through a withheld relation is left out, as PocketBase leaves
// out one it cannot make; a person expanded from another record is hidden
// as when read directly.
func TestRead_Expand(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := person(t, app)
	token := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	status, body := testapp.Request(t, srv.URL, token, http.MethodGet,
		"/api/collections/referrals/records/"+testapp.ReferralA1+"?expand="+url.QueryEscape("returnee,returnee.birth_state,returnee.reception_point"), nil)
	if status != http.StatusOK {
		t.Fatalf("referral: %d %s", status, body)
	}
	var ref struct {
		Expand struct{ Returnee json.RawMessage }
	}
	if err := json.Unmarshal(body, &ref); err != nil || ref.Expand.Returnee == nil {
		t.Fatalf("no expanded returnee: %s", body)
	}
	roles[1].check(t, "expanded from a referral", ref.Expand.Returnee, c)
	if strings.Contains(string(body), `"expand":{"birth_state"`) || strings.Contains(string(body), "Tijuana") {
		t.Errorf("an expand through a withheld relation: %s", body)
	}

	status, body = testapp.Request(t, srv.URL, token, http.MethodGet, "/api/collections/returnees/records/"+testapp.ReturneeA1+"?expand=birth_state,destination_state", nil)
	if status != http.StatusOK || strings.Contains(string(body), `"birth_state"`) || !strings.Contains(string(body), `"destination_state":{`) {
		t.Errorf("view with expand: %d %s", status, body)
	}
	// the pull takes no expand either
	status, body = testapp.Request(t, srv.URL, token, http.MethodGet, "/api/sync/pull?client_id=nodess-expand-1&expand=birth_state", nil)
	if status != http.StatusOK || strings.Contains(string(body), `"birth_state"`) {
		t.Errorf("pull with expand: %d %s", status, body)
	}
}

// A filter or sort on a field withheld from the caller answers exactly as one
// on a field that does not exist, through any path to it.
func TestRead_FilterProbingRefused(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := person(t, app)
	nodess := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	coordinator := testapp.Token(t, app, "staff", testapp.CoordBC)
	list := func(token, collection, query string) (int, string) {
		status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/collections/"+collection+"/records?"+query, nil)
		return status, string(body)
	}
	filter := func(f string) string { return "filter=" + url.QueryEscape(f) }
	_, missing := list(nodess, "returnees", filter(`nosuchfield = "x"`))
	_, missingSort := list(nodess, "returnees", "sort=nosuchfield")
	if missing != missingSort {
		t.Fatalf("PocketBase answers a missing field in a filter %s and in a sort %s", missing, missingSort)
	}

	for _, p := range []struct {
		token, who, collection, query string
	}{
		{nodess, "NODESS", "returnees", filter(`curp = "` + c + `"`)},
		{nodess, "NODESS", "returnees", filter(`curp ~ "PE"`)},
		{nodess, "NODESS", "returnees", filter(`curp_confirmed = true`)},
		{nodess, "NODESS", "returnees", filter(`birth_state.curp_code = "GR"`)},
		{nodess, "NODESS", "returnees", filter(`birth_state = "x"`)},
		{nodess, "NODESS", "returnees", filter(`reception_point.city = "Tijuana"`)},
		{nodess, "NODESS", "returnees", filter(`needs ~ "health"`)},
		{nodess, "NODESS", "returnees", filter(`needs:each = "psychosocial"`)},
		{nodess, "NODESS", "returnees", filter(`phone ~ "744"`)},
		{nodess, "NODESS", "returnees", filter(`given_names != "" && (curp = "x" || sex = "M")`)},
		{nodess, "NODESS", "referrals", filter(`returnee.curp = "` + c + `"`)},
		{nodess, "NODESS", "outcomes", filter(`returnee.birth_state.name = "Guerrero"`)},
		{nodess, "NODESS", "states", filter(`returnees_via_birth_state.id = "` + testapp.ReturneeA1 + `"`)},
		{nodess, "NODESS", "training_courses", filter(`@collection.returnees.curp = "` + c + `"`)},
		{nodess, "NODESS", "training_courses", filter(`@collection.returnees:p.curp = "` + c + `"`)},
		{nodess, "NODESS", "returnees", "sort=curp"},
		{nodess, "NODESS", "returnees", "sort=-created,-birth_state"},
		{coordinator, "coordinator", "returnees", filter(`needs ~ "health"`)},
		{coordinator, "coordinator", "returns", filter(`needs ?= "psychosocial"`)},
		{coordinator, "coordinator", "returnees", "sort=needs"},
	} {
		if status, body := list(p.token, p.collection, p.query); status != http.StatusBadRequest || body != missing {
			t.Errorf("%s lists %s?%s: %d %s, want the answer to a missing field", p.who, p.collection, p.query, status, body)
		}
	}

	for _, p := range []struct {
		token, who, collection, query string
	}{
		{nodess, "NODESS", "returnees", filter(`given_names ~ "María" && destination_state != ""`)},
		{nodess, "NODESS", "returnees", "sort=-repatriation_date,first_surname"},
		{nodess, "NODESS", "referrals", filter(`returnee.given_names ~ "María"`)},
		{coordinator, "coordinator", "returnees", filter(`curp ~ "` + c[:6] + `" || phone ~ "744"`)},
		{coordinator, "coordinator", "returnees", "sort=-repatriation_date,first_surname"},
	} {
		if status, body := list(p.token, p.collection, p.query); status != http.StatusOK || !strings.Contains(body, testapp.ReturneeA1) {
			t.Errorf("control: %s lists %s?%s: %d %s", p.who, p.collection, p.query, status, body)
		}
	}

	// exports: the same refusal as for a missing field
	_, missingExport := testapp.Request(t, srv.URL, nodess, http.MethodGet, "/api/exports/returnees?filter="+url.QueryEscape(`nosuchfield = "x"`), nil)
	status, body := testapp.Request(t, srv.URL, nodess, http.MethodGet, "/api/exports/returnees?filter="+url.QueryEscape(`curp = "`+c+`"`), nil)
	if status != http.StatusBadRequest || string(body) != string(missingExport) || !strings.Contains(string(body), "invalid_filter") {
		t.Errorf("export by CURP: %d %s, want %s", status, body, missingExport)
	}
}

// realtime is a connected realtime client.
type realtime struct {
	events chan string
	close  func()
}

// connect opens the realtime stream as token's user and subscribes to subs.
func connect(t *testing.T, base, token string, subs ...string) *realtime {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/realtime", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rt := &realtime{events: make(chan string, 16), close: func() { resp.Body.Close() }}
	t.Cleanup(rt.close)
	go func() {
		r := bufio.NewReader(resp.Body)
		data := ""
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(rt.events)
				return
			}
			switch line = strings.TrimRight(line, "\r\n"); {
			case strings.HasPrefix(line, "data:"):
				data += strings.TrimPrefix(line, "data:")
			case line == "" && data != "":
				rt.events <- data
				data = ""
			}
		}
	}()
	var hello struct{ ClientID string }
	if err := json.Unmarshal([]byte(rt.next(t, 5*time.Second)), &hello); err != nil || hello.ClientID == "" {
		t.Fatalf("realtime connect: %v", err)
	}
	status, body := testapp.Request(t, base, token, http.MethodPost, "/api/realtime", map[string]any{"clientId": hello.ClientID, "subscriptions": subs})
	if status != http.StatusNoContent {
		t.Fatalf("subscribe: %d %s", status, body)
	}
	return rt
}

// next is the next event, or "" after wait.
func (rt *realtime) next(t *testing.T, wait time.Duration) string {
	t.Helper()
	select {
	case e, ok := <-rt.events:
		if !ok {
			t.Fatal("realtime closed")
		}
		return e
	case <-time.After(wait):
		return ""
	}
}

// Realtime events carry a person as the REST API would show them, and a
// subscription filtered by a withheld field never fires.
func TestRead_Realtime(t *testing.T) {
	app, srv := testapp.NewServed(t)
	c := person(t, app)
	token := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	probe := "returnees/*?options=" + url.QueryEscape(`{"query":{"filter":"curp = '`+c+`'"}}`)
	all := connect(t, srv.URL, token, "returnees/*")
	probing := connect(t, srv.URL, token, probe)
	expanding := connect(t, srv.URL, token, "returnees/"+testapp.ReturneeA1+"?options="+url.QueryEscape(`{"query":{"expand":"birth_state,destination_state"}}`))

	p := testapp.Find(t, app, "returnees", testapp.ReturneeA1)
	p.Set("skills", "cosecha, cocina, costura")
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	var ev struct{ Record json.RawMessage }
	e := all.next(t, 5*time.Second)
	if err := json.Unmarshal([]byte(e), &ev); err != nil || ev.Record == nil {
		t.Fatalf("no realtime event: %q", e)
	}
	roles[1].check(t, "realtime", ev.Record, c)
	e = expanding.next(t, 5*time.Second)
	if !strings.Contains(e, `"destination_state":{`) || strings.Contains(e, `"birth_state"`) {
		t.Errorf("realtime with expand: %s", e)
	}
	// one broadcast reaches every subscription: the others have had theirs
	if e := probing.next(t, time.Second); e != "" {
		t.Errorf("a subscription filtered by the CURP fired: %s", e)
	}
}

// One staff read of a person writes one audit entry, action view, naming
// the reader and the person; a list, one per person listed; a person's own
// reads and the answers of writes none.
func TestRead_ViewsAudited(t *testing.T) {
	app, srv := testapp.NewServed(t)
	count := func(actor string) int {
		t.Helper()
		if err := fieldaccess.FlushViews(app); err != nil {
			t.Fatal(err)
		}
		var n int
		err := app.DB().Select("count(*)").From("audit_log").
			Where(dbx.HashExp{"action": "view", "collection_name": "returnees", "actor_id": actor}).Row(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	coordinator := testapp.Token(t, app, "staff", testapp.CoordBC)
	status, _ := testapp.Request(t, srv.URL, coordinator, http.MethodGet, "/api/collections/returnees/records/"+testapp.ReturneeA1, nil)
	if got := count(testapp.CoordBC); status != http.StatusOK || got != 1 {
		t.Fatalf("a coordinator's view: %d entries, want 1", got)
	}
	entry := &core.Record{}
	err := app.RecordQuery("audit_log").AndWhere(dbx.HashExp{"action": "view", "actor_id": testapp.CoordBC}).Limit(1).One(entry)
	if err != nil || entry.GetString("record_id") != testapp.ReturneeA1 || entry.GetString("actor_collection") != "staff" || entry.GetString("created") == "" {
		t.Errorf("the entry: %v %v", entry.PublicExport(), err)
	}

	status, body := testapp.Request(t, srv.URL, coordinator, http.MethodGet, "/api/collections/returnees/records?perPage=500", nil)
	var list struct{ TotalItems int }
	if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil || list.TotalItems < 2 {
		t.Fatalf("list: %d %s", status, body)
	}
	if got := count(testapp.CoordBC); got != 1+list.TotalItems {
		t.Errorf("after a list of %d: %d entries, want %d", list.TotalItems, got, 1+list.TotalItems)
	}

	nodess := testapp.Token(t, app, "staff", testapp.NodessStaff1)
	testapp.Request(t, srv.URL, nodess, http.MethodGet, "/api/collections/referrals/records?expand=returnee", nil)
	if got := count(testapp.NodessStaff1); got != 1 {
		t.Errorf("a NODESS's referrals with their person: %d entries, want 1", got)
	}
	pulled(t, srv.URL, nodess, "returnees", testapp.ReturneeA1)
	if got := count(testapp.NodessStaff1); got != 2 {
		t.Errorf("after a NODESS's pull: %d entries, want 2", got)
	}

	account := testapp.Token(t, app, "returnee_accounts", testapp.AccountA1)
	testapp.Request(t, srv.URL, account, http.MethodGet, "/api/collections/returnees/records/"+testapp.ReturneeA1, nil)
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	status, body = testapp.Request(t, srv.URL, worker, http.MethodPatch, "/api/collections/returnees/records/"+testapp.ReturneeA2, map[string]any{"skills": "soldadura"})
	if status != http.StatusOK {
		t.Fatalf("update: %d %s", status, body)
	}
	if a, w := count(testapp.AccountA1), count(testapp.FieldWorkerA); a != 0 || w != 0 {
		t.Errorf("the person's own read: %d entries; a write's answer: %d; want none", a, w)
	}
}

// TestWithheld_FieldsExist: every field catalog.Withheld names exists in its
// collection (a renamed field would otherwise be sent again, silently).
func TestWithheld_FieldsExist(t *testing.T) {
	app := testapp.New(t)
	for _, role := range []string{"field_worker", "nodess_staff", "coordinator", "returnee"} {
		for _, c := range catalog.Collections {
			w := catalog.Withheld(role, c.Name)
			if w.Empty() {
				continue
			}
			col, err := app.FindCachedCollectionByNameOrId(c.Name)
			if err != nil {
				t.Fatal(err)
			}
			names := append(append(slices.Clone(w.Fields), w.Consented...), w.Consent)
			for field := range w.Values {
				names = append(names, field)
			}
			for _, name := range names {
				if name != "" && col.Fields.GetByName(name) == nil {
					t.Errorf("%s: %s withholds %q, which %s does not have", role, c.Name, name, c.Name)
				}
			}
		}
	}
}
