package listrule_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The people of addWideFixtures.
const (
	wideReferred  = "widereferred001" // returned at Matamoros then Tijuana, going to BC, shares with NODESS, referred to N2
	wideNoConsent = "widenoconsent01" // Tijuana, going to GR (N1's), referred to N1, then withdrew the consent
	wideWithdrawn = "widewithdrawn01" // Tijuana, going to MC (N1's), consent withdrawn
	wideSouth     = "widesouth000001" // Matamoros, going to CS (N2's), shares with NODESS
)

// addWideFixtures adds people who tell the branches of the wide scopes
// apart: seen by a NODESS through a referral only, referred without
// consent, with a withdrawn consent, going to a node's second state, and a
// person whose previous point is in another state than their latest.
func addWideFixtures(t *testing.T, app core.App) {
	t.Helper()
	state := func(code string) string { return testapp.ID(app, "states", "curp_code", code) }
	point := func(city string) string { return testapp.ID(app, "reception_points", "city", city) }
	person := func(id, city, dest string) {
		testapp.Save(t, app, catalog.Returnees, map[string]any{"id": id, "given_names": "Persona", "first_surname": "Amplia",
			"birth_date": "1988-03-04", "sex": "H", "destination_state": state(dest), "reception_point": point(city)})
		testapp.Save(t, app, "returns", map[string]any{"returnee": id, "reception_point": point(city), "repatriation_date": "2026-11-10"})
	}
	consent := func(id string) *core.Record {
		return testapp.Save(t, app, "consents", map[string]any{"returnee": id, "purpose": "share_nodess", "granted": true, "notice_version": "2026-01", "method": "verbal"})
	}
	withdraw := func(c *core.Record) {
		c = testapp.Find(t, app, "consents", c.Id)
		c.Set("withdrawn_at", "2026-11-12 10:00:00.000Z")
		if err := app.Save(c); err != nil {
			t.Fatal(err)
		}
	}
	referral := func(id, nodess string) {
		testapp.Save(t, app, "referrals", map[string]any{"returnee": id, "nodess": nodess, "service": "training"})
	}
	person(wideReferred, "Matamoros", "BC")
	testapp.Save(t, app, "returns", map[string]any{"returnee": wideReferred, "reception_point": point("Tijuana"), "repatriation_date": "2026-11-25"})
	consent(wideReferred)
	referral(wideReferred, testapp.NodessN2)
	person(wideNoConsent, "Tijuana", "GR")
	c := consent(wideNoConsent)
	referral(wideNoConsent, testapp.NodessN1)
	withdraw(c)
	person(wideWithdrawn, "Tijuana", "MC")
	withdraw(consent(wideWithdrawn))
	person(wideSouth, "Matamoros", "CS")
	consent(wideSouth)
}

// pagedIDs lists col's records that info's auth may list through
// listrule.PageAfter, limit at a time.
func pagedIDs(t *testing.T, app core.App, info *core.RequestInfo, col *core.Collection, limit int) []string {
	t.Helper()
	out, after := []string{}, ""
	for {
		page, err := listrule.PageAfter(app, info, col, "", after, limit)
		if err != nil {
			t.Fatalf("%s: %v", col.Name, err)
		}
		for _, r := range page {
			out = append(out, r.Id)
		}
		if len(page) < limit {
			return out
		}
		after = page[len(page)-1].Id
	}
}

// TestDisjuncts_WideScopes: a NODESS's people are one branch per state of
// the node and one for the people referred to it, a coordinator's one per
// reception point of the state (latest and previous) and one for the
// people going to the state.
func TestDisjuncts_WideScopes(t *testing.T) {
	app := testapp.New(t)
	returnees, err := app.FindCollectionByNameOrId(catalog.Returnees)
	if err != nil {
		t.Fatal(err)
	}
	node := testapp.Find(t, app, "nodess", testapp.NodessN1)
	var want []string
	for _, s := range node.GetStringSlice("states") {
		want = append(want, `nodess_consent = true && destination_state = "`+s+`"`)
	}
	want = append(want, `nodess_consent = true && referred_nodess:each ?= "`+testapp.NodessN1+`"`)
	if got := listrule.Disjuncts(app, returnees, *returnees.ListRule, testapp.Find(t, app, "staff", testapp.NodessStaff1)); !slices.Equal(got, want) {
		t.Errorf("NODESS: got %q, want %q", got, want)
	}

	coord := testapp.Find(t, app, "staff", testapp.CoordBC)
	points := []string{}
	if err := app.DB().Select("id").From("reception_points").AndWhere(dbx.HashExp{"state": coord.GetString("state")}).OrderBy("id").Column(&points); err != nil {
		t.Fatal(err)
	}
	want = nil
	for _, field := range []string{"reception_point", "previous_point"} {
		for _, p := range points {
			want = append(want, field+` = "`+p+`"`)
		}
	}
	want = append(want, `destination_state = "`+coord.GetString("state")+`"`)
	if got := listrule.Disjuncts(app, returnees, *returnees.ListRule, coord); !slices.Equal(got, want) {
		t.Errorf("coordinator: got %q, want %q", got, want)
	}
}

