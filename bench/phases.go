package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testingutil"
	"github.com/retorno-mx/retorno/syncclient"
)

// syncedCollections are the collections devices sync, from the catalog, in
// the engine's order.
var syncedCollections = catalog.Where(catalog.Collection.Synced)

// worker is a signed-in field worker.
type worker struct {
	email, token, id, point string
}

type bench struct {
	srv    *server
	sz     sizes
	logf   func(string, ...any)
	su     string          // superuser token
	tij    *worker         // loads the database and reads the initial pull
	reader *worker         // reads the growth pulls: a small scope in a growing database
	states []string        // state ids
	refs   []demo.StateRef // the same, as registrations name them
	rng    *rand.Rand
	seq    int // mutation id counter

	pushRate float64 // sync push rate, rec/s, for the ceiling ratio
}

func newBench(ctx context.Context, srv *server, sz sizes, logf func(string, ...any)) (*bench, error) {
	b := &bench{srv: srv, sz: sz, logf: logf, rng: rand.New(rand.NewPCG(1, 2))}
	var err error
	if b.su, _, err = srv.SignIn(ctx, "_superusers", "admin@retorno.test"); err != nil {
		return nil, fmt.Errorf("superuser: %w", err)
	}
	if b.tij, err = b.signInWorker(ctx, demo.FieldWorkerEmail("Tijuana")); err != nil {
		return nil, err
	}
	if b.reader, err = b.signInWorker(ctx, demo.FieldWorkerEmail("Mexicali")); err != nil {
		return nil, err
	}
	states, err := srv.List(ctx, "", "states", url.Values{"fields": {"id"}})
	if err != nil {
		return nil, err
	}
	for _, s := range states {
		b.states = append(b.states, fmt.Sprint(s["id"]))
		b.refs = append(b.refs, demo.StateRef{ID: fmt.Sprint(s["id"])})
	}
	return b, nil
}

func (b *bench) signInWorker(ctx context.Context, email string) (*worker, error) {
	token, rec, err := b.srv.SignIn(ctx, "staff", email)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", email, err)
	}
	point, _ := rec["reception_point"].(string)
	if point == "" {
		return nil, fmt.Errorf("%s has no reception point", email)
	}
	return &worker{email: email, token: token, id: fmt.Sprint(rec["id"]), point: point}, nil
}

// mutations turns n new people at point (the person records alone, for
// the bulk loads and the pulls that count them) into create mutations.
func (b *bench) mutations(n int, point string) []devicesync.Mutation {
	out := make([]devicesync.Mutation, n)
	spec := demo.RegistrationSpec{Point: point, States: b.refs, RepatriationDate: "2026-11-20"}
	for i := range out {
		b.seq++
		out[i] = devicesync.Mutation{MutationID: fmt.Sprintf("bench-%010d", b.seq), Collection: "returnees",
			RecordID: syncclient.NewID(), Op: "create", Fields: demo.Registration(b.rng, spec), ClientTS: "2026-11-27T10:00:00Z"}
	}
	return out
}

// syncPush pushes mutations in batches of batch and checks each was applied.
func (b *bench) syncPush(ctx context.Context, token, clientID string, ms []devicesync.Mutation, batch int) error {
	for start := 0; start < len(ms); start += batch {
		chunk := ms[start:min(start+batch, len(ms))]
		var res devicesync.PushResponse
		err := b.srv.Call(ctx, http.MethodPost, "/api/sync/push", token,
			devicesync.PushRequest{ClientID: clientID, SchemaVersion: 1, Mutations: chunk}, &res)
		if err != nil {
			return err
		}
		for _, r := range res.Results {
			if r.Status != devicesync.StatusApplied {
				raw, _ := json.Marshal(r)
				return fmt.Errorf("mutation not applied: %s", raw)
			}
		}
	}
	return nil
}

