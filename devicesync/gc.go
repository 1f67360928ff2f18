package devicesync

import (
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// horizon is the seq below which the log may be incomplete: a cursor older
// than it is reset.
func (p *plugin) horizon(app core.App) (int64, error) {
	var v string
	err := app.ConcurrentDB().Select("value").From("_sync_meta").Where(dbx.HashExp{"key": "horizon"}).Row(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// touchClient records that clientID pulled from cursor: garbage collection
// keeps what an active device has not seen yet.
func (p *plugin) touchClient(app core.App, clientID, authID string, cursor int64) error {
	_, err := app.NonconcurrentDB().NewQuery(
		"INSERT INTO _sync_clients (client_id, auth_id, cursor, last_seen) VALUES ({:c}, {:a}, {:cur}, {:at}) " +
			"ON CONFLICT (client_id) DO UPDATE SET auth_id = excluded.auth_id, cursor = excluded.cursor, last_seen = excluded.last_seen").
		Bind(dbx.Params{"c": clientID, "a": authID, "cur": cursor, "at": nowText()}).Execute()
	return err
}

// CollectGarbage drops log rows no device needs any more: rows superseded by
// a later row of the same record, and tombstones, once every device active
// within the retention period has pulled past them; and anything older than
// the retention period, whose devices will be reset. Past the retention
// period it also drops idle devices, idempotency records, refusal counts and
// the conflicts collection's records, reviewed or not (docs/sync.md). It
// returns the number of change log rows dropped.
func (p *plugin) CollectGarbage(app core.App, now time.Time) (int64, error) {
	cutoff := now.Add(-p.config.Retention).UTC().Format("2006-01-02 15:04:05.000Z")
	var dropped int64
	err := app.RunInTransaction(func(tx core.App) error {
		var active sql.NullInt64
		if err := tx.DB().Select("MIN(cursor)").From("_sync_clients").
			Where(dbx.NewExp("last_seen >= {:cutoff}", dbx.Params{"cutoff": cutoff})).Row(&active); err != nil {
			return err
		}
		var top int64
		if err := tx.DB().Select("COALESCE(MAX(seq), 0)").From("_sync_log").Row(&top); err != nil {
			return err
		}
		// what every active device has seen (all of it when none is active)
		seenByAll := top
		if active.Valid {
			seenByAll = active.Int64
		}
		// superseded rows and tombstones below what every active device has
		// seen, and anything of that kind older than the retention period
		const candidates = `
			FROM _sync_log l
			WHERE (l.seq <= {:seen} OR l.at < {:cutoff})
			  AND (l.op = 'delete' OR EXISTS (
				SELECT 1 FROM _sync_log n
				WHERE n.collection = l.collection AND n.record_id = l.record_id AND n.seq > l.seq))`
		params := dbx.Params{"seen": seenByAll, "cutoff": cutoff}
		var newest sql.NullInt64
		if err := tx.DB().NewQuery("SELECT MAX(l.seq) " + candidates).Bind(params).Row(&newest); err != nil {
			return err
		}
		res, err := tx.DB().NewQuery("DELETE FROM _sync_log WHERE seq IN (SELECT l.seq " + candidates + ")").Bind(params).Execute()
		if err != nil {
			return err
		}
		dropped, _ = res.RowsAffected()
		// a cursor below a dropped row may have missed it: such a device
		// (only one inactive for longer than the retention period) is reset
		horizon, err := p.horizon(tx)
		if err != nil {
			return err
		}
		if newest.Valid && newest.Int64 > horizon {
			horizon = newest.Int64
		}
		_, err = tx.DB().NewQuery("INSERT INTO _sync_meta (key, value) VALUES ('horizon', {:h}) ON CONFLICT (key) DO UPDATE SET value = excluded.value").
			Bind(dbx.Params{"h": strconv.FormatInt(horizon, 10)}).Execute()
		if err != nil {
			return err
		}
		// devices, idempotency records and refusals past the retention
		// period: a device that old is reset anyway, and what one user could
		// make the server keep must not grow for ever
		for _, q := range []string{
			"DELETE FROM _sync_clients WHERE last_seen < {:cutoff}",
			"DELETE FROM _sync_mutations WHERE at < {:cutoff}",
			"DELETE FROM _sync_aliases WHERE at < {:cutoff}",
			"DELETE FROM _sync_dropped WHERE hour < substr({:cutoff}, 1, 16)",
			"DELETE FROM {{" + p.config.ConflictsCollection + "}} WHERE created < {:cutoff}",
		} {
			if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"cutoff": cutoff}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	return dropped, err
}
