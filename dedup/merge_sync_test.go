package dedup_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/dedup"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

// Offline duplicate registrations from two devices end as one record after
// the merge, on both devices. Two devices of field worker A register the
// same person while offline (each with its own id, a consent and a note),
// sync, and the server records the pair; A merges one into the other; both
// devices pull and hold exactly the kept person, with the four moved
// records pointing at them, as the REST API shows them.
func TestMerge_OfflineDuplicatesConvergeOnBothDevices(t *testing.T) {
	app, srv := newServed(t)
	d1, d2 := device(t, app, srv), device(t, app, srv)
	testapp.Sync(t, d1)
	testapp.Sync(t, d2)

	gr := testapp.ID(app, "states", "curp_code", "GR")
	register := func(d *syncclient.Client, given, second, phone string) string {
		id := syncclient.NewID()
		fields := map[string]any{"given_names": given, "first_surname": "Ruiz", "second_surname": second,
			"birth_date": "1995-02-03", "sex": "M", "birth_state": gr, "destination_state": gr,
			"reception_point": testapp.ID(app, "reception_points", "city", "Tijuana"), "phone": phone}
		must(t, d.Create("returnees", id, fields))
		must(t, d.Create("consents", syncclient.NewID(), map[string]any{"returnee": id, "purpose": "registration",
			"granted": true, "notice_version": "2026-01", "method": "verbal"}))
		must(t, d.Create("case_notes", syncclient.NewID(), map[string]any{"returnee": id, "text": "Registrada sin señal."}))
		return id
	}
	first := register(d1, "María Fernanda", "Soto", "")
	second := register(d2, "Ma. Fernanda", "", "+526647778899")

	for _, d := range []*syncclient.Client{d1, d2} {
		if rep := testapp.Sync(t, d); rep.Push.Applied != 3 || len(rep.Push.Problems) != 0 {
			t.Fatalf("push: %+v", rep.Push)
		}
	}
	testapp.Sync(t, d1) // both devices now hold both registrations
	for i, d := range []*syncclient.Client{d1, d2} {
		if got := ids(items(t, d, "returnees")); !slices.Contains(got, first) || !slices.Contains(got, second) {
			t.Fatalf("device %d before the merge: %v", i+1, got)
		}
	}
	var list struct {
		Items []struct {
			ID, Returnee, Candidate, Status string
			Score                           int
		}
	}
	call(t, srv, testapp.FieldWorkerA, http.MethodGet, "/api/collections/duplicate_candidates/records", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Returnee != second || list.Items[0].Candidate != first ||
		list.Items[0].Status != dedup.StatusOpen || list.Items[0].Score < dedup.Threshold {
		t.Fatalf("candidates after both pushes: %+v", list.Items)
	}

	if status := call(t, srv, testapp.FieldWorkerA, http.MethodPost, "/api/returnees/"+first+"/merge", map[string]string{"from": second}, nil); status != http.StatusOK {
		t.Fatalf("merge: %d", status)
	}

	for i, d := range []*syncclient.Client{d1, d2} {
		testapp.Sync(t, d)
		people := items(t, d, "returnees")
		if !slices.Contains(ids(people), first) || slices.Contains(ids(people), second) {
			t.Errorf("device %d holds returnees %v, want %s and not %s", i+1, ids(people), first, second)
		}
		for _, it := range people {
			if it.ID == first && it.Fields["phone"] != "+526647778899" {
				t.Errorf("device %d: kept record %v lacks the phone of the other", i+1, it.Fields)
			}
		}
		for _, collection := range []string{"consents", "case_notes"} {
			n := 0
			for _, it := range items(t, d, collection) {
				switch it.Fields["returnee"] {
				case first:
					n++
				case second:
					t.Errorf("device %d: %s/%s still points at the merged record", i+1, collection, it.ID)
				}
			}
			if n != 2 {
				t.Errorf("device %d: %d %s of the kept person, want 2", i+1, n, collection)
			}
		}
		testapp.Converged(t, d)
	}
}

func device(t *testing.T, app core.App, srv *httptest.Server) *syncclient.Client {
	return &syncclient.Client{BaseURL: srv.URL, Token: testapp.Token(t, app, "staff", testapp.FieldWorkerA), RetryDelay: time.Millisecond}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func items(t *testing.T, d *syncclient.Client, collection string) []syncclient.Item {
	t.Helper()
	list, err := d.List(collection)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func ids(list []syncclient.Item) []string {
	out := []string{}
	for _, it := range list {
		out = append(out, it.ID)
	}
	slices.Sort(out)
	return out
}