// pushPhase: N registrations as the field app sends them, through the
// sync push with and without their claim codes, REST creates and batch.
func (b *bench) pushPhase(ctx context.Context, rep *report) error {
	n := b.sz.Push
	section := fmt.Sprintf("push %d", n)
	var sent []demo.Registered
	codes, plain, err := alternate(n, func(half, round int) (time.Duration, error) {
		regs := b.registrations(half, b.tij.point, nil)
		sent = append(sent, regs...)
		return b.pushRegistrations(ctx, b.tij.token, fmt.Sprintf("bench-push-sync-%d", round), regs)
	}, func(half, round int) (time.Duration, error) {
		return b.pushRegistrations(ctx, b.tij.token, fmt.Sprintf("bench-push-plain-%d", round),
			withoutClaimCodes(b.registrations(half, b.tij.point, nil)))
	})
	if err != nil {
		return fmt.Errorf("sync push: %w", err)
	}

	restDur, err := b.restCreate(ctx, b.tij.token, b.registrations(n, b.tij.point, nil))
	if err != nil {
		return err
	}
	if err := b.srv.Call(ctx, http.MethodPatch, "/api/settings", b.su,
		map[string]any{"batch": map[string]any{"enabled": true, "maxRequests": 50}}, nil); err != nil {
		return fmt.Errorf("enable batch: %w", err)
	}
	batchDur, err := b.batchCreate(ctx, b.tij.token, b.registrations(n, b.tij.point, nil))
	if err != nil {
		return err
	}

	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	b.pushRate = rate(codes)
	rep.add(figure{Section: section, Name: "sync push, requests of 500 mutations", Value: rate(codes), Unit: "reg/s", Note: shape(sent)})
	rep.add(figure{Section: section, Name: "sync push, the same without claim codes", Value: rate(plain), Unit: "reg/s",
		Note: "other people, same shape; halves alternated with the above"})
	r0 := plain.Seconds() / codes.Seconds()
	rep.check(section, "sync push with claim codes vs without", r0, "×", "≥ 0.8×", r0 >= 0.8, "")
	rep.add(figure{Section: section, Name: "REST create, one request per record", Value: rate(restDur), Unit: "reg/s"})
	rep.add(figure{Section: section, Name: "/api/batch, 50 creates per request", Value: rate(batchDur), Unit: "reg/s"})
	r1 := restDur.Seconds() / codes.Seconds()
	rep.check(section, "sync vs REST create", r1, "×", "≥ 5×", r1 >= 5, "")
	r2 := batchDur.Seconds() / codes.Seconds()
	rep.check(section, "sync vs /api/batch", r2, "×", "≥ 2×", r2 >= 2, "")
	return nil
}

// maps copies m and sets key to value.
func maps(m map[string]any, key string, value any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}

// ceilingPhase: the same registrations through app.Save in one transaction
// of an in-process app.
func (b *bench) ceilingPhase(ctx context.Context, rep *report) error {
	n := b.sz.Push
	rate, bare, err := saveCeiling(b.srv, b.registrations(n, b.tij.point, nil))
	if err != nil {
		return err
	}
	section := fmt.Sprintf("push %d", n)
	rep.add(figure{Section: section, Name: "app.Save in one transaction (in-process)", Value: rate, Unit: "reg/s",
		Note: "every Retorno hook and the change log"})
	rep.add(figure{Section: section, Name: "app.Save into unhooked copies (in-process, bare)", Value: bare, Unit: "reg/s",
		Note: "the same records; halves alternated with the above"})
	if b.pushRate > 0 {
		r := b.pushRate / rate
		rep.check(section, "sync vs app.Save with the hooks", r, "×", "≥ 0.5×", r >= 0.5, "")
		r = b.pushRate / bare
		rep.check(section, "sync vs bare app.Save (issue 16, part 3)", r, "×", "≥ 0.5×", r >= 0.5, "")
	}
	return nil
}

// pullAll pulls from cursor until has_more is false; it returns the new
// cursor, the puts, other changes and the wire bytes.
func (b *bench) pullAll(ctx context.Context, token, clientID, cursor string) (string, int, int, int64, error) {
	puts, others := 0, 0
	var wire int64
	for {
		path := "/api/sync/pull?limit=500&client_id=" + clientID
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		a, err := b.srv.do(ctx, http.MethodGet, path, token, nil, true)
		if err != nil {
			return "", 0, 0, 0, err
		}
		if a.status != http.StatusOK {
			return "", 0, 0, 0, fmt.Errorf("pull: %d %s", a.status, testingutil.Truncate(a.body, 300))
		}
		wire += a.wire
		var page devicesync.PullResponse
		if err := json.Unmarshal(a.body, &page); err != nil {
			return "", 0, 0, 0, err
		}
		if page.Reset {
			return "", 0, 0, 0, errors.New("unexpected reset")
		}
		for _, c := range page.Changes {
			if c.Op == "put" {
				puts++
			} else {
				others++
			}
		}
		cursor = page.Cursor
		if !page.HasMore {
			return cursor, puts, others, wire, nil
		}
	}
}

