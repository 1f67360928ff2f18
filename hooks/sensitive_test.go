package hooks_test

// Sensitive data (issue 15, part 2): the sensitive needs of a person (health,
// psychosocial support) are stored only with a granted, not withdrawn
// sensitive_data consent, on REST, batch and the sync push, for people and
// their returns; withdrawing the consent takes them out of both, audited.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

const sensitiveMessage = "Para registrar necesidades de salud o de apoyo psicosocial, la persona debe otorgar antes el consentimiento de datos sensibles."

// consentTo returns a setup that records person's consent for purpose
// (withdrawn if so), as the field worker's device would.
func consentTo(id, person, purpose string, withdrawn bool) func(t testing.TB, app core.App) {
	return func(t testing.TB, app core.App) {
		fields := map[string]any{"id": id, "returnee": person, "purpose": purpose, "granted": true,
			"notice_version": "2026-01", "method": "verbal", "collected_by": testapp.FieldWorkerA}
		if withdrawn {
			fields["withdrawn_at"] = "2026-11-26 10:00:00.000Z"
		}
		testapp.Save(t, app, "consents", fields)
	}
}

func TestSensitiveNeeds_NeedConsent(t *testing.T) {
	e := getEnv(t)
	baseRev := fixtureRevs(t)
	const code = "sensitive_without_consent"
	registration := map[string]any{"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1992-03-13", "sex": "H",
		"destination_state": e.state["GR"], "reception_point": e.point["Tijuana"]}
	with := func(fields map[string]any, needs ...string) map[string]any {
		out := map[string]any{"needs": needs}
		for k, v := range fields {
			out[k] = v
		}
		return out
	}
	ret := map[string]any{"returnee": rA2, "reception_point": e.point["Tijuana"], "repatriation_date": "2026-11-25"}
	granted := consentTo("consentsens0001", rA2, "sensitive_data", false)
	withdrawn := consentTo("consentsens0001", rA2, "sensitive_data", true)
	other := consentTo("consentsens0001", rA2, "share_nodess", false)

	cases := []struct {
		c     strictCase
		setup func(t testing.TB, app core.App)
	}{
		{c: strictCase{name: "a registration with a health need", who: fieldWorkerA, collection: "returnees", id: "returneesens001",
			fields: with(registration, "employment", "health"), field: "needs", code: code, message: sensitiveMessage}},
		{c: strictCase{name: "an edit adds psychosocial support", who: fieldWorkerA, collection: "returnees", id: rA2, update: true,
			fields: with(nil, "psychosocial"), field: "needs", code: code, message: sensitiveMessage}},
		{c: strictCase{name: "a return with a health need", who: fieldWorkerA, collection: "returns", id: "returnsens00001",
			fields: with(ret, "health"), field: "needs", code: code, message: sensitiveMessage}},
		{c: strictCase{name: "another purpose is no consent to sensitive data", who: fieldWorkerA, collection: "returnees", id: rA2, update: true,
			fields: with(nil, "health"), field: "needs", code: code, message: sensitiveMessage}, setup: other},
		{c: strictCase{name: "a withdrawn consent is none", who: fieldWorkerA, collection: "returns", id: "returnsens00001",
			fields: with(ret, "shelter", "psychosocial"), field: "needs", code: code, message: sensitiveMessage}, setup: withdrawn},

		{c: strictCase{name: "control: needs that are not sensitive, no consent", who: fieldWorkerA, collection: "returnees", id: rA2, update: true,
			fields: with(nil, "employment", "legal", "family_contact")}},
		{c: strictCase{name: "control: a registration without sensitive needs", who: fieldWorkerA, collection: "returnees", id: "returneesens001",
			fields: with(registration, "documents")}},
		{c: strictCase{name: "control: consented, an edit adds health", who: fieldWorkerA, collection: "returnees", id: rA2, update: true,
			fields: with(nil, "employment", "health")}, setup: granted},
		{c: strictCase{name: "control: consented, a return with psychosocial support", who: fieldWorkerA, collection: "returns", id: "returnsens00001",
			fields: with(ret, "psychosocial")}, setup: granted},
	}
	for _, tc := range cases {
		for _, path := range []string{"rest", "batch", "sync"} {
			cl := tc.c.call(e, path, baseRev)
			if tc.setup != nil {
				cl.op = cl.op.withSetup(tc.setup)
			}
			if path == "sync" && tc.c.field != "" {
				cl.content = append(cl.content, `"field_codes":{"needs":"`+code+`"}`)
			}
			cl.run(t, e)
		}
	}
}

