package hooks_test

// The headline check of issue 2: a field worker of Tijuana cannot see or write
// a returnee of Matamoros by any REST call. The rule matrix covers the plain
// calls; these are the detours: filters, expands through relations and
// back-relations, moving records across scopes, and the batch API.

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// q renders a filter or expand for a query string.
func q(key, value string) string { return key + "=" + url.QueryEscape(value) }

func TestTijuanaCannotReachMatamoros(t *testing.T) {
	e := getEnv(t)
	matamoros, oaxaca := e.point["Matamoros"], e.state["OC"]
	notB1 := []string{rB1, "Hernández", consentB1}

	calls := []call{
		// reading
		{name: "list returnees", op: list("returnees"), want: sees(rA1, rA2)},
		{name: "filter by id", op: list("returnees").withQuery(q("filter", `id = "`+rB1+`"`)), want: none},
		{name: "filter by reception point", op: list("returnees").withQuery(q("filter", `reception_point = "`+matamoros+`"`)), want: none},
		{name: "filter by city through relation", op: list("returnees").withQuery(q("filter", `reception_point.city = "Matamoros"`)), want: none},
		{name: "filter by surname", op: list("returnees").withQuery(q("filter", `first_surname ~ "Hern"`)), want: none},
		{name: "filter by registering staff", op: list("returnees").withQuery(q("filter", `registered_by = "staffworkerb001"`)), want: none},
		{name: "view", op: view("returnees", rB1), want: hidden},
		{name: "view with expand", op: view("returnees", rB1).withQuery(q("expand", "reception_point,destination_state")), want: hidden},
		{name: "view its consent", op: view("consents", consentB1), want: hidden},
		{name: "list consents filtered by returnee", op: list("consents").withQuery(q("filter", `returnee = "`+rB1+`"`)), want: none},
		{name: "list consents filtered through returnee", op: list("consents").withQuery(q("filter", `returnee.reception_point.city = "Matamoros"`)), want: none},
		{name: "list case notes filtered through returnee", op: list("case_notes").withQuery(q("filter", `returnee.first_surname = "Hernández"`)), want: none},
		{name: "list enrollments filtered by returnee", op: list("enrollments").withQuery(q("filter", `returnee = "`+rB1+`"`)), want: none},

		// expand and filter from the public catalogue through back-relations
		{name: "expand returnees of Matamoros", op: view("reception_points", matamoros).withQuery(q("expand", "returnees_via_reception_point")),
			want: allowed, absent: notB1},
		{name: "expand returnees going to Oaxaca", op: view("states", oaxaca).withQuery(q("expand", "returnees_via_destination_state,returnees_via_birth_state")),
			want: allowed, absent: notB1},
		{name: "expand consents of returnees going to Oaxaca", op: view("states", oaxaca).withQuery(q("expand", "returnees_via_destination_state.consents_via_returnee")),
			want: allowed, absent: notB1},
		{name: "filter points by their returnees", op: list("reception_points").withQuery(q("filter", `returnees_via_reception_point.first_surname ?= "Hernández"`)),
			want: none},
		{name: "expand staff of Matamoros", op: view("reception_points", matamoros).withQuery(q("expand", "staff_via_reception_point")),
			want: allowed, absent: []string{"staffworkerb001"}},

		// writing
		{name: "update", op: update("returnees", rB1, `{"phone":"+528681234567"}`), want: hidden},
		{name: "update moving to Tijuana", op: update("returnees", rB1, j(map[string]any{"reception_point": e.point["Tijuana"]})), want: hidden},
		{name: "delete", op: del("returnees", rB1), want: forbidden},
		{name: "create at Matamoros", op: create("returnees", "returneenewmat1", j(map[string]any{"id": "returneenewmat1", "given_names": "Luis", "first_surname": "Soto",
			"birth_date": "1988-08-08", "sex": "H", "destination_state": oaxaca, "reception_point": matamoros})),
			want: fieldError("reception_point", "outside_scope")},
		{name: "move own returnee to Matamoros", op: update("returnees", rA2, j(map[string]any{"reception_point": matamoros})),
			want: fieldError("reception_point", "outside_scope")},
		{name: "create a consent for B1", op: create("consents", "consentnewmat01", j(map[string]any{"id": "consentnewmat01", "returnee": rB1,
			"purpose": "contact_whatsapp", "granted": true, "notice_version": "2026-01", "method": "verbal"})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "create a case note about B1", op: create("case_notes", "casenotenewmat1", j(map[string]any{"id": "casenotenewmat1", "returnee": rB1, "text": "x"})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "create a referral of B1", op: create("referrals", "referralnewmat1", j(map[string]any{"id": "referralnewmat1", "returnee": rB1, "nodess": n2, "service": "training"})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "move own consent to B1", op: update("consents", consentA1, j(map[string]any{"returnee": rB1})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "move own case note to B1", op: update("case_notes", noteA1, j(map[string]any{"returnee": rB1})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "move own referral to B1", op: update("referrals", referralA1, j(map[string]any{"returnee": rB1})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "update B1's consent", op: update("consents", consentB1, `{"withdrawn_at":"2026-03-01 10:00:00.000Z"}`), want: hidden},
		{name: "delete B1's consent", op: del("consents", consentB1), want: forbidden},
	}
	for _, c := range calls {
		c.who = fieldWorkerA
		c.run(t, e)
	}

	// Controls: the same detours work for the field worker of Matamoros, so
	// the refusals above come from the rules, not from a mistyped call.
	controls := []call{
		{name: "control: filter by id", op: list("returnees").withQuery(q("filter", `id = "`+rB1+`"`)), want: sees(rB1)},
		{name: "control: expand returnees of Matamoros", op: view("reception_points", matamoros).withQuery(q("expand", "returnees_via_reception_point")),
			want: allowed, content: []string{`"returnees_via_reception_point":[{`, `"id":"` + rB1 + `"`}},
		{name: "control: expand consents of returnees going to Oaxaca", op: view("states", oaxaca).withQuery(q("expand", "returnees_via_destination_state.consents_via_returnee")),
			want: allowed, content: []string{`"consents_via_returnee":[{`, `"id":"` + consentB1 + `"`}},
		{name: "control: filter points by their returnees", op: list("reception_points").withQuery(q("filter", `returnees_via_reception_point.first_surname ?= "Hernández"`)),
			want: sees(matamoros)},
		{name: "control: expand staff of Matamoros", op: view("reception_points", matamoros).withQuery(q("expand", "staff_via_reception_point")),
			want: allowed, content: []string{`"id":"staffworkerb001"`}},
	}
	for _, c := range controls {
		c.who = fieldWorkerB
		c.run(t, e)
	}
}

// TestBatchObeysScopes: the batch API (off by default; the coming sync may
// turn it on) runs every request through the same rules and hooks, and one
// refused request rolls the whole batch back.
func TestBatchObeysScopes(t *testing.T) {
	e := getEnv(t)
	enableBatch := func(t testing.TB, app *tests.TestApp) {
		app.Settings().Batch.Enabled = true
	}
	batch := func(requests ...map[string]any) op {
		return op{name: "batch", method: http.MethodPost, path: "/api/batch", body: j(map[string]any{"requests": requests})}
	}
	newReturnee := func(id, point string) map[string]any {
		return map[string]any{"method": "POST", "url": "/api/collections/returnees/records", "body": map[string]any{
			"id": id, "given_names": "Eva", "first_surname": "Luna", "birth_date": "1991-01-01", "sex": "M",
			"destination_state": e.state["GR"], "reception_point": point}}
	}
	patchB1 := map[string]any{"method": "PATCH", "url": "/api/collections/returnees/records/" + rB1, "body": map[string]any{"phone": "+528680000000"}}

	calls := []call{
		{name: "own point then Matamoros: all rolled back",
			op:      batch(newReturnee("returneebatch01", e.point["Tijuana"]), newReturnee("returneebatch02", e.point["Matamoros"])),
			want:    badRequest("Batch transaction failed."),
			content: []string{`"reception_point":{"code":"outside_scope"`}},
		{name: "update B1", op: batch(patchB1), want: badRequest("Batch transaction failed."), content: []string{`"status":404`}},
		{name: "own point only", op: batch(newReturnee("returneebatch01", e.point["Tijuana"])), want: allowed,
			content: []string{`"status":200`, `"id":"returneebatch01"`},
			after: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				if count(t, app, "returnees", `id = "returneebatch01"`) != 1 {
					t.Error("the batch create did not save")
				}
			}},
	}
	for _, c := range calls {
		c.who = fieldWorkerA
		c.before = enableBatch
		c.run(t, e)
	}
}

// TestNodessStaffSeeOnlyWithConsent: NODESS staff read returnees with a
// share_nodess consent who go to their node's states or were referred there,
// never the others, and never write them.
func TestNodessStaffSeeOnlyWithConsent(t *testing.T) {
	e := getEnv(t)
	calls := []call{
		{name: "N1 views A1 (consent, Guerrero, referred)", who: nodessStaff1, op: view("returnees", rA1), want: allowed},
		{name: "N1 cannot view A2 (Guerrero, no consent)", who: nodessStaff1, op: view("returnees", rA2), want: hidden},
		{name: "N1 cannot view B1 (consent, Oaxaca)", who: nodessStaff1, op: view("returnees", rB1), want: hidden},
		{name: "N2 cannot view A1", who: nodessStaff2, op: view("returnees", rA1), want: hidden},
		{name: "N2 views B1 (consent, Oaxaca)", who: nodessStaff2, op: view("returnees", rB1), want: allowed},
		{name: "N1 cannot update A1", who: nodessStaff1, op: update("returnees", rA1, `{"skills":"x"}`), want: hidden},
		{name: "N2 sees A1 once referred to N2", who: nodessStaff2, op: view("returnees", rA1), want: allowed,
			before: func(t testing.TB, app *tests.TestApp) {
				// a referral by field worker A, outside Oaxaca and Chiapas
				testapp.Save(t, app, "referrals", map[string]any{"returnee": rA1, "nodess": n2, "service": "employment", "referred_by": "staffworkera001"})
			}},
		{name: "N1 expands A1 from its referral", who: nodessStaff1, op: view("referrals", referralA1).withQuery(q("expand", "returnee")),
			want: allowed, content: []string{`"expand":{"returnee":{`}},
		{name: "N1 expands nothing of A2 from a course", who: nodessStaff1, op: list("enrollments").withQuery(q("expand", "returnee")),
			want: sees(enrollment, "enrollmenta2001"), content: []string{`"first_surname":"Pérez"`}, absent: []string{"García"},
			before: func(t testing.TB, app *tests.TestApp) {
				testapp.Save(t, app, "enrollments", map[string]any{"id": "enrollmenta2001", "course": course, "returnee": rA2})
			}},
	}
	for _, c := range calls {
		c.run(t, e)
	}
}

// TestIdentityDocumentsNeverReachNodess: a NODESS that reaches a person
// reads their shared documents and no identity document of theirs by any
// detour: a filter on the kind, an expand from the person or their referral,
// a back-relation from the person's state; a field worker of another point
// none of the person's.
func TestIdentityDocumentsNeverReachNodess(t *testing.T) {
	e := getEnv(t)
	guerrero := e.state["GR"]
	identity := []string{docA1ID}
	calls := []call{
		{name: "filter by kind", who: nodessStaff1, op: list("documents").withQuery(q("filter", `kind = "ine"`)), want: none},
		{name: "filter by id", who: nodessStaff1, op: list("documents").withQuery(q("filter", `id = "`+docA1ID+`"`)), want: none},
		{name: "filter by file", who: nodessStaff1, op: list("documents").withQuery(q("filter", `file ~ "ine"`)), want: none},
		{name: "expand from the person", who: nodessStaff1, op: view("returnees", rA1).withQuery(q("expand", "documents_via_returnee")),
			want: allowed, content: []string{`"id":"` + docA1Other + `"`}, absent: identity},
		{name: "expand from the referral", who: nodessStaff1, op: view("referrals", referralA1).withQuery(q("expand", "returnee.documents_via_returnee")),
			want: allowed, content: []string{`"id":"` + docA1Other + `"`}, absent: identity},
		{name: "expand from the state", who: nodessStaff1, op: view("states", guerrero).withQuery(q("expand", "returnees_via_destination_state.documents_via_returnee")),
			want: allowed, absent: identity},
		{name: "filter people by their documents", who: nodessStaff1, op: list("returnees").withQuery(q("filter", `documents_via_returnee.kind ?= "ine"`)), want: none},
		{name: "another point: filter by person", who: fieldWorkerB, op: list("documents").withQuery(q("filter", `returnee = "`+rA1+`"`)), want: none},
		{name: "another point: expand from the state", who: fieldWorkerB, op: view("states", guerrero).withQuery(q("expand", "returnees_via_destination_state.documents_via_returnee")),
			want: allowed, absent: []string{docA1ID, docA1Other}},
		// the control: the person's own field worker reaches both by the same detour
		{name: "control: expand from the person", who: fieldWorkerA, op: view("returnees", rA1).withQuery(q("expand", "documents_via_returnee")),
			want: allowed, content: []string{`"id":"` + docA1ID + `"`, `"id":"` + docA1Other + `"`}},
	}
	for _, c := range calls {
		c.run(t, e)
	}
}
