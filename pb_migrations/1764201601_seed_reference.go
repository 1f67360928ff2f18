package pb_migrations

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The reference data this migration loads: the 32 federal entities
// (INEGI code, CURP code, name and the NODESS region the paper places them
// in) and the places where Mexico receives people returned from the United
// States (public reporting, 2014-2025; points open and close, so each has
// active and notes; State is the CURP code of its state). The file belongs to
// this migration: later changes to reference data are migrations of their own.
//
//go:embed 1764201601_reference.json
var referenceJSON []byte

// State is a federal entity; ReceptionPoint a place of reception.
type (
	State          struct{ INEGI, CURP, Name, Region string }
	ReceptionPoint struct {
		Name, City, State string
		Active            bool
		Notes             string
	}
)

// States and ReceptionPoints are the reference data this migration loads.
var States, ReceptionPoints = loadReference()

func loadReference() ([]State, []ReceptionPoint) {
	var ref struct {
		States          []State
		ReceptionPoints []ReceptionPoint
	}
	if err := json.Unmarshal(referenceJSON, &ref); err != nil {
		panic("pb_migrations/1764201601_reference.json: " + err.Error())
	}
	return ref.States, ref.ReceptionPoints
}

func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, "states", "reception_points")
		if err != nil {
			return err
		}
		states, points := found[0], found[1]
		ids := make(map[string]string, len(States))
		for _, s := range States {
			r := core.NewRecord(states)
			r.Load(map[string]any{"inegi_code": s.INEGI, "curp_code": s.CURP, "name": s.Name, "nodess_region": s.Region, "rev": 1})
			if err := app.Save(r); err != nil {
				return fmt.Errorf("state %s: %w", s.CURP, err)
			}
			ids[s.CURP] = r.Id
		}
		for _, p := range ReceptionPoints {
			r := core.NewRecord(points)
			r.Load(map[string]any{"name": p.Name, "city": p.City, "state": ids[p.State], "active": p.Active, "notes": p.Notes, "rev": 1})
			if err := app.Save(r); err != nil {
				return fmt.Errorf("reception point %s: %w", p.Name, err)
			}
		}
		return nil
	}, nil)
}
