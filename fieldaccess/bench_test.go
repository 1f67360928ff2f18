package fieldaccess_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/fieldaccess"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// BenchmarkListPeople: a coordinator's REST list of 200 people (one page),
// with and without the audit of reads (docs/BENCHMARKS.md, "Audit of
// reads"), the three ways in turn in each iteration so that the load of a
// shared machine falls on all of them alike; the medians are reported.
// "audit" is a request's time with its 200 entries queued and written by
// the goroutine meanwhile; "audit+flush" also waits for them to be written
// after each request: the whole cost.
//
//	go test ./fieldaccess -run '^$' -bench ListPeople -benchtime 300x
func BenchmarkListPeople(b *testing.B) {
	app, srv := testapp.NewServed(b)
	gr, tijuana := testapp.ID(app, "states", "curp_code", "GR"), testapp.ID(app, "reception_points", "city", "Tijuana")
	for i := range 200 {
		testapp.Save(b, app, "returnees", map[string]any{"id": fmt.Sprintf("benchperson%04d", i), "given_names": "Persona",
			"first_surname": fmt.Sprintf("Prueba%d", i), "birth_date": "1990-01-02", "sex": "H", "destination_state": gr,
			"reception_point": tijuana, "repatriation_date": "2026-11-20", "phone": "+526641234567", "needs": []string{"employment"}})
	}
	token := testapp.Token(b, app, "staff", testapp.CoordBC)
	const path = "/api/collections/returnees/records?perPage=200&skipTotal=1&sort=-repatriation_date,first_surname&filter=first_surname~%22Prueba%22"
	modes := []struct {
		name         string
		audit, flush bool
	}{{"no-audit", false, false}, {"audit", true, false}, {"audit+flush", true, true}}
	took := make([][]time.Duration, len(modes))
	for b.Loop() {
		for i, m := range modes {
			fieldaccess.AuditViews(app, m.audit)
			start := time.Now()
			if status, body := testapp.Request(b, srv.URL, token, http.MethodGet, path, nil); status != http.StatusOK || len(body) < 200*100 {
				b.Fatalf("list: %d %d bytes", status, len(body))
			}
			if m.flush {
				if err := fieldaccess.FlushViews(app); err != nil {
					b.Fatal(err)
				}
			}
			took[i] = append(took[i], time.Since(start))
		}
	}
	if err := fieldaccess.FlushViews(app); err != nil {
		b.Fatal(err)
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2]) / float64(time.Millisecond)
	}
	base := median(took[0])
	for i, m := range modes {
		b.ReportMetric(median(took[i]), "ms/"+m.name)
		if i > 0 {
			b.ReportMetric(median(took[i])/base, m.name+"/no-audit")
		}
	}
}
