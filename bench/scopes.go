package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"path/filepath"
	"time"
)

// The wide scopes' accounts (demo staff): a NODESS of the northern border
// (its states are a share of the bulk's destinations) and the coordinator
// of Sonora (the people of Nogales and those going to Sonora; Tijuana's
// million is Baja California's).
const (
	scopeNodess      = "nodess.uabc@retorno.test"
	scopeCoordinator = "coordinacion.sr@retorno.test"
	referEvery       = 100 // one consenting person in referEvery is referred to the NODESS
)

// scopesPhase: on the grown database, a NODESS's initial sync against a
// field worker's of about as many records, and a coordinator's initial
// sync (no people: DESIGN.md, "The coordinator's device") and export of
// their state's people against the field worker's export. The comparison
// field worker is Mexicali's, given as many bulk people as the NODESS sees
// (sqlLoad, server stopped); so the phase runs last.
func (b *bench) scopesPhase(ctx context.Context, rep *report) error {
	nodeToken, nodeRec, err := b.srv.SignIn(ctx, "staff", scopeNodess)
	if err != nil {
		return fmt.Errorf("sign in %s: %w", scopeNodess, err)
	}
	coordToken, _, err := b.srv.SignIn(ctx, "staff", scopeCoordinator)
	if err != nil {
		return fmt.Errorf("sign in %s: %w", scopeCoordinator, err)
	}
	total, err := b.srv.Count(ctx, b.su, "returnees", "")
	if err != nil {
		return err
	}
	b.srv.stop()
	scope, have, err := sqlScopes(b.srv.data(), fmt.Sprint(nodeRec["nodess"]), b.reader.point)
	if err == nil && scope > have {
		err = sqlLoad(b.srv.data(), scope-have, b.reader.point, b.reader.id, b.states, "", 0)
	}
	if err != nil {
		return err
	}
	if err := b.srv.serve(); err != nil {
		return err
	}
	b.logf("NODESS scope %d people, field worker's %d + %d loaded", scope, have, max(scope-have, 0))

	section := fmt.Sprintf("scopes, %d rows", total)
	pull := func(token, client string) func(i int) (time.Duration, int, error) {
		return func(i int) (time.Duration, int, error) {
			t0 := time.Now()
			_, puts, _, _, err := b.pullAll(ctx, token, fmt.Sprintf("%s-%d", client, i), "")
			return time.Since(t0), puts, err
		}
	}
	export := func(token string) func(int) (time.Duration, int, error) {
		return func(int) (time.Duration, int, error) {
			t0 := time.Now()
			status, lines, _, err := b.download(ctx, token, "/api/exports/returnees?format=csv")
			if err == nil && status != http.StatusOK {
				err = fmt.Errorf("export: %d", status)
			}
			return time.Since(t0), lines - 1, err
		}
	}
	rows := []struct {
		wide, worker, ratio string // figure names
		wideFn, workerFn    func(int) (time.Duration, int, error)
	}{
		{"NODESS initial sync", "field worker initial sync", "NODESS vs field worker initial sync, time per record",
			pull(nodeToken, "bench-scope-nodess"), pull(b.reader.token, "bench-scope-worker")},
		{"coordinator export of people (csv)", "field worker export of people (csv)", "coordinator vs field worker export, time per record",
			export(coordToken), export(b.reader.token)},
	}
	for _, r := range rows {
		wide, wideN, worker, workerN, err := medianOfPairs(b.sz.PullReps, r.wideFn, r.workerFn)
		if err != nil {
			return fmt.Errorf("%s / %s: %w", r.wide, r.worker, err)
		}
		note := func(n int) string { return fmt.Sprintf("%d records, median of %d, alternated", n, b.sz.PullReps) }
		rep.add(figure{Section: section, Name: r.wide, Value: float64(wide.Milliseconds()), Unit: "ms", Note: note(wideN)})
		rep.add(figure{Section: section, Name: r.worker, Value: float64(worker.Milliseconds()), Unit: "ms", Note: note(workerN)})
		ratio := (wide.Seconds() / float64(max(wideN, 1))) / (worker.Seconds() / float64(max(workerN, 1)))
		rep.check(section, r.ratio, ratio, "×", "≤ 2×", ratio <= 2, fmt.Sprintf("%d vs %d records", wideN, workerN))
	}

	took, puts, err := medianOf(b.sz.PullReps, pull(coordToken, "bench-scope-coordinator"))
	if err != nil {
		return fmt.Errorf("coordinator initial sync: %w", err)
	}
	rep.add(figure{Section: section, Name: "coordinator initial sync (no people)", Value: float64(took.Milliseconds()), Unit: "ms",
		Note: fmt.Sprintf("%d records, median of %d", puts, b.sz.PullReps)})
	// the coordinator's people screen (ui/src/routes/coordinator/People.svelte):
	// PocketBase's own list API, which applies the rule as it is
	t0 := time.Now()
	if err := b.srv.Call(ctx, http.MethodGet, "/api/collections/returnees/records?page=1&perPage=50&sort=-repatriation_date,first_surname&expand=reception_point",
		coordToken, nil, nil); err != nil {
		return fmt.Errorf("coordinator's people: %w", err)
	}
	rep.add(figure{Section: section, Name: "coordinator's people screen, first page of 50 (REST list)", Value: float64(time.Since(t0).Milliseconds()), Unit: "ms",
		Note: "PocketBase's list API with the rule as written: not specialized"})
	return nil
}

