package devicesync_test

import (
	"strings"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// Every refusal of an outcome, a cooperative and a membership through the
// sync push, with its field (REST and batch: hooks.TestCooperativeRefusals).
func TestPushRefusal_Cooperatives(t *testing.T) {
	app, srv := testapp.NewServed(t)
	guerrero := testapp.ID(app, "states", "curp_code", "GR")
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	coop := testapp.Find(t, app, "cooperatives", testapp.CoopN1)
	rejected := func(m devicesync.Mutation, field string) refusalWant {
		return refusalWant{m: m, status: "rejected", code: "validation_failed", field: field}
	}
	outcome := func(id, record, returnee, on string) devicesync.Mutation {
		return mutation(id, "outcomes", record, "create", 0, map[string]any{"returnee": returnee, "recorded_on": on, "employment": "employed"})
	}

	staff := newDevice(t, srv, app, "staff", testapp.NodessStaff1, "n1-coop-refusals")
	wants := []refusalWant{
		rejected(mutation("coop-group-of-one", "cooperatives", testapp.CoopN1, "update", coop.GetInt("rev"), map[string]any{"stage": "social_group"}), "stage"),
		rejected(mutation("coop-founded-late", "cooperatives", testapp.CoopN1, "update", coop.GetInt("rev"), map[string]any{"founded_on": tomorrow}), "founded_on"),
		rejected(outcome("outcome-tomorrow1", "outcometomorrow", testapp.ReturneeA1, tomorrow), "recorded_on"),
		rejected(outcome("outcome-no-consnt", "outcomenoconsnt", testapp.ReturneeA2, "2026-12-01"), "returnee"),
		{m: outcome("outcome-good-0001", "outcomegood0001", testapp.ReturneeA1, "2026-12-01"), status: "applied"},
	}
	checkRefusals(t, app, staff.clientID, testapp.NodessStaff1, wants, staff.push(mutationsOf(wants)...))

	person := newDevice(t, srv, app, "returnee_accounts", testapp.AccountB1, "b1-coop-refusals")
	proposal := func(id, record, stage string) devicesync.Mutation {
		return mutation(id, "cooperatives", record, "create", 0, map[string]any{"name": "Cocina de Rosa", "state": guerrero,
			"theme": "health_care", "stage": stage})
	}
	wants = []refusalWant{
		rejected(mutation("coop-ask-active01", "cooperative_members", "coopaskactive01", "create", 0,
			map[string]any{"cooperative": testapp.CoopN1, "returnee": testapp.ReturneeB1, "status": "active"}), "status"),
		rejected(proposal("coop-propose-grp1", "coopproposegrp1", "social_group"), "stage"),
		{m: proposal("coop-propose-idea", "cooppropidea001", "idea"), status: "applied"},
	}
	checkRefusals(t, app, person.clientID, testapp.AccountB1, wants, person.push(mutationsOf(wants)...))
	if founder := testapp.Find(t, app, "cooperative_members", "cooppropidea001"); founder.GetString("returnee") != testapp.ReturneeB1 ||
		founder.GetString("status") != "active" {
		t.Errorf("the proposal's founder: %v", founder.FieldsData())
	}
}

// A member's device holds the names of their cooperative's active members
// once accepted, and loses them when they leave; the cooperative's stage
// follows on every device.
func TestCooperative_MembersReachAndLeaveDevices(t *testing.T) {
	app, srv := testapp.NewServed(t)
	b1 := newDevice(t, srv, app, "returnee_accounts", testapp.AccountB1, "b1-coop-members")
	r := b1.pulled()
	if r["cooperative_members"][testapp.CoopMemberA1] != nil || r["cooperatives"][testapp.CoopN1] == nil {
		t.Fatalf("B1 starts with the public cooperative and no member of it: %v", r["cooperative_members"])
	}

	res := b1.push(mutation("b1-asks-to-join1", "cooperative_members", "coopmemberb1001", "create", 0,
		map[string]any{"cooperative": testapp.CoopN1, "returnee": testapp.ReturneeB1}))
	if res[0].Status != "applied" {
		t.Fatalf("B1's request: %+v", res[0])
	}
	request := testapp.Find(t, app, "cooperative_members", "coopmemberb1001")
	request.Set("status", "active") // N1 accepts (a system write here)
	if err := app.Save(request); err != nil {
		t.Fatal(err)
	}
	changes, reset := b1.pullAll()
	if reset {
		t.Error("an accepted membership reset the device: the change log carries it")
	}
	got := ops(changes)
	if c := got["cooperative_members/"+testapp.CoopMemberA1]; c.Op != "put" || !strings.Contains(string(c.Record), `"member_name":"María José Pérez"`) ||
		strings.Contains(string(c.Record), "active_members") {
		t.Errorf("B1's device after acceptance: %+v", c)
	}
	r.apply(changes)
	b1.converged(r, syncedCollections...)

	coop := testapp.Find(t, app, "cooperatives", testapp.CoopN1)
	rev := testapp.Find(t, app, "cooperative_members", "coopmemberb1001").GetInt("rev")
	res = b1.push(mutation("b1-leaves-coop01", "cooperative_members", "coopmemberb1001", "update", rev, map[string]any{"status": "left"}))
	if res[0].Status != "applied" {
		t.Fatalf("B1 leaving: %+v", res[0])
	}
	changes, _ = b1.pullAll()
	wantOps(t, "B1 after leaving", changes, "evict", []string{"cooperative_members/" + testapp.CoopMemberA1})
	r.apply(changes)
	b1.converged(r, syncedCollections...)
	if after := testapp.Find(t, app, "cooperatives", testapp.CoopN1); after.GetInt("rev") != coop.GetInt("rev")+1 ||
		len(after.GetStringSlice("active_members")) != 1 {
		t.Errorf("the cooperative after B1 left: rev %d, active %v", after.GetInt("rev"), after.GetStringSlice("active_members"))
	}
}
