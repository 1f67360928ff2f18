package devicesync_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestZZStatements(t *testing.T) {
	app, srv := testapp.NewServed(t)
	d := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "bench-device")
	next := benchRegistrations(app)
	push := func(prefix string) {
		var ms []devicesync.Mutation
		for i, c := range next() {
			ms = append(ms, devicesync.Mutation{MutationID: fmt.Sprintf("%s-%06d", prefix, i), Collection: c.Collection,
				RecordID: c.ID, Op: "create", Fields: c.Fields, ClientTS: "2026-11-27T10:00:00Z"})
		}
		for _, r := range d.push(ms...) {
			if r.Status != devicesync.StatusApplied {
				t.Fatalf("%s: %+v", r.Status, r.Error)
			}
		}
		t.Logf("mutations %d", len(ms))
	}
	push("warm")
	counts := map[string]int{}
	norm := regexp.MustCompile(`\{:[^}]+\}|'[^']*'|\b[0-9a-z]{15}\b|pbc_\w+|\d+`)
	for _, db := range []*dbx.DB{app.NonconcurrentDB().(*dbx.DB), app.ConcurrentDB().(*dbx.DB)} {
		db.QueryLogFunc = func(ctx context.Context, d time.Duration, s string, rows *sql.Rows, err error) {
			k := norm.ReplaceAllString(s, "?")
			if len(k) > 160 {
				k = k[:160]
			}
			counts[k]++
		}
		db.ExecLogFunc = func(ctx context.Context, d time.Duration, s string, res sql.Result, err error) {
			k := norm.ReplaceAllString(s, "?")
			if len(k) > 160 {
				k = k[:160]
			}
			counts[k]++
		}
	}
	push("measure")
	type kv struct {
		k string
		v int
	}
	var all []kv
	total := 0
	for k, v := range counts {
		all = append(all, kv{k, v})
		total += v
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	t.Logf("total %d", total)
	for _, e := range all {
		t.Logf("%5d %s", e.v, e.k)
	}
}