// listAll pages every synced collection through the list API as token's user.
func (b *bench) listAll(ctx context.Context, token string) (int, int64, string, error) {
	items := 0
	var wire int64
	encoding := "identity"
	for _, col := range syncedCollections {
		for page := 1; ; page++ {
			a, err := b.srv.do(ctx, http.MethodGet, "/api/collections/"+col+"/records?perPage=500&skipTotal=1&page="+strconv.Itoa(page), token, nil, true)
			if err != nil {
				return 0, 0, "", err
			}
			if a.status != http.StatusOK {
				return 0, 0, "", fmt.Errorf("list %s: %d %s", col, a.status, testingutil.Truncate(a.body, 300))
			}
			if a.wire != int64(len(a.body)) {
				encoding = "gzip"
			}
			wire += a.wire
			var res struct {
				Items []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal(a.body, &res); err != nil {
				return 0, 0, "", err
			}
			items += len(res.Items)
			if len(res.Items) < 500 {
				break
			}
		}
	}
	return items, wire, encoding, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// load brings the returnees of the database up to total through sync
// pushes of 500 at the Tijuana point; it returns the rows added, the time
// taken and the rows now in the database (more than total when the earlier
// phases already wrote more).
func (b *bench) load(ctx context.Context, total int) (int, time.Duration, int, error) {
	have, err := b.srv.Count(ctx, b.su, "returnees", "")
	if err != nil {
		return 0, 0, 0, err
	}
	missing := total - have
	t0 := time.Now()
	if b.sz.SQLLoad && missing >= 10000 {
		b.srv.stop()
		if err := sqlLoad(b.srv.data(), missing, b.tij.point, b.tij.id, b.states, "", 0); err != nil {
			return 0, 0, 0, err
		}
		if err := b.srv.serve(); err != nil {
			return 0, 0, 0, err
		}
		missing = 0
	}
	for missing > 0 {
		chunk := min(missing, 5000)
		if err := b.syncPush(ctx, b.tij.token, "bench-load-0001", b.mutations(chunk, b.tij.point), devicesync.MaxMutations); err != nil {
			return 0, 0, 0, fmt.Errorf("load: %w", err)
		}
		missing -= chunk
	}
	return max(total-have, 0), time.Since(t0), max(total, have), nil
}

// growthPhase: the time of a pull of 100 new changes at each database size,
// and the initial pull comparison at the second size (or the only one).
func (b *bench) growthPhase(ctx context.Context, rep *report) error {
	var times []time.Duration
	var rows []int
	comparedAt := min(b.sz.CompareAt, len(b.sz.Growth)-1)
	for i, total := range b.sz.Growth {
		loaded, took, now, err := b.load(ctx, total)
		if err != nil {
			return err
		}
		if loaded > 0 {
			b.logf("loaded %d rows in %s (%.0f rec/s)", loaded, took.Round(time.Millisecond), float64(loaded)/took.Seconds())
			how := "sync push, 500 per request"
			if b.sz.SQLLoad && loaded >= 10000 {
				how = "SQL, server stopped, hooks skipped"
			}
			rep.add(figure{Section: "growth", Name: fmt.Sprintf("bulk load to %d rows (%s)", total, how),
				Value: float64(loaded) / took.Seconds(), Unit: "rec/s"})
		}
		clientID := fmt.Sprintf("bench-reader-%d", i)
		cursor, _, _, _, err := b.pullAll(ctx, b.reader.token, clientID, "")
		if err != nil {
			return fmt.Errorf("reader initial sync: %w", err)
		}
		if err := b.syncPush(ctx, b.reader.token, fmt.Sprintf("bench-writer-%d", i), b.mutations(100, b.reader.point), 100); err != nil {
			return err
		}
		var runs []time.Duration
		for range b.sz.PullReps {
			t0 := time.Now()
			_, puts, others, _, err := b.pullAll(ctx, b.reader.token, clientID, cursor)
			if err != nil {
				return err
			}
			runs = append(runs, time.Since(t0))
			if puts != 100 || others != 0 {
				return fmt.Errorf("pull of 100 new changes got %d puts and %d others", puts, others)
			}
		}
		m := median(runs)
		times = append(times, m)
		rows = append(rows, now)
		rep.add(figure{Section: "growth", Name: fmt.Sprintf("pull of 100 new changes, %d rows", now),
			Value: float64(m.Microseconds()) / 1000, Unit: "ms", Note: fmt.Sprintf("median of %d", len(runs))})

		if i == comparedAt {
			if err := b.comparePull(ctx, rep); err != nil {
				return err
			}
		}
	}
	if len(times) > 1 {
		r := times[len(times)-1].Seconds() / times[0].Seconds()
		rep.check("growth", fmt.Sprintf("largest vs smallest (%d vs %d rows)", rows[len(rows)-1], rows[0]),
			r, "×", "≤ 1.5×", r <= 1.5, "")
	}
	return nil
}

// comparePull times the Tijuana field worker's initial sync against paging
// the list API over the same collections.
func (b *bench) comparePull(ctx context.Context, rep *report) error {
	var syncRuns, listRuns []time.Duration
	var syncPuts, listItems int
	var syncWire, listWire int64
	encoding := ""
	for i := range b.sz.PullReps {
		t0 := time.Now()
		_, puts, _, wire, err := b.pullAll(ctx, b.tij.token, fmt.Sprintf("bench-initial-%d", i), "")
		if err != nil {
			return fmt.Errorf("initial pull: %w", err)
		}
		syncRuns = append(syncRuns, time.Since(t0))
		syncPuts, syncWire = puts, wire

		t0 = time.Now()
		items, lwire, enc, err := b.listAll(ctx, b.tij.token)
		if err != nil {
			return err
		}
		listRuns = append(listRuns, time.Since(t0))
		listItems, listWire, encoding = items, lwire, enc
	}
	section := fmt.Sprintf("initial pull %d", syncPuts)
	ms, ml := median(syncRuns), median(listRuns)
	rep.add(figure{Section: section, Name: "sync pull, limit 500", Value: float64(ms.Milliseconds()), Unit: "ms",
		Note: fmt.Sprintf("%d records, median of %d", syncPuts, len(syncRuns))})
	rep.add(figure{Section: section, Name: "list API, perPage 500, skipTotal", Value: float64(ml.Milliseconds()), Unit: "ms",
		Note: fmt.Sprintf("%d records, median of %d", listItems, len(listRuns))})
	r := ml.Seconds() / ms.Seconds()
	note := ""
	if syncPuts != listItems {
		note = fmt.Sprintf("record counts differ: %d vs %d", syncPuts, listItems)
	}
	rep.check(section, "sync vs list API (speed-up)", r, "×", "≥ 1× (no slower)", r >= 1 && syncPuts == listItems, note)
	rep.add(figure{Section: section, Name: "sync pull bytes per record (gzip)", Value: float64(syncWire) / float64(max(syncPuts, 1)), Unit: "B"})
	rep.add(figure{Section: section, Name: "list API bytes per record (" + encoding + ")", Value: float64(listWire) / float64(max(listItems, 1)), Unit: "B",
		Note: map[bool]string{true: "the list API ignores Accept-Encoding: gzip", false: ""}[encoding == "identity"]})
	return nil
}

// stormPhase: every device reconnects at once with 50 queued registrations,
// while bad requests hit the server.
func (b *bench) stormPhase(ctx context.Context, rep *report) error {
	workers, err := b.stormWorkers(ctx)
	if err != nil {
		return err
	}
	st, err := b.stormPrepare(ctx, workers)
	if err != nil {
		return err
	}
	bad, err := b.badRequests(ctx, workers[0], max(b.sz.Devices/b.sz.BadShare, 3))
	if err != nil {
		return err
	}
	before, err := b.srv.Count(ctx, b.su, "returnees", "")
	if err != nil {
		return err
	}
	if err := b.srv.resetPeakRSS(); err != nil {
		b.logf("cannot reset the peak RSS: %v", err)
	}
	b.logf("storm: %d devices sync at once", b.sz.Devices)
	badStatus := b.stormRun(ctx, st, bad)
	hwm, hwmErr := b.srv.procStatus("VmHWM")
	failures, missing, problems, err := st.verify()
	if err != nil {
		return err
	}
	after, err := b.srv.Count(ctx, b.su, "returnees", "")
	if err != nil {
		return err
	}

	section := fmt.Sprintf("storm %d devices", b.sz.Devices)
	want := b.sz.Devices * b.sz.PerDevice
	badOK := 0
	var badNotes []string
	for i, r := range bad {
		if badStatus[i] == r.want {
			badOK++
		} else {
			badNotes = append(badNotes, fmt.Sprintf("%s got %d", r.kind, badStatus[i]))
		}
	}
	latencies := slices.Sorted(slices.Values(st.latencies))
	p := func(q float64) time.Duration { return latencies[min(len(latencies)-1, int(q*float64(len(latencies))))] }
	rep.check(section, "failed devices", float64(failures), "", "0", failures == 0, strings.Join(first(problems, 3), "; "))
	rep.check(section, "registrations on the server exactly once", float64(want-missing), "of "+strconv.Itoa(want), "all",
		missing == 0 && after-before == want, fmt.Sprintf("server gained %d returnees", after-before))
	rep.add(figure{Section: section, Name: "sync latency p50 (push 50 + pull)", Value: float64(p(0.5).Milliseconds()), Unit: "ms"})
	p99 := p(0.99)
	rep.check(section, "sync latency p99", float64(p99.Milliseconds()), "ms", "≤ 10000 ms", p99 <= 10*time.Second,
		fmt.Sprintf("max %d ms; storm took %d ms", latencies[len(latencies)-1].Milliseconds(), st.elapsed.Milliseconds()))
	rep.check(section, "bad requests answered with their 4xx", float64(badOK), "of "+strconv.Itoa(len(bad)), "all",
		badOK == len(bad), strings.Join(first(badNotes, 3), "; ")+kinds(bad))
	if hwmErr == nil {
		mb := float64(hwm) / 1024
		rep.check(section, "server peak RSS during the storm (VmHWM)", mb, "MB", "< 300 MB", mb < 300, "")
	}
	return nil
}

// stormWorkers signs in the demo field worker of every active reception
// point but Tijuana, whose scope holds the bulk-loaded rows: its devices
// would measure an initial sync, not a reconnect.
func (b *bench) stormWorkers(ctx context.Context) ([]*worker, error) {
	points, err := b.srv.List(ctx, "", "reception_points", url.Values{"fields": {"city,active"}})
	if err != nil {
		return nil, err
	}
	var workers []*worker
	for _, p := range points {
		email := demo.FieldWorkerEmail(fmt.Sprint(p["city"]))
		if p["active"] != true || email == b.tij.email || slices.ContainsFunc(workers, func(w *worker) bool { return w.email == email }) {
			continue
		}
		w, err := b.signInWorker(ctx, email)
		if err != nil {
			continue
		}
		workers = append(workers, w)
	}
	if len(workers) == 0 {
		return nil, errors.New("no field worker to simulate")
	}
	return workers, nil
}

// storm is the devices of the storm and what happened to them.
type storm struct {
	devices   []*syncclient.Client
	created   [][]string // each device's own registrations
	errs      []error
	latencies []time.Duration
	elapsed   time.Duration
}

// stormPrepare makes the devices, round-robin over workers; each syncs once
// (8 at a time), then queues its registrations offline.
func (b *bench) stormPrepare(ctx context.Context, workers []*worker) (*storm, error) {
	hc := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: b.sz.Devices + 16}}
	n := b.sz.Devices
	st := &storm{devices: make([]*syncclient.Client, n), created: make([][]string, n), errs: make([]error, n), latencies: make([]time.Duration, n)}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range st.devices {
		w := workers[i%len(workers)]
		st.devices[i] = &syncclient.Client{BaseURL: b.srv.Base, Token: w.token, HTTPClient: hc, ClientID: fmt.Sprintf("bench-storm-%04d", i)}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			_, st.errs[i] = st.devices[i].Sync(ctx)
		})
	}
	wg.Wait()
	if err := errors.Join(st.errs...); err != nil {
		return nil, fmt.Errorf("first sync: %w", err)
	}
	for i, d := range st.devices {
		w := workers[i%len(workers)]
		for _, reg := range b.registrations(b.sz.PerDevice, w.point, nil) {
			for _, c := range reg.Records {
				if err := d.Create(c.Collection, c.ID, c.Fields); err != nil {
					return nil, err
				}
			}
			st.created[i] = append(st.created[i], reg.ID)
		}
	}
	return st, nil
}

