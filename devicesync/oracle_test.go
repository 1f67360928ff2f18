package devicesync_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// guess is one attempt at a field of a record: right holds its stored value.
type guess struct {
	field string
	value any
	right bool
}

// guesses returns, for every field of record as its REST view shows it, the
// stored value (a right guess) and another value of the same type (a wrong
// one).
func guesses(t *testing.T, record *core.Record) []guess {
	t.Helper()
	raw, err := json.Marshal(record)
	if err != nil {
		t.Fatal(err)
	}
	var values map[string]any
	if err := json.Unmarshal(raw, &values); err != nil {
		t.Fatal(err)
	}
	var out []guess
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range values {
			if !yield(k) {
				return
			}
		}
	}) {
		switch name {
		case "id", "rev", "created", "updated", "collectionId", "collectionName", "expand":
			continue
		}
		v := values[name]
		var wrong any
		switch x := v.(type) {
		case string:
			wrong = x + "x"
		case float64:
			wrong = x + 1
		case bool:
			wrong = !x
		case []any:
			if len(x) > 0 {
				wrong = []any{}
			} else {
				wrong = []any{"x"}
			}
		default:
			wrong = "x"
		}
		out = append(out, guess{name, v, true}, guess{name, wrong, false})
	}
	return out
}

// answer is a result without what names the mutation: what an attacker
// compares between a guess and a control.
func answer(r devicesync.Result) string {
	r.MutationID, r.RecordID = "", ""
	raw, _ := json.Marshal(r)
	return string(raw)
}

// TestPush_HiddenRecordIsNoOracle: for every role, every field of records the
// caller may not see is guessed right and wrong, with the stored base_rev
// and another, by update and by delete; each answer must equal the answer
// for a record that does not exist, and nothing may change. Before the fix, a
// right guess answered applied (nothing left to change) and a wrong one
// not_found: a returnee account read a fellow member's names and birth date.
func TestPush_HiddenRecordIsNoOracle(t *testing.T) {
	app, srv := testapp.NewServed(t)

	// A1's request to rectify their given names (not a fixture of the template)
	request, err := app.FindCachedCollectionByNameOrId(catalog.RectificationReqs)
	if err != nil {
		t.Fatal(err)
	}
	rectify := core.NewRecord(request)
	rectify.Id = "rectifya1000001"
	rectify.Load(map[string]any{"returnee": testapp.ReturneeA1, "field": "given_names", "requested_value": "María Josefa"})
	if err := app.Save(rectify); err != nil {
		t.Fatal(err)
	}

	type target struct{ collection, id string }
	a1 := []target{
		{"returnees", testapp.ReturneeA1}, {"consents", testapp.ConsentA1}, {"referrals", testapp.ReferralA1},
		{"case_notes", testapp.NoteA1}, {"enrollments", testapp.EnrollmentA1}, {"group_members", testapp.MemberA1},
		{"follow_ups", testapp.FollowUpA1},
		{"outcomes", testapp.OutcomeA1}, {"cooperative_members", testapp.CoopMemberA1},
		{catalog.RectificationReqs, rectify.Id},
		{"documents", testapp.DocumentA1ID}, {"documents", testapp.DocumentA1Other},
	}
	b1 := []target{{"returnees", testapp.ReturneeB1}, {"consents", testapp.ConsentB1}}
	roles := []struct {
		name, collection, id string
		hidden               []target
	}{
		{"field worker of another point", "staff", testapp.FieldWorkerB, a1},
		{"NODESS staff of other states", "staff", testapp.NodessStaff2, a1},
		{"coordinator of another state", "staff", testapp.CoordBC, b1},
		{"another person's account", "returnee_accounts", testapp.AccountB1, a1},
		// N1 reaches A1 (share_nodess), never A1's identity documents
		{"NODESS staff of the person", "staff", testapp.NodessStaff1, []target{{"documents", testapp.DocumentA1ID}}},
	}
	for _, role := range roles {
		t.Run(role.name, func(t *testing.T) {
			d := newDevice(t, srv, app, role.collection, role.id, "oracle-"+role.id)
			n := 0
			next := func() string { n++; return fmt.Sprintf("oracle-%s-%05d", role.id, n) }
			for _, tg := range role.hidden {
				record, err := app.FindRecordById(tg.collection, tg.id)
				if err != nil {
					t.Fatal(err)
				}
				rev := record.GetInt("rev")
				missing := "nosuchrecord001"
				controlUpdate := d.push(mutation(next(), tg.collection, missing, "update", rev, map[string]any{"x": 1}))[0]
				controlDelete := d.push(mutation(next(), tg.collection, missing, "delete", rev, nil))[0]
				if controlUpdate.Status != devicesync.StatusRejected || controlUpdate.Error.Code != devicesync.CodeNotFound {
					t.Fatalf("%s: a missing record answered %+v", tg.collection, controlUpdate)
				}

				var ms []devicesync.Mutation
				for _, g := range guesses(t, record) {
					for _, base := range []int{rev, rev + 7} {
						ms = append(ms, mutation(next(), tg.collection, tg.id, "update", base, map[string]any{g.field: g.value}))
					}
				}
				ms = append(ms, mutation(next(), tg.collection, tg.id, "delete", rev, nil))
				for i, r := range d.push(ms...) {
					want := controlUpdate
					if ms[i].Op == "delete" {
						want = controlDelete
					}
					if answer(r) != answer(want) {
						t.Errorf("%s %s %v (base_rev %d): answered %s, a missing record %s",
							tg.collection, ms[i].Op, ms[i].Fields, ms[i].BaseRev, answer(r), answer(want))
					}
				}
				after, err := app.FindRecordById(tg.collection, tg.id)
				if err != nil || after.GetInt("rev") != rev {
					t.Errorf("%s/%s was changed or deleted by guesses", tg.collection, tg.id)
				}
			}
		})
	}
}

