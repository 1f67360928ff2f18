package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// inactiveCoop is a cooperative of N1 that stopped working.
const inactiveCoop = "coopinactive001"

func addInactiveCoop(e *env) func(t testing.TB, app core.App) {
	return func(t testing.TB, app core.App) {
		testapp.Save(t, app, "cooperatives", map[string]any{"id": inactiveCoop, "name": "Taller que cerró", "state": e.state["GR"],
			"theme": "art_culture", "nodess": n1, "stage": "inactive"})
	}
}

// TestCooperativeRefusals: every refusal of an outcome, a cooperative and a
// membership, through REST and through the batch API (the sync push:
// devicesync.TestPushRefusal_Cooperatives).
func TestCooperativeRefusals(t *testing.T) {
	e := getEnv(t)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	records := func(collection string) string { return "/api/collections/" + collection + "/records" }
	refusals := []struct {
		name   string
		who    role
		method string
		path   string
		body   map[string]any
		setup  func(t testing.TB, app core.App)
		field  string
		code   string
	}{
		{name: "an outcome recorded tomorrow", who: nodessStaff1, method: http.MethodPost, path: records("outcomes"),
			body:  map[string]any{"id": "outcomefuture01", "returnee": rA1, "recorded_on": tomorrow, "employment": "employed"},
			field: "recorded_on", code: "future_date"},
		{name: "an outcome of a person without consent", who: nodessStaff1, method: http.MethodPost, path: records("outcomes"),
			body:  map[string]any{"id": "outcomehidden01", "returnee": rA2, "recorded_on": "2026-12-01", "employment": "employed"},
			field: "returnee", code: "validation_missing_rel_records"},
		{name: "an outcome of another person, by a returnee", who: accountB1, method: http.MethodPost, path: records("outcomes"),
			body:  map[string]any{"id": "outcomeother001", "returnee": rA1, "recorded_on": "2026-12-01", "employment": "employed"},
			field: "returnee", code: "validation_missing_rel_records"},
		{name: "an outcome moved to another person", who: nodessStaff1, method: http.MethodPatch, path: records("outcomes") + "/" + outcomeA1,
			body: map[string]any{"returnee": testapp.ReturneeB1}, field: "returnee", code: "validation_missing_rel_records"},
		{name: "a social group of one", who: nodessStaff1, method: http.MethodPatch, path: records("cooperatives") + "/" + coop,
			body: map[string]any{"stage": "social_group"}, field: "stage", code: "too_few_members"},
		{name: "legally constituted with four", who: nodessStaff1, method: http.MethodPatch, path: records("cooperatives") + "/" + coop,
			body: map[string]any{"stage": "legally_constituted", "other_members": 3}, field: "stage", code: "too_few_members"},
		{name: "founded tomorrow", who: nodessStaff1, method: http.MethodPatch, path: records("cooperatives") + "/" + coop,
			body: map[string]any{"founded_on": tomorrow}, field: "founded_on", code: "future_date"},
		{name: "accompanied by another node", who: nodessStaff1, method: http.MethodPatch, path: records("cooperatives") + "/" + coop,
			body: map[string]any{"nodess": n2}, field: "nodess", code: "outside_scope"},
		{name: "moved out of the node's states", who: nodessStaff1, method: http.MethodPatch, path: records("cooperatives") + "/" + coop,
			body: map[string]any{"state": e.state["OC"]}, field: "nodess", code: "outside_scope"},
		{name: "a proposal past the idea", who: accountA1, method: http.MethodPost, path: records("cooperatives"),
			body:  map[string]any{"id": "coopproposal002", "name": "Grupo listo", "state": e.state["GR"], "theme": "tourism", "stage": "social_group"},
			field: "stage", code: "invalid_status"},
		{name: "a request to join an inactive cooperative", who: accountB1, method: http.MethodPost, path: records("cooperative_members"),
			body:  map[string]any{"id": "coopmemberinact", "cooperative": inactiveCoop, "returnee": rB1},
			setup: addInactiveCoop(e), field: "cooperative", code: "cooperative_inactive"},
		{name: "a request as an active member", who: accountB1, method: http.MethodPost, path: records("cooperative_members"),
			body:  map[string]any{"id": "coopmemberactiv", "cooperative": coop, "returnee": rB1, "status": "active"},
			field: "status", code: "invalid_status"},
		{name: "a member's name typed by a returnee", who: accountA1, method: http.MethodPatch, path: records("cooperative_members") + "/" + coopMember,
			body: map[string]any{"member_name": "Otra Persona"}, field: "member_name", code: "not_editable"},
	}
	enableBatch := func(t testing.TB, app *tests.TestApp) { app.Settings().Batch.Enabled = true }
	for _, r := range refusals {
		o := op{name: r.name, method: r.method, path: r.path, body: j(r.body), setup: r.setup}
		call{name: "REST: " + r.name, who: r.who, op: o, want: fieldError(r.field, r.code)}.run(t, e)
		batch := op{name: "batch", method: http.MethodPost, path: "/api/batch", setup: r.setup,
			body: j(map[string]any{"requests": []map[string]any{{"method": r.method, "url": r.path, "body": r.body}}})}
		call{name: "batch: " + r.name, who: r.who, op: batch, before: enableBatch, want: badRequest("Batch transaction failed."),
			content: []string{`"` + r.field + `":{"code":"` + r.code + `"`}}.run(t, e)
	}
}