// stormRun lets every device sync, and the bad requests go, at the same
// instant; it returns the status each bad request got.
func (b *bench) stormRun(ctx context.Context, st *storm, bad []badRequest) []int {
	var wg sync.WaitGroup
	gate := make(chan struct{})
	badStatus := make([]int, len(bad))
	for i, d := range st.devices {
		wg.Go(func() {
			<-gate
			t0 := time.Now()
			_, st.errs[i] = d.Sync(ctx)
			st.latencies[i] = time.Since(t0)
		})
	}
	for i, r := range bad {
		wg.Go(func() {
			<-gate
			a, err := b.srv.do(ctx, http.MethodPost, "/api/sync/push", r.token, r.body, false)
			if err == nil {
				badStatus[i] = a.status
			}
		})
	}
	t0 := time.Now()
	close(gate)
	wg.Wait()
	st.elapsed = time.Since(t0)
	return badStatus
}

// verify counts the failed devices (an error, or refused mutations) and the
// registrations a device does not hold confirmed (pulled, not pending; a
// person's rev is 2 once their share_nodess consent is applied, which
// derives nodess_consent on them).
func (st *storm) verify() (failures, missing int, problems []string, err error) {
	for i, err := range st.errs {
		if err != nil {
			failures++
			problems = append(problems, fmt.Sprintf("device %d: %v", i, err))
		}
	}
	for i, d := range st.devices {
		items, err := d.List("returnees")
		if err != nil {
			return 0, 0, nil, err
		}
		confirmed := map[string]bool{}
		for _, it := range items {
			if !it.Pending && it.Rev >= 1 {
				confirmed[it.ID] = true
			}
		}
		for _, id := range st.created[i] {
			if !confirmed[id] {
				missing++
			}
		}
		if ps, _ := d.Problems(); len(ps) > 0 {
			failures++
			problems = append(problems, fmt.Sprintf("device %d: %d refused mutations", i, len(ps)))
		}
	}
	return failures, missing, problems, nil
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

// badRequest is a push that must be refused.
type badRequest struct {
	kind  string
	token string
	body  []byte
	want  int
}

func kinds(bad []badRequest) string {
	n := map[string]int{}
	for _, r := range bad {
		n[r.kind]++
	}
	var parts []string
	for _, k := range []string{"malformed", "oversized", "too many", "expired token"} {
		parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
	}
	return strings.Join(parts, ", ")
}

// badRequests makes n refused pushes: malformed JSON (400), a body over
// 5 MB (413), 501 mutations (413), and a token that expired (401).
func (b *bench) badRequests(ctx context.Context, w *worker, n int) ([]badRequest, error) {
	var expired struct {
		Token string `json:"token"`
	}
	if err := b.srv.Call(ctx, http.MethodPost, "/api/collections/staff/impersonate/"+w.id, b.su,
		map[string]any{"duration": 1}, &expired); err != nil {
		return nil, fmt.Errorf("impersonate: %w", err)
	}
	tooMany, _ := json.Marshal(devicesync.PushRequest{ClientID: "bench-bad-0001", SchemaVersion: 1, Mutations: b.mutations(501, w.point)})
	oversized := []byte(`{"client_id":"bench-bad-0002","schema_version":1,"mutations":[{"mutation_id":"bench-bad-big","collection":"returnees","record_id":"aaaaaaaaaaaaaaa","op":"create","fields":{"skills":"` +
		strings.Repeat("x", 6<<20) + `"}}]}`)
	valid, _ := json.Marshal(devicesync.PushRequest{ClientID: "bench-bad-0003", SchemaVersion: 1, Mutations: b.mutations(1, w.point)})
	kinds := []badRequest{
		{kind: "malformed", token: w.token, body: []byte(`{"client_id":"bench-bad-0004","schema_version":1,"mutations":[{`), want: 400},
		{kind: "oversized", token: w.token, body: oversized, want: 413},
		{kind: "too many", token: w.token, body: tooMany, want: 413},
		{kind: "expired token", token: expired.Token, body: valid, want: 401},
	}
	out := make([]badRequest, n)
	for i := range out {
		out[i] = kinds[i%len(kinds)]
	}
	time.Sleep(2 * time.Second) // let the impersonation token expire
	return out, nil
}
