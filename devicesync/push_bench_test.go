package devicesync_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

// BenchmarkPush pushes registrations of the Tijuana field worker in pushes of
// 500, through the HTTP route: the path profiled for docs/BENCHMARKS.md
// (go test -run '^$' -bench Push -cpuprofile cpu.prof ./devicesync/).
func BenchmarkPush(b *testing.B) {
	app, srv := testapp.NewServed(b)
	d := newDevice(b, srv, app, "staff", testapp.FieldWorkerA, "bench-device")
	point := testapp.ID(app, "reception_points", "city", "Tijuana")
	state := testapp.ID(app, "states", "curp_code", "GR")
	seq := 0
	rng := rand.New(rand.NewPCG(1, 2))
	born := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for b.Loop() {
		ms := make([]devicesync.Mutation, 500)
		for i := range ms {
			seq++
			ms[i] = devicesync.Mutation{MutationID: fmt.Sprintf("bench-%010d", seq), Collection: "returnees",
				RecordID: syncclient.NewID(), Op: "create", ClientTS: "2026-11-27T10:00:00Z",
				Fields: map[string]any{"given_names": names[rng.IntN(len(names))], "first_surname": surnames[rng.IntN(len(surnames))], "second_surname": surnames[rng.IntN(len(surnames))],
					"sex": "H", "birth_date": born.AddDate(0, 0, rng.IntN(45*365)).Format(time.DateOnly), "destination_state": state,
					"reception_point": point, "repatriation_date": "2026-11-20", "languages": []string{"es"},
					"sector_in_us": "agriculture", "years_in_us": 3, "skills": "cosecha"}}
		}
		for _, r := range d.push(ms...) {
			if r.Status != devicesync.StatusApplied {
				b.Fatalf("%s: %+v", r.Status, r.Error)
			}
		}
	}
	b.ReportMetric(float64(b.N*500)/b.Elapsed().Seconds(), "rec/s")
}

var (
	names    = []string{"Juan", "José", "Luis", "Miguel", "Jesús", "María", "Guadalupe", "Rosa", "Juana", "Elena"}
	surnames = []string{"García", "Hernández", "Martínez", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores",
		"Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Ortiz", "Núñez", "Castillo", "Vázquez"}
)
