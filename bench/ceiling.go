package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/internal/appsetup"
	"github.com/retorno-mx/retorno/internal/testapp"
	_ "github.com/retorno-mx/retorno/pb_migrations"
)

// saveCeiling saves regs (registrations drawn against the server's
// reference data) with app.Save in one transaction of an in-process app on
// a copy of the server's data dir (the same database at the same size,
// migrated, with Retorno's hooks and the sync engine bound, so every write
// also appends its change-log row) and returns registrations per second:
// hooked into the real collections, bare into copies of them with the same
// fields and indexes that no Retorno hook is bound to
// (testapp.BareCopies), the ceiling. The two run in halves,
// alternated (hooked, bare, bare, hooked), so that load weighs on both.
// The server is stopped for the copy only. The writes carry no request
// actor: they are system writes.
func saveCeiling(srv *server, regs []demo.Registered) (hooked, bare float64, err error) {
	srv.stop()
	app, err := testapp.Open(srv.data())
	if serr := srv.serve(); serr != nil {
		return 0, 0, errors.Join(err, serr)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("test app: %w", err)
	}
	defer app.Cleanup()
	if err := appsetup.Register(app); err != nil {
		return 0, 0, err
	}
	copies, err := testapp.BareCopies(app, catalog.Returnees, "returns", catalog.Consents)
	if err != nil {
		return 0, 0, err
	}
	save := func(bare bool) func(n, round int) (time.Duration, error) {
		done := 0
		return func(n, _ int) (time.Duration, error) {
			var records []*core.Record
			for _, c := range creates(regs[done : done+n]) {
				col, err := app.FindCachedCollectionByNameOrId(c.Collection)
				if bare {
					col = copies[c.Collection]
				}
				if err != nil || col == nil {
					return 0, fmt.Errorf("collection %s: %v", c.Collection, err)
				}
				r := core.NewRecord(col)
				r.Id = c.ID
				r.Load(c.Fields)
				records = append(records, r)
			}
			done += n
			t0 := time.Now()
			err := testapp.SaveInTransaction(app, records)
			if err != nil {
				return 0, fmt.Errorf("save: %w", err)
			}
			return time.Since(t0), nil
		}
	}
	h, b, err := alternate(len(regs), save(false), save(true))
	if err != nil {
		return 0, 0, err
	}
	return float64(len(regs)) / h.Seconds(), float64(len(regs)) / b.Seconds(), nil
}