// TestSensitiveNeeds_WithdrawalClears: a sensitive_data consent withdrawn
// by the person (REST), in a batch, or on a field worker's device (sync
// push) takes the sensitive needs out of the person and their returns in
// the same transaction, with audit entries naming who and "needs", and
// change-log rows that carry the records to devices.
func TestSensitiveNeeds_WithdrawalClears(t *testing.T) {
	const consent = "consentsens0001"
	withdrawal := map[string]any{"granted": false, "withdrawn_at": "2026-11-27 10:00:00.000Z"}
	for _, path := range []string{"rest", "batch", "sync"} {
		t.Run(path, func(t *testing.T) {
			app, srv := testapp.NewServed(t)
			app.Settings().Batch.Enabled = true
			consentTo(consent, rA1, "sensitive_data", false)(t, app)
			person := testapp.Find(t, app, "returnees", rA1)
			person.Set("needs", []string{"employment", "health"})
			saveOrFail(t, app, person)
			ret := testapp.Find(t, app, "returns", returnA1)
			ret.Set("needs", []string{"employment", "psychosocial"})
			saveOrFail(t, app, ret)
			// earlier states that hold them: the log's before-images of the
			// person and the return, the touch rows of the person's records
			// (a new destination), and what sync_conflicts kept
			person = testapp.Find(t, app, "returnees", rA1)
			person.Set("skills", "cosecha")
			person.Set("destination_state", testapp.ID(app, "states", "curp_code", "MC"))
			saveOrFail(t, app, person)
			ret = testapp.Find(t, app, "returns", returnA1)
			ret.Set("notes", "llegó con fiebre")
			saveOrFail(t, app, ret)
			for i, c := range []map[string]any{
				{"kind": "rejected", "yours": map[string]any{"needs": []string{"health", "legal"}, "skills": "x"}},
				{"kind": "field_conflict", "field": "needs", "yours": []string{"psychosocial"}, "kept": []string{"employment", "health"}, "lost": []string{"health"}},
			} {
				c["client_id"], c["mutation_id"], c["auth_collection"], c["auth_id"] = "sensdevice0002", fmt.Sprintf("sensmutation%04d", i), "staff", testapp.FieldWorkerA
				c["collection_name"], c["record_id"], c["op"] = "returnees", rA1, "update"
				testapp.Save(t, app, "sync_conflicts", c)
			}
			if n := sensitiveTraces(t, app); n < 10 {
				t.Fatalf("the setup left %d earlier states with a sensitive need, want the person's, the return's, touch rows and two conflicts", n)
			}
			seqBefore := maxSeq(t, app)

			who, collection := testapp.AccountA1, "returnee_accounts"
			var status int
			var body []byte
			switch path {
			case "rest":
				status, body = testapp.Request(t, srv.URL, testapp.Token(t, app, collection, who), http.MethodPatch,
					"/api/collections/consents/records/"+consent, withdrawal)
			case "batch":
				status, body = testapp.Request(t, srv.URL, testapp.Token(t, app, collection, who), http.MethodPost, "/api/batch",
					map[string]any{"requests": []map[string]any{{"method": http.MethodPatch, "url": "/api/collections/consents/records/" + consent, "body": withdrawal}}})
			case "sync":
				who, collection = testapp.FieldWorkerA, "staff"
				m := devicesync.Mutation{MutationID: "withdrawsens0001", Collection: "consents", RecordID: consent, Op: "update",
					BaseRev: testapp.Find(t, app, "consents", consent).GetInt("rev"), Fields: withdrawal}
				status, body = testapp.Request(t, srv.URL, testapp.Token(t, app, collection, who), http.MethodPost, "/api/sync/push",
					devicesync.PushRequest{ClientID: "sensdevice0001", SchemaVersion: devicesync.SchemaVersion, Mutations: []devicesync.Mutation{m}})
				var res devicesync.PushResponse
				if err := json.Unmarshal(body, &res); err != nil || len(res.Results) != 1 || res.Results[0].Status != "applied" {
					t.Fatalf("push: %s", body)
				}
			}
			if status != http.StatusOK {
				t.Fatalf("withdrawal: %d %s", status, body)
			}

			if got := testapp.Find(t, app, "returnees", rA1).GetStringSlice("needs"); !slices.Equal(got, []string{"employment"}) {
				t.Errorf("person's needs = %v, want [employment]", got)
			}
			if got := testapp.Find(t, app, "returns", returnA1).GetStringSlice("needs"); !slices.Equal(got, []string{"employment"}) {
				t.Errorf("return's needs = %v, want [employment]", got)
			}
			if n := sensitiveTraces(t, app); n != 0 {
				t.Errorf("%d earlier states (change log, sync_conflicts) still hold a sensitive need", n)
			}
			for _, c := range [][2]string{{"returnees", rA1}, {"returns", returnA1}} {
				entries, err := app.FindAllRecords("audit_log", dbx.HashExp{"collection_name": c[0], "record_id": c[1], "action": "update", "actor_id": who})
				if err != nil || len(entries) != 1 || !slices.Contains(entries[0].GetStringSlice("fields"), "needs") {
					t.Errorf("audit of %s/%s by %s: %d entries, want one naming needs (%v)", c[0], c[1], who, len(entries), err)
				}
				var n int
				err = app.DB().Select("count(*)").From("_sync_log").Where(dbx.HashExp{"collection": c[0], "record_id": c[1], "via": ""}).
					AndWhere(dbx.NewExp("seq > {:seq} AND fields LIKE '%needs%'", dbx.Params{"seq": seqBefore})).Row(&n)
				if err != nil || n != 1 {
					t.Errorf("change log of %s/%s: %d rows naming needs, want 1 (%v)", c[0], c[1], n, err)
				}
			}
		})
	}
}

