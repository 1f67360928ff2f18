package privacy_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/privacy"
)

// count counts the rows of table where where holds.

// Each retention job, run as of a day past its period, removes what is
// older and keeps what is not: resolved conflicts, the audit of reads (not
// of writes), expired claim codes' verifiers, decided rectification requests.
func TestRetention_Jobs(t *testing.T) {
	app := testapp.New(t)
	r := privacy.DefaultRetention
	now := time.Now()
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
	db := app.NonconcurrentDB()
	old, recent := stamp(now.Add(-r.ReadAudit-24*time.Hour)), stamp(now)
	exec := func(q string, p dbx.Params) {
		if _, err := db.NewQuery(q).Bind(p).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range []struct {
		resolved bool
		at       string
	}{{true, stamp(now.Add(-r.ResolvedConflicts - 24*time.Hour))}, {true, recent}, {false, old}} {
		exec(`INSERT INTO sync_conflicts (id, kind, client_id, mutation_id, auth_collection, auth_id, collection_name, record_id, resolved, created, updated)
			VALUES ({:id}, 'rejected', 'c', {:m}, 'staff', 'x', 'returnees', 'y', {:r}, {:at}, {:at})`,
			dbx.Params{"id": "conflictold000" + string(rune('a'+i)), "m": "m" + string(rune('a'+i)), "r": c.resolved, "at": c.at})
	}
	for i, a := range []struct{ action, at string }{{"view", old}, {"check_duplicate", old}, {"export", recent}, {"update", old}} {
		exec(`INSERT INTO audit_log (id, action, collection_name, record_id, fields, created) VALUES ({:id}, {:a}, 'returnees', 'x', '[]', {:at})`,
			dbx.Params{"id": "auditold000000" + string(rune('a'+i)), "a": a.action, "at": a.at})
	}
	exec(`UPDATE returnees SET claim_verifier = 'v', claim_salt = 's', claim_expires = {:e} WHERE id = {:id}`,
		dbx.Params{"e": stamp(now.Add(-time.Hour)), "id": testapp.ReturneeA2})
	exec(`UPDATE returnees SET claim_verifier = 'v', claim_expires = {:e} WHERE id = {:id}`,
		dbx.Params{"e": stamp(now.Add(24 * time.Hour)), "id": testapp.ReturneeB1})
	request("given_names", "María Josefa")(app)
	testapp.Update(t, app, catalog.RectificationReqs, "rectifya1000001", map[string]any{"status": "declined", "decision_reason": "El acta dice lo registrado."})

	report, err := privacy.RunRetention(app, r, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if report.ResolvedConflicts != 1 || testapp.Count(t, app, catalog.SyncConflicts, dbx.NewExp("id LIKE 'conflictold%'")) != 2 {
		t.Errorf("resolved conflicts: %+v", report)
	}
	if report.ReadAudit != 2 || testapp.Count(t, app, catalog.AuditLog, dbx.NewExp("id LIKE 'auditold%'")) != 2 {
		t.Errorf("read audit: %+v", report)
	}
	if report.ExpiredCodes != 1 || testapp.Count(t, app, catalog.Returnees, dbx.HashExp{"claim_verifier": "v"}) != 1 {
		t.Errorf("claim codes: %+v", report)
	}
	if report.DecidedRequests != 0 || report.Erased != 0 {
		t.Errorf("a request decided today, nobody inactive: %+v", report)
	}
	if n, err := privacy.PruneDecidedRequests(app, now.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("a decided request past its period: %d %v", n, err)
	}
}
