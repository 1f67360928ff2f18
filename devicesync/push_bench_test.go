package devicesync_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// registrationsPerOp is how many registrations (about 3.6 records each)
// one iteration of the push benchmarks writes: one push of under 500
// mutations.
const registrationsPerOp = 100

// BenchmarkPush pushes registrations of the Tijuana field worker as the
// field app sends them (demo.Register: the person with a claim code, the
// return, the consents), one push of registrationsPerOp per iteration,
// through the HTTP route: the path profiled for docs/BENCHMARKS.md
// (go test -run '^$' -bench Push -cpuprofile cpu.prof ./devicesync/).
func BenchmarkPush(b *testing.B) {
	app, srv := testapp.NewServed(b)
	d := newDevice(b, srv, app, "staff", testapp.FieldWorkerA, "bench-device")
	next := benchRegistrations(app)
	seq := 0
	for b.Loop() {
		var ms []devicesync.Mutation
		for _, c := range next() {
			seq++
			ms = append(ms, devicesync.Mutation{MutationID: fmt.Sprintf("bench-%010d", seq), Collection: c.Collection,
				RecordID: c.ID, Op: "create", Fields: c.Fields, ClientTS: "2026-11-27T10:00:00Z"})
		}
		for _, r := range d.push(ms...) {
			if r.Status != devicesync.StatusApplied {
				b.Fatalf("%s: %+v", r.Status, r.Error)
			}
		}
	}
	b.ReportMetric(float64(b.N*registrationsPerOp)/b.Elapsed().Seconds(), "reg/s")
}

// BenchmarkSaveBare saves the same registrations with app.Save, in one
// transaction per iteration, into copies of their collections that no
// Retorno hook is bound to (testapp.BareCopies): the bare ceiling that
// BenchmarkPush is compared with.
func BenchmarkSaveBare(b *testing.B) {
	app := testapp.New(b)
	copies, err := testapp.BareCopies(app, "returnees", "returns", "consents")
	if err != nil {
		b.Fatal(err)
	}
	next := benchRegistrations(app)
	for b.Loop() {
		var records []*core.Record
		for _, c := range next() {
			r := core.NewRecord(copies[c.Collection])
			r.Id = c.ID
			r.Load(c.Fields)
			records = append(records, r)
		}
		err := testapp.SaveInTransaction(app, records)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*registrationsPerOp)/b.Elapsed().Seconds(), "reg/s")
}

// benchRegistrations returns a function that draws the records of
// registrationsPerOp registrations at the Tijuana point, going to Guerrero.
func benchRegistrations(app core.App) func() []demo.Create {
	rng := rand.New(rand.NewPCG(1, 2))
	spec := demo.RegistrationSpec{Point: testapp.ID(app, "reception_points", "city", "Tijuana"),
		States: []demo.StateRef{{ID: testapp.ID(app, "states", "curp_code", "GR")}}, RepatriationDate: "2026-11-20"}
	return func() []demo.Create {
		var out []demo.Create
		for range registrationsPerOp {
			out = append(out, demo.Register(rng, spec).Records...)
		}
		return out
	}
}
