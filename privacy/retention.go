package privacy

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// Retention is how long Retorno keeps what it keeps only for a while
// (docs/PRIVACY.md, "Retention"). The sync engine's own periods (its log,
// refusals and clashes: 180 days) are devicesync.Config.Retention; claim
// attempts are kept a day by package claim.
type Retention struct {
	// ResolvedConflicts: a sync conflict or refusal that staff marked
	// resolved is deleted this long after (its last change).
	ResolvedConflicts time.Duration
	// ReadAudit: audit entries of reads (views, duplicate checks, exports)
	// are deleted after this; entries of writes stay (they hold no values).
	ReadAudit time.Duration
	// ExpiredCodes: the verifier of a claim code nobody used is cleared
	// this long after the code expired (it can no longer open anything).
	ExpiredCodes time.Duration
	// DecidedRequests: a decided rectification request (which holds the
	// value asked for) is deleted this long after the decision; the audit
	// keeps that it was decided.
	DecidedRequests time.Duration
	// Inactive: a person with no activity for this long (no write on them
	// or on any record about them, no pull by their account's devices) is
	// erased (Erase), as a system write whose reason says so.
	Inactive time.Duration
	// MaxErasures bounds the people one run erases, each in its own
	// transaction; the next run goes on.
	MaxErasures int
}

// DefaultRetention are Retorno's periods (docs/PRIVACY.md explains each).
var DefaultRetention = Retention{
	ResolvedConflicts: 30 * 24 * time.Hour,
	ReadAudit:         365 * 24 * time.Hour,
	ExpiredCodes:      0,
	DecidedRequests:   365 * 24 * time.Hour,
	Inactive:          5 * 365 * 24 * time.Hour,
	MaxErasures:       200,
}

// RetentionReport counts what one run removed.
type RetentionReport struct {
	ResolvedConflicts, ReadAudit, ExpiredCodes, DecidedRequests, Erased int64
}

// scheduleRetention runs the retention jobs every night at 03:41.
func scheduleRetention(app core.App, r Retention) {
	app.Cron().MustAdd("privacy_retention", "41 3 * * *", func() {
		report, err := RunRetention(app, r, time.Now())
		if err != nil {
			app.Logger().Error("privacy: retention", "error", err)
			return
		}
		app.Logger().Info("privacy: retention", "report", report)
	})
}

// RunRetention runs every retention job as of now.
func RunRetention(app core.App, r Retention, now time.Time) (RetentionReport, error) {
	var report RetentionReport
	var err error
	steps := []struct {
		count *int64
		run   func() (int64, error)
	}{
		{&report.ResolvedConflicts, func() (int64, error) { return PruneResolvedConflicts(app, now.Add(-r.ResolvedConflicts)) }},
		{&report.ReadAudit, func() (int64, error) { return PruneReadAudit(app, now.Add(-r.ReadAudit)) }},
		{&report.ExpiredCodes, func() (int64, error) { return ClearExpiredCodes(app, now.Add(-r.ExpiredCodes)) }},
		{&report.DecidedRequests, func() (int64, error) { return PruneDecidedRequests(app, now.Add(-r.DecidedRequests)) }},
		{&report.Erased, func() (int64, error) { return EraseInactive(app, now.Add(-r.Inactive), r.MaxErasures) }},
	}
	for _, s := range steps {
		if *s.count, err = s.run(); err != nil {
			return report, err
		}
	}
	return report, nil
}

// stamp is t as PocketBase stores datetimes, for comparisons in SQL.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// PruneResolvedConflicts deletes the sync conflicts resolved before before.
func PruneResolvedConflicts(app core.App, before time.Time) (int64, error) {
	res, err := app.NonconcurrentDB().Delete(catalog.SyncConflicts, dbx.And(
		dbx.HashExp{"resolved": true}, dbx.NewExp("updated < {:before}", dbx.Params{"before": stamp(before)}))).Execute()
	if err != nil {
		return 0, fmt.Errorf("retention: resolved conflicts: %w", err)
	}
	return res.RowsAffected()
}

// ReadActions are the audit actions of reads, which retention prunes.
var ReadActions = []string{"view", "check_duplicate", "export"}

