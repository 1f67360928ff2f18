package devicesync_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestConvergence_RandomOfflineWork: devices of different roles work offline
// (creates, updates, deletes) while the server also writes (scope moves,
// consent grants and withdrawals, deletes); after everyone syncs, each
// device's copy of each collection equals what the REST list API gives its
// user, and nothing outside their scope remains on it.
func TestConvergence_RandomOfflineWork(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { convergeOnce(t, seed) })
	}
}

// seeds of the random work; CONVERGE_SEEDS=n runs seeds 1..n instead.
var seeds = func() []uint64 {
	n := 6
	if v, err := strconv.Atoi(os.Getenv("CONVERGE_SEEDS")); err == nil && v > 0 {
		n = v
	}
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}()

func convergeOnce(t *testing.T, seed uint64) {
	app, srv := testapp.NewServed(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	points := []string{testapp.ID(app, "reception_points", "city", "Tijuana"), testapp.ID(app, "reception_points", "city", "Matamoros")}
	workerOf := map[string]string{points[0]: testapp.FieldWorkerA, points[1]: testapp.FieldWorkerB}
	states := []string{testapp.ID(app, "states", "curp_code", "GR"), testapp.ID(app, "states", "curp_code", "OC"), testapp.ID(app, "states", "curp_code", "BC")}

	type dev struct {
		*device
		r    replica
		role string
	}
	devs := []*dev{
		{newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1"), replica{}, "fw"},
		{newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-2"), replica{}, "fw"},
		{newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-phone-1"), replica{}, "fw"},
		{newDevice(t, srv, app, "staff", testapp.NodessStaff1, "nodess-1-tablet"), replica{}, "nodess"},
		{newDevice(t, srv, app, "staff", testapp.CoordBC, "coord-bc-laptop"), replica{}, "coord"},
		{newDevice(t, srv, app, "returnee_accounts", testapp.AccountA1, "maria-phone-01"), replica{}, "returnee"},
	}
	for _, d := range devs {
		d.pullInto(d.r)
	}
	admin := &restAdmin{device: &device{t: t, base: srv.URL, token: testapp.Token(t, app, core.CollectionNameSuperusers, testapp.AddSuperuser(t, app).Id)}}

	n := 0
	next := func(prefix string) string { n++; return fmt.Sprintf("%s%0*d", prefix, 15-len(prefix), n) }
	pick := func(m map[string]json.RawMessage) (string, int) {
		if len(m) == 0 {
			return "", 0
		}
		ids := keys(m)
		slices.Sort(ids)
		id := ids[rng.IntN(len(ids))]
		var rec struct{ Rev int }
		_ = json.Unmarshal(m[id], &rec)
		return id, rec.Rev
	}

	for round := 0; round < 4; round++ {
		// offline work on every device
		for _, d := range devs {
			var ms []devicesync.Mutation
			for k := 0; k < 4; k++ {
				id := next("m")
				switch d.role {
				case "fw":
					person, rev := pick(d.r["returnees"])
					switch op := rng.IntN(4); {
					case op == 0 || person == "":
						me, _ := app.FindRecordById("staff", d.authID)
						ms = append(ms, mutation("mut-"+id, "returnees", next("r"), "create", 0, map[string]any{
							"given_names": "Nuevo", "first_surname": id, "birth_date": "1988-08-08", "sex": "X",
							"reception_point": me.GetString("reception_point"), "destination_state": states[rng.IntN(len(states))]}))
					case op == 1:
						ms = append(ms, mutation("mut-"+id, "returnees", person, "update", rev, map[string]any{"phone": fmt.Sprintf("+52664%07d", rng.IntN(1e7))}))
					case op == 2:
						ms = append(ms, mutation("mut-"+id, "case_notes", next("n"), "create", 0, map[string]any{"returnee": person, "text": "nota " + id}))
					default:
						ms = append(ms, mutation("mut-"+id, "consents", next("c"), "create", 0, map[string]any{
							"returnee": person, "purpose": "share_nodess", "granted": true, "notice_version": "2026-01", "method": "verbal"}))
					}
				case "nodess":
					if ref, rev := pick(d.r["referrals"]); ref != "" {
						ms = append(ms, mutation("mut-"+id, "referrals", ref, "update", rev, map[string]any{"notes": "visto " + id}))
					}
				case "returnee":
					if me, rev := pick(d.r["returnees"]); me != "" {
						ms = append(ms, mutation("mut-"+id, "returnees", me, "update", rev, map[string]any{"skills": "oficio " + id}))
					}
				}
			}
			d.pending = append(d.pending, ms...)
		}

		// meanwhile an administrator writes through the REST API (scope moves,
		// consent withdrawals, deletes) and Go code writes too
		all, _ := app.FindAllRecords("returnees")
		for k := 0; k < 3 && len(all) > 0; k++ {
			person := all[rng.IntN(len(all))]
			switch rng.IntN(3) {
			case 0: // moved to the other reception point
				point := points[0]
				if person.GetString("reception_point") == point {
					point = points[1]
				}
				admin.rest(http.MethodPatch, "/api/collections/returnees/records/"+person.Id,
					map[string]any{"reception_point": point, "registered_by": workerOf[point]})
			case 1: // a share_nodess consent withdrawn
				consents, _ := app.FindAllRecords("consents")
				for _, c := range consents {
					if c.GetString("purpose") == "share_nodess" && c.GetBool("granted") {
						admin.rest(http.MethodPatch, "/api/collections/consents/records/"+c.Id,
							map[string]any{"withdrawn_at": "2026-11-27 12:00:00.000Z"})
						break
					}
				}
			default: // a case note deleted, or one written by Go code
				notes, _ := app.FindAllRecords("case_notes")
				if len(notes) > 0 {
					admin.rest(http.MethodDelete, "/api/collections/case_notes/records/"+notes[rng.IntN(len(notes))].Id, nil)
				} else {
					testapp.Save(t, app, "case_notes", map[string]any{"returnee": person.Id, "text": "nota del servidor"})
				}
			}
		}

		// devices come back in random order and sync
		for _, i := range rng.Perm(len(devs)) {
			d := devs[i]
			if len(d.pending) > 0 {
				for _, res := range d.push(d.pending...) {
					if res.Status == "rejected" && res.Error != nil && res.Error.Code == "validation_failed" && res.Error.Fields == nil {
						t.Errorf("%s: %+v", res.MutationID, res.Error)
					}
				}
				d.pending = nil
			}
			changes, reset := d.pullAll()
			if reset {
				d.r = replica{}
			}
			d.r.apply(changes)
		}
	}

	// one last quiet round: everybody pulls, then compare with REST
	for _, d := range devs {
		changes, reset := d.pullAll()
		if reset {
			d.r = replica{}
		}
		d.r.apply(changes)
		d.converged(d.r, syncedCollections...)
	}
}

// restAdmin writes as a superuser through the REST API.
type restAdmin struct{ *device }

func (a *restAdmin) rest(method, path string, body any) {
	a.t.Helper()
	status, out := a.do(method, path, body)
	if status >= 300 {
		a.t.Fatalf("%s %s: %d %s", method, path, status, out)
	}
}