// TestPageAfter_IndexRanges: a page of every staff role's initial sync of
// people, and of everything a coordinator's device pulls, reads index
// ranges (EXPLAIN QUERY PLAN: SEARCH ... USING INDEX), never a scan of a
// table.
func TestPageAfter_IndexRanges(t *testing.T) {
	app := testapp.New(t)
	addWideFixtures(t, app)
	cases := []struct {
		who         string
		collections []string
	}{
		{testapp.FieldWorkerA, []string{catalog.Returnees}},
		{testapp.NodessStaff1, []string{catalog.Returnees}},
		{testapp.NodessStaff2, []string{catalog.Returnees}},
		{testapp.CoordBC, []string{catalog.Returnees}},
	}
	for _, c := range catalog.Where(catalog.Collection.Synced) {
		if hooks.SyncConfig.Pulls(testapp.Find(t, app, "staff", testapp.CoordBC), c) {
			cases[3].collections = append(cases[3].collections, c)
		}
	}
	if len(cases[3].collections) < 3 {
		t.Fatalf("a coordinator pulls only %v", cases[3].collections)
	}
	for _, c := range cases {
		auth := testapp.Find(t, app, "staff", c.who)
		info := &core.RequestInfo{Auth: auth, Method: "GET", Context: core.RequestInfoContextDefault}
		for _, name := range c.collections {
			col, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				t.Fatal(err)
			}
			logged := testapp.Queries(t, app, func() {
				if _, err := listrule.PageAfter(app, info, col, "", "", 500); err != nil {
					t.Fatal(err)
				}
			})
			if len(logged) == 0 {
				t.Fatalf("%s %s: no query", c.who, name)
			}
			checked := 0
			for _, q := range logged {
				if !strings.Contains(q, "FROM `"+name+"`") {
					continue // the values of a wide scope, read before (wide.go)
				}
				checked++
				plan := testapp.QueryPlan(t, app, q)
				t.Logf("%s %s: %q", c.who, name, plan)
				joined := strings.Join(plan, "; ")
				if !strings.Contains(joined, "SEARCH "+name+" USING ") || strings.Contains(joined, "SCAN ") {
					t.Errorf("%s %s: plan %q of %s", c.who, name, plan, q)
				}
			}
			if checked == 0 {
				t.Errorf("%s %s: no page query in %q", c.who, name, logged)
			}
		}
	}
}

// TestMemberTable: the membership table of returnees.referred_nodess holds
// exactly the values of every person's list through creates, updates that
// change it and deletes.
func TestMemberTable(t *testing.T) {
	app := testapp.New(t)
	addWideFixtures(t, app)
	table := listrule.MemberTable(catalog.Returnees, "referred_nodess")
	check := func(when string) {
		t.Helper()
		var got, want []string
		if err := app.DB().NewQuery("SELECT value || '/' || record FROM " + table + " ORDER BY 1").Column(&got); err != nil {
			t.Fatal(err)
		}
		if err := app.DB().NewQuery("SELECT je.value || '/' || r.id FROM returnees r, json_each(r.referred_nodess) je ORDER BY 1").Column(&want); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s: table %v, lists %v", when, got, want)
		}
	}
	check("after the fixtures")
	testapp.Save(t, app, "referrals", map[string]any{"returnee": wideSouth, "nodess": testapp.NodessN1, "service": "training"})
	check("after a second referral")
	ref := testapp.Find(t, app, "referrals", testapp.ReferralA1)
	ref.Set("status", "rejected")
	ref.Set("closed_reason", catalog.ReferralClosedReasons.Codes()[0])
	if err := app.Save(ref); err != nil {
		t.Fatal(err)
	}
	check("after a rejection")
	if err := app.Delete(testapp.Find(t, app, catalog.Returnees, wideReferred)); err != nil {
		t.Fatal(err)
	}
	check("after a delete")
}
