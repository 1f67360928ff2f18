package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/appsetup"
	_ "github.com/retorno-mx/retorno/pb_migrations"
	"github.com/retorno-mx/retorno/syncclient"
)

// saveCeiling saves n registrations with app.Save in one transaction of an
// in-process app on a copy of the server's data dir (the same database at
// the same size, migrated, with Retorno's hooks and the sync engine bound,
// so every write also appends its change-log row) and returns records per
// second. The server is stopped for the copy only. The writes carry no
// request actor: they are system writes.
func saveCeiling(srv *server, n int, rng *rand.Rand) (float64, error) {
	srv.stop()
	app, err := tests.NewTestApp(srv.data())
	if serr := srv.serve(); serr != nil {
		return 0, errors.Join(err, serr)
	}
	if err != nil {
		return 0, fmt.Errorf("test app: %w", err)
	}
	defer app.Cleanup()
	if err := appsetup.Register(app); err != nil {
		return 0, err
	}
	point, err := app.FindFirstRecordByData(catalog.ReceptionPoints, "city", "Tijuana")
	if err != nil {
		return 0, fmt.Errorf("Tijuana reception point: %w", err)
	}
	states, err := app.FindAllRecords(catalog.States)
	if err != nil {
		return 0, err
	}
	stateIDs := make([]string, len(states))
	for i, s := range states {
		stateIDs[i] = s.Id
	}
	col, err := app.FindCollectionByNameOrId(catalog.Returnees)
	if err != nil {
		return 0, err
	}
	records := make([]*core.Record, n)
	for i := range records {
		r := core.NewRecord(col)
		r.Id = syncclient.NewID()
		r.Load(person(rng, stateIDs, point.Id))
		records[i] = r
	}
	t0 := time.Now()
	err = app.RunInTransaction(func(tx core.App) error {
		for _, r := range records {
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save: %w", err)
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}