// TestCooperative_FromIdeaToGroupAndBack: a returnee proposes an idea and is
// its founder; two people ask to join and the NODESS of the state accepts
// them; three members make a social group, and five (with two members who
// are not returnees) a legally constituted one. A member leaving, and fewer
// members who are not returnees, step the stage back with the reason. Fellow
// members read each other's names and nothing else of each other.
func TestCooperative_FromIdeaToGroupAndBack(t *testing.T) {
	e := getEnv(t)
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	send := func(who role, method, path string, body any, want int) []byte {
		t.Helper()
		status, out := testapp.Request(t, srv.URL, e.token[who], method, path, body)
		if status != want {
			t.Fatalf("%s %s %s: %d %s, want %d", who, method, path, status, out, want)
		}
		return out
	}
	records := func(collection string) string { return "/api/collections/" + collection + "/records" }
	coopAt := func() *core.Record { return testapp.Find(t, app, "cooperatives", "coopidea0000001") }

	send(accountA1, http.MethodPost, records("cooperatives"), map[string]any{"id": "coopidea0000001", "name": "Mezcal de Retorno",
		"kind": "producers_cooperative", "state": e.state["GR"], "theme": "agro_livestock_fishing", "products": "mezcal"}, http.StatusOK)
	founder := testapp.Find(t, app, "cooperative_members", "coopidea0000001")
	if founder.GetString("returnee") != rA1 || founder.GetString("status") != "active" || founder.GetString("role") != "founder" ||
		founder.GetString("member_name") != "María José Pérez" || founder.GetString("joined_on") == "" {
		t.Fatalf("the founder's membership: %v", founder.FieldsData())
	}
	if c := coopAt(); c.GetString("stage") != "idea" || c.GetString("nodess") != "" {
		t.Fatalf("the proposal: stage %q, nodess %q", c.GetString("stage"), c.GetString("nodess"))
	}

	// B1 asks to join; A2, who has no account, asks through N1's staff later
	send(accountB1, http.MethodPost, records("cooperative_members"), map[string]any{"id": "coopmemberreqb1",
		"cooperative": "coopidea0000001", "returnee": rB1}, http.StatusOK)
	testapp.Save(t, app, "cooperative_members", map[string]any{"id": "coopmemberreqa2", "cooperative": "coopidea0000001", "returnee": rA2})
	// N2 does not cover Guerrero; N1 does, and accepts both
	send(nodessStaff2, http.MethodPatch, records("cooperative_members")+"/coopmemberreqb1", map[string]any{"status": "active"}, http.StatusNotFound)
	send(nodessStaff1, http.MethodPatch, records("cooperatives")+"/coopidea0000001", map[string]any{"stage": "social_group"}, http.StatusBadRequest)
	for _, id := range []string{"coopmemberreqb1", "coopmemberreqa2"} {
		send(nodessStaff1, http.MethodPatch, records("cooperative_members")+"/"+id, map[string]any{"status": "active"}, http.StatusOK)
	}
	send(nodessStaff1, http.MethodPatch, records("cooperatives")+"/coopidea0000001",
		map[string]any{"stage": "social_group", "nodess": n1, "stage_reason": "Tres socias que ya trabajan juntas."}, http.StatusOK)
	send(nodessStaff1, http.MethodPatch, records("cooperatives")+"/coopidea0000001", map[string]any{"stage": "legally_constituted"}, http.StatusBadRequest)
	send(nodessStaff1, http.MethodPatch, records("cooperatives")+"/coopidea0000001",
		map[string]any{"stage": "legally_constituted", "other_members": 2, "founded_on": "2026-11-30"}, http.StatusOK)
	if c := coopAt(); c.GetString("stage") != "legally_constituted" || c.GetString("stage_reason") != "" {
		t.Fatalf("constituted: stage %q, reason %q (the old stage's reason should go)", c.GetString("stage"), c.GetString("stage_reason"))
	}

	// a fellow member reads the members' names, not their records
	body := string(send(accountB1, http.MethodGet, records("cooperative_members")+"?expand=returnee", nil, http.StatusOK))
	for _, want := range []string{`"member_name":"María José Pérez"`, `"member_name":"Juan García"`, `"member_name":"Rosa Hernández"`} {
		if !strings.Contains(body, want) {
			t.Errorf("B1's list of members lacks %s: %s", want, body)
		}
	}
	for _, other := range []string{"1990-05-17", "López", "+527441234567", "1985-01-02"} { // A1's and A2's records
		if strings.Contains(body, other) {
			t.Errorf("B1 reads %s of a fellow member: %s", other, body)
		}
	}
	send(accountB1, http.MethodGet, records("returnees")+"/"+rA1, nil, http.StatusNotFound)

	// B1 leaves: four left, back to a social group, with the reason
	send(accountB1, http.MethodPatch, records("cooperative_members")+"/coopmemberreqb1", map[string]any{"status": "left"}, http.StatusOK)
	c := coopAt()
	if c.GetString("stage") != "social_group" || !strings.Contains(c.GetString("stage_reason"), "quedan 4 integrantes") {
		t.Errorf("after B1 left: stage %q, reason %q", c.GetString("stage"), c.GetString("stage_reason"))
	}
	send(accountB1, http.MethodGet, records("cooperative_members")+"/"+founder.Id, nil, http.StatusNotFound)
	// no more members who are not returnees: two left, back to an idea
	send(nodessStaff1, http.MethodPatch, records("cooperatives")+"/coopidea0000001", map[string]any{"other_members": 0}, http.StatusOK)
	if c := coopAt(); c.GetString("stage") != "idea" || !strings.Contains(c.GetString("stage_reason"), "quedan 2 integrantes") {
		t.Errorf("after other_members 0: stage %q, reason %q", c.GetString("stage"), c.GetString("stage_reason"))
	}

	// a person's new names reach their memberships
	person := testapp.Find(t, app, "returnees", rA1)
	person.Set("given_names", "María")
	if err := app.Save(person); err != nil {
		t.Fatal(err)
	}
	if got := testapp.Find(t, app, "cooperative_members", founder.Id).GetString("member_name"); got != "María Pérez" {
		t.Errorf("member_name after the rename: %q", got)
	}
}
