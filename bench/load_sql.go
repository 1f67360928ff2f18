package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/names"
)

// sqlLoad writes n returnees registered at point by worker, with their
// change-log rows, straight into the data dir's SQLite file while the
// server is stopped. It exists for the growth figure's large sizes (a
// million rows through the real push would take hours here) and for a day
// of thousands of people (the cluster phase), and skips every hook: no
// returns, no audit rows, no duplicate pairs, log rows whose changed fields
// are unknown ("*", as the engine's own backfill writes). It writes what
// the hooks would derive for the timed writes to find: the surnames'
// phonetic keys (names.SurnameKey), drawn with the surnames from parallel
// arrays. The birth dates are born (YYYY-MM-DD) if set, else uniform over
// 45 years; the repatriation dates (and the rows' created) are uniform over
// the spread days before today if spread is positive (a point's history,
// of which a device holds a window), else 2026-11-20. Half the rows share
// their data with NODESS (nodess_consent, as the hook would derive from a
// consent the bulk does not hold), so that a NODESS's scope is a share of
// the bulk too (scopes.go). The rows are only the bulk in which the timed
// pulls and pushes must stay fast; every timed write still goes through
// the server.
func sqlLoad(dataDir string, n int, point, worker string, states []string, born string, spread int) error {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "data.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	var have int
	if err := db.QueryRow(`SELECT COUNT(*) FROM returnees`).Scan(&have); err != nil {
		return err
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	given, family := demo.SampleNames()
	keys := make([]string, len(family))
	for i, s := range family {
		keys[i] = names.SurnameKey(s)
	}
	first := sqlArray(given)
	last, lastKeys := sqlArray(family), sqlArray(keys)
	birth := `date('1960-01-01', '+' || (abs(random()) % 16425) || ' days')`
	if born != "" {
		birth = "'" + strings.ReplaceAll(born, "'", "") + "'"
	}
	// ago: days before today of the return (0 without a spread)
	repatriated, created := "'2026-11-20'", "?"
	if spread > 0 {
		repatriated = "date('now', '-' || ago || ' days')"
		created = "strftime('%Y-%m-%d %H:%M:%S.000Z', 'now', '-' || ago || ' days')"
	}
	sectorList := sqlArray(catalog.SectorsInUS.Codes())
	skillList := sqlArray(demo.SampleSkills())
	const chunk = 100_000
	for done := 0; done < n; done += chunk {
		size := min(chunk, n-done)
		from := have + done
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		// ids 'bulk' + 11 digits: [a-z0-9]{15}, ordered, never drawn by a client
		// the surnames are drawn as indexes first (materialized, so that
		// each is drawn once), then read with their keys
		_, err = tx.Exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?),
drawn AS MATERIALIZED (SELECT i, abs(random()) %% %[8]d AS f, abs(random()) %% %[8]d AS s, abs(random()) %% %[10]d AS ago FROM n)
INSERT INTO returnees (id, given_names, first_surname, second_surname, first_surname_key, second_surname_key,
	birth_date, sex, destination_state, reception_point, repatriation_date, languages, sector_in_us, years_in_us,
	skills, registered_by, nodess_consent, rev, created, updated)
SELECT printf('bulk%%011d', i),
	json_extract('%[1]s', '$[' || (abs(random()) %% json_array_length('%[1]s')) || ']'),
	json_extract('%[2]s', '$[' || f || ']'), json_extract('%[2]s', '$[' || s || ']'),
	json_extract('%[7]s', '$[' || f || ']'), json_extract('%[7]s', '$[' || s || ']'),
	%[9]s,
	CASE abs(random()) %% 2 WHEN 0 THEN 'H' ELSE 'M' END,
	json_extract('%[3]s', '$[' || (abs(random()) %% %[4]d) || ']'),
	?, %[11]s, '["es"]',
	json_extract('%[5]s', '$[' || (abs(random()) %% json_array_length('%[5]s')) || ']'),
	1 + abs(random()) %% 25,
	json_extract('%[6]s', '$[' || (abs(random()) %% json_array_length('%[6]s')) || ']'),
	?, abs(random()) %% 2, 1, %[12]s, %[12]s
FROM drawn`, first, last, sqlArray(states), len(states), sectorList, skillList, lastKeys, len(family), birth,
			max(spread, 1), repatriated, created),
			append([]any{from, from + size - 1, point, worker}, createdArgs(spread, now)...)...)
		if err == nil {
			_, err = tx.Exec(`INSERT INTO _sync_log (collection, record_id, op, rev, fields, via, at)
SELECT 'returnees', id, 'put', 1, '["*"]', '', ? FROM returnees
WHERE id >= printf('bulk%011d', ?) AND id <= printf('bulk%011d', ?) ORDER BY id`, now, from, from+size-1)
		}
		if err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("sql load: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// sqlArray is a JSON array of strings, quoted for an SQL literal.
func sqlArray(items []string) string {
	var b strings.Builder
	b.WriteString("[")
	for i, s := range items {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	b.WriteString("]")
	return strings.ReplaceAll(b.String(), "'", "''")
}

// createdArgs are the arguments of the rows' created and updated: now
// twice, or none when they follow the repatriation date (spread).
func createdArgs(spread int, now string) []any {
	if spread > 0 {
		return nil
	}
	return []any{now, now}
}
