package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/demo"
)

// sqlLoad writes n returnees registered at point by worker, with their
// change-log rows, straight into the data dir's SQLite file while the
// server is stopped. It exists for the growth figure's large sizes (a
// million rows through the real push would take hours here) and skips
// every hook: no audit rows, no duplicate pairs, log rows whose changed
// fields are unknown ("*", as the engine's own backfill writes). The rows
// are only the bulk in which the timed pull must stay flat; every timed
// write still goes through the server.
func sqlLoad(dataDir string, n int, point, worker string, states []string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, "data.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	defer db.Close()
	var first int
	if err := db.QueryRow(`SELECT COUNT(*) FROM returnees`).Scan(&first); err != nil {
		return err
	}
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	given, family := demo.SampleNames()
	names := sqlArray(given)
	last := sqlArray(family)
	sectorList := sqlArray(catalog.SectorsInUS.Codes())
	skillList := sqlArray(demo.SampleSkills())
	const chunk = 100_000
	for done := 0; done < n; done += chunk {
		size := min(chunk, n-done)
		from := first + done
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		// ids 'bulk' + 11 digits: [a-z0-9]{15}, ordered, never drawn by a client
		_, err = tx.Exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO returnees (id, given_names, first_surname, second_surname, birth_date, sex, destination_state,
	reception_point, repatriation_date, languages, sector_in_us, years_in_us, skills, registered_by, rev, created, updated)
SELECT printf('bulk%%011d', i),
	json_extract('%[1]s', '$[' || (abs(random()) %% json_array_length('%[1]s')) || ']'),
	json_extract('%[2]s', '$[' || (abs(random()) %% json_array_length('%[2]s')) || ']'),
	json_extract('%[2]s', '$[' || (abs(random()) %% json_array_length('%[2]s')) || ']'),
	date('1960-01-01', '+' || (abs(random()) %% 16425) || ' days'),
	CASE abs(random()) %% 2 WHEN 0 THEN 'H' ELSE 'M' END,
	json_extract('%[3]s', '$[' || (abs(random()) %% %[4]d) || ']'),
	?, '2026-11-20', '["es"]',
	json_extract('%[5]s', '$[' || (abs(random()) %% json_array_length('%[5]s')) || ']'),
	1 + abs(random()) %% 25,
	json_extract('%[6]s', '$[' || (abs(random()) %% json_array_length('%[6]s')) || ']'),
	?, 1, ?, ?
FROM n`, names, last, sqlArray(states), len(states), sectorList, skillList),
			from, from+size-1, point, worker, now, now)
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