// PruneReadAudit deletes the audit entries of reads made before before.
// The audit log is append-only for everyone (hooks/audit.go): retention
// is its one exception, in SQL beside the hooks.
func PruneReadAudit(app core.App, before time.Time) (int64, error) {
	res, err := app.NonconcurrentDB().Delete(catalog.AuditLog, dbx.And(
		dbx.In("action", list.ToInterfaceSlice(ReadActions)...), dbx.NewExp("created < {:before}", dbx.Params{"before": stamp(before)}))).Execute()
	if err != nil {
		return 0, fmt.Errorf("retention: read audit: %w", err)
	}
	return res.RowsAffected()
}

// ClearExpiredCodes clears the verifier of every unused claim code that
// expired before before. The fields are hidden (no device holds them), so
// SQL beside the hooks changes nothing any user sees; claim_expires stays,
// for the field worker's screen to offer a new code.
func ClearExpiredCodes(app core.App, before time.Time) (int64, error) {
	res, err := app.NonconcurrentDB().Update(catalog.Returnees, dbx.Params{"claim_verifier": "", "claim_salt": ""}, dbx.And(
		dbx.HashExp{"claimed": false}, dbx.NewExp("claim_verifier != '' AND claim_expires != '' AND claim_expires < {:before}",
			dbx.Params{"before": stamp(before)}))).Execute()
	txmemo.Drop(app, catalog.Returnees) // a raw write, in case app is a transaction that read people
	if err != nil {
		return 0, fmt.Errorf("retention: claim codes: %w", err)
	}
	return res.RowsAffected()
}

// PruneDecidedRequests deletes the rectification requests decided before
// before, through PocketBase (audited; devices get the delete).
func PruneDecidedRequests(app core.App, before time.Time) (int64, error) {
	old, err := app.FindRecordsByFilter(catalog.RectificationReqs,
		"status != 'requested' && decided_at != '' && decided_at < {:before}", "", 0, 0, dbx.Params{"before": stamp(before)})
	if err != nil {
		return 0, fmt.Errorf("retention: rectification requests: %w", err)
	}
	for _, r := range old {
		if err := app.Delete(r); err != nil {
			return 0, fmt.Errorf("retention: rectification request %s: %w", r.Id, err)
		}
	}
	return int64(len(old)), nil
}

// EraseInactive erases, at most max of them, the people with no activity
// since before: neither they nor any record about them (catalog Rights)
// was written since, and no device of their account pulled since.
func EraseInactive(app core.App, before time.Time, max int) (int64, error) {
	cond := []string{"r.erased_at = ''", "r.updated < {:before}",
		"NOT EXISTS (SELECT 1 FROM _sync_clients c JOIN returnee_accounts a ON a.id = c.auth_id WHERE a.returnee = r.id AND c.last_seen >= {:before})"}
	for _, entry := range catalog.Collections {
		if entry.Name == catalog.Returnees || entry.Rights.Erase == catalog.EraseDerived || len(entry.Rights.About) == 0 {
			continue
		}
		col, err := app.FindCachedCollectionByNameOrId(entry.Name)
		if err != nil {
			return 0, err
		}
		if col.Fields.GetByName("updated") == nil {
			continue
		}
		var paths []string
		for _, path := range entry.Rights.About {
			expr, err := pathTo(app, col, strings.Split(path, "."), "r.id")
			if err != nil {
				return 0, err
			}
			paths = append(paths, expr)
		}
		cond = append(cond, fmt.Sprintf("NOT EXISTS (SELECT 1 FROM {{%s}} WHERE (%s) AND [[%s.updated]] >= {:before})",
			col.Name, strings.Join(paths, " OR "), col.Name))
	}
	var ids []string
	err := app.DB().NewQuery("SELECT r.id FROM returnees r WHERE " + strings.Join(cond, " AND ") + " ORDER BY r.id LIMIT {:max}").
		Bind(dbx.Params{"before": stamp(before), "max": max}).Column(&ids)
	if err != nil {
		return 0, fmt.Errorf("retention: inactive people: %w", err)
	}
	reason := "Conservación: sin actividad desde antes del " + before.UTC().Format(time.DateOnly) + " (docs/PRIVACY.md)."
	for _, id := range ids {
		if err := Erase(app, nil, id, reason); err != nil {
			return 0, fmt.Errorf("retention: erase %s: %w", id, err)
		}
	}
	return int64(len(ids)), nil
}