// TestPush_InSightNotWritableAnswersAlike: a record the caller sees but may
// not change (a coordinator's person) answers forbidden whatever is guessed:
// the answer depends on the rule, not on the stored values.
func TestPush_InSightNotWritableAnswersAlike(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.CoordBC, "oracle-coordinator-insight")
	record, _ := app.FindRecordById("returnees", testapp.ReturneeA1)
	rev := record.GetInt("rev")
	var ms []devicesync.Mutation
	for i, g := range guesses(t, record) {
		ms = append(ms, mutation(fmt.Sprintf("insight-%05d", i), "returnees", testapp.ReturneeA1, "update", rev, map[string]any{g.field: g.value}))
	}
	res := d.push(ms...)
	for i, r := range res {
		if r.Status != devicesync.StatusRejected || r.Error.Code != devicesync.CodeForbidden || answer(r) != answer(res[0]) {
			t.Errorf("%v: answered %s, want forbidden like every other guess", ms[i].Fields, answer(r))
		}
	}
}

// TestREST_HiddenRecordIsNoOracle: the REST and batch APIs answer a right and
// a wrong guess at a hidden person's fields as they answer a missing record
// (PocketBase's handlers read through the update rule first; this holds them
// to it as hooks are added).
func TestREST_HiddenRecordIsNoOracle(t *testing.T) {
	app := testapp.New(t)
	app.Settings().Batch.Enabled = true
	srv := testapp.Serve(t, app)
	d := newDevice(t, srv, app, "returnee_accounts", testapp.AccountB1, "oracle-rest-b1")
	record, _ := app.FindRecordById("returnees", testapp.ReturneeA1)
	path := func(id string) string { return "/api/collections/returnees/records/" + id }
	batch := func(id string, body map[string]any) (int, []byte) {
		return d.do(http.MethodPost, "/api/batch", map[string]any{"requests": []map[string]any{
			{"method": "PATCH", "url": path(id), "body": body}}})
	}
	restStatus, restBody := d.do(http.MethodPatch, path("nosuchrecord001"), map[string]any{"skills": "x"})
	batchStatus, batchBody := batch("nosuchrecord001", map[string]any{"skills": "x"})
	for _, g := range guesses(t, record) {
		body := map[string]any{g.field: g.value}
		if s, b := d.do(http.MethodPatch, path(testapp.ReturneeA1), body); s != restStatus || !bytes.Equal(b, restBody) {
			t.Errorf("REST %v: %d %s, a missing record %d %s", body, s, b, restStatus, restBody)
		}
		if s, b := batch(testapp.ReturneeA1, body); s != batchStatus || !bytes.Equal(b, batchBody) {
			t.Errorf("batch %v: %d %s, a missing record %d %s", body, s, b, batchStatus, batchBody)
		}
	}
}

// TestPush_UnchangedValueIsStillChecked: a value that the record would
// coerce to what it already holds ("abc" for a number stored as 0) is
// refused as REST refuses it, not answered applied; a value that is truly
// unchanged writes nothing.
func TestPush_UnchangedValueIsStillChecked(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "unchanged-fw-a")
	a2, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	rev := a2.GetInt("rev")
	res := d.push(
		mutation("unchanged-bad-01", "returnees", testapp.ReturneeA2, "update", rev, map[string]any{"years_in_us": "abc"}),
		mutation("unchanged-same-1", "returnees", testapp.ReturneeA2, "update", rev, map[string]any{"given_names": a2.GetString("given_names")}),
	)
	if r := res[0]; r.Status != devicesync.StatusRejected || r.Error.Fields["years_in_us"] == "" ||
		r.Error.FieldCodes["years_in_us"] != "validation_not_a_number" {
		t.Errorf("years_in_us \"abc\" over a stored 0: %+v", r)
	}
	if r := res[1]; r.Status != devicesync.StatusApplied || r.Rev != rev {
		t.Errorf("an unchanged name: %s rev %d, want applied at rev %d", r.Status, r.Rev, rev)
	}
	if after, _ := app.FindRecordById("returnees", testapp.ReturneeA2); after.GetInt("rev") != rev {
		t.Errorf("rev %d -> %d", rev, after.GetInt("rev"))
	}
}