// medianOf runs fn n times and returns the median time and the count of the
// last run; every run must count the same.
func medianOf(n int, fn func(int) (time.Duration, int, error)) (time.Duration, int, error) {
	d, c, _, _, err := medianOfPairs(n, fn, nil)
	return d, c, err
}

// medianOfPairs runs a then b (if set) n times, alternated so that the
// machine's load weighs on both alike, and returns each one's median time
// and count; every run of one must count the same.
func medianOfPairs(n int, a, b func(int) (time.Duration, int, error)) (time.Duration, int, time.Duration, int, error) {
	var runs [2][]time.Duration
	counts := [2]int{-1, -1}
	for i := range n {
		for k, fn := range []func(int) (time.Duration, int, error){a, b} {
			if fn == nil {
				continue
			}
			d, c, err := fn(i)
			if err != nil {
				return 0, 0, 0, 0, err
			}
			if counts[k] >= 0 && c != counts[k] {
				return 0, 0, 0, 0, fmt.Errorf("run %d counted %d, the first %d", i, c, counts[k])
			}
			counts[k] = c
			runs[k] = append(runs[k], d)
		}
	}
	var mb time.Duration
	if b != nil {
		mb = median(runs[1])
	}
	return median(runs[0]), counts[0], mb, counts[1], nil
}

// sqlScopes refers one consenting person in referEvery to node (unless
// they already are: the membership table's triggers see the write) and
// returns how many people node's staff see and how many point's field
// worker sees, with the server stopped.
func sqlScopes(dataDir, node, point string) (scope, worker int, err error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "data.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	_, err = db.Exec(`UPDATE returnees SET referred_nodess = json_array(?)
WHERE nodess_consent = 1 AND referred_nodess = '[]' AND abs(random()) % ? = 0`, node, referEvery)
	if err == nil {
		err = db.QueryRow(`SELECT COUNT(*) FROM returnees WHERE nodess_consent = 1 AND (
	destination_state IN (SELECT je.value FROM nodess n, json_each(n.states) je WHERE n.id = ?)
	OR id IN (SELECT record FROM _returnees_referred_nodess WHERE value = ?))`, node, node).Scan(&scope)
	}
	if err == nil {
		err = db.QueryRow(`SELECT COUNT(*) FROM returnees WHERE reception_point = ? OR previous_point = ?`, point, point).Scan(&worker)
	}
	return scope, worker, err
}