func saveOrFail(t testing.TB, app core.App, r *core.Record) {
	t.Helper()
	if err := app.Save(r); err != nil {
		t.Fatalf("save %s/%s: %v", r.Collection().Name, r.Id, err)
	}
}

func maxSeq(t testing.TB, app core.App) int64 {
	t.Helper()
	var seq int64
	if err := app.DB().Select("COALESCE(MAX(seq), 0)").From("_sync_log").Row(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// sensitiveTraces counts the change-log rows and sync_conflicts records
// that hold a sensitive need.
func sensitiveTraces(t testing.TB, app core.App) int {
	t.Helper()
	var log, conflicts int
	if err := app.DB().Select("count(*)").From("_sync_log").
		Where(dbx.NewExp("before LIKE '%health%' OR before LIKE '%psychosocial%'")).Row(&log); err != nil {
		t.Fatal(err)
	}
	if err := app.DB().Select("count(*)").From("sync_conflicts").
		Where(dbx.NewExp("COALESCE(yours, '') || COALESCE(kept, '') || COALESCE(lost, '') LIKE '%health%' OR " +
			"COALESCE(yours, '') || COALESCE(kept, '') || COALESCE(lost, '') LIKE '%psychosocial%'")).Row(&conflicts); err != nil {
		t.Fatal(err)
	}
	return log + conflicts
}
