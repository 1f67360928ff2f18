package main

import (
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"
)

// grow is the command `go run ./bench grow`: it brings a stopped server's
// data dir (the demo data, say) to a national size with the bulk loader of
// the growth phase (sqlLoad), the busy point holding its share and the
// other points with a field worker the rest, their returns spread over a
// history of days. The web app's benchmark uses it for its national mode
// (e2e/bench.mjs --national): a field device's first sync at a busy point
// of a million people.
//
//	go run ./bench grow --dir <pb_data> [--people 1000000] [--point Tijuana] [--at 262000] [--spread 1825] [--window 180]
func grow(args []string) error {
	fs := flag.NewFlagSet("grow", flag.ContinueOnError)
	dir := fs.String("dir", "", "the data dir (pb_data) of a stopped server")
	people := fs.Int("people", 1_000_000, "returnees in the database afterwards")
	city := fs.String("point", "Tijuana", "city of the busy reception point")
	at := fs.Int("at", 262_000, "returnees at the busy point afterwards")
	spread := fs.Int("spread", 5*365, "the returns' history: repatriation dates uniform over this many days before today")
	window := fs.Int("window", -1, "set field_window_days of device_settings (the demo holds 0: the whole scope); -1 leaves it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("grow: --dir is required")
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(*dir, "data.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var states []string
	if err := column(db, &states, `SELECT id FROM states ORDER BY id`); err != nil {
		return err
	}
	type point struct{ id, city, worker string }
	var points []point
	rows, err := db.Query(`SELECT p.id, p.city, MIN(s.id) FROM reception_points p
		JOIN staff s ON s.reception_point = p.id AND s.role = 'field_worker' GROUP BY p.id ORDER BY p.city`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p point
		if err := rows.Scan(&p.id, &p.city, &p.worker); err != nil {
			return err
		}
		points = append(points, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var busy *point
	var others []point
	for i, p := range points {
		if p.city == *city {
			busy = &points[i]
		} else {
			others = append(others, p)
		}
	}
	if busy == nil || len(others) == 0 {
		return fmt.Errorf("grow: no field worker at %s, or at no other point", *city)
	}
	t0 := time.Now()
	var here, total int
	if err := db.QueryRow(`SELECT COUNT(*) FROM returnees WHERE reception_point = ?`, busy.id).Scan(&here); err != nil {
		return err
	}
	if err := sqlLoad(*dir, max(*at-here, 0), busy.id, busy.worker, states, "", *spread); err != nil {
		return err
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM returnees`).Scan(&total); err != nil {
		return err
	}
	rest := max(*people-total, 0)
	for i, p := range others {
		n := rest / len(others)
		if i < rest%len(others) {
			n++
		}
		if err := sqlLoad(*dir, n, p.id, p.worker, states, "", *spread); err != nil {
			return err
		}
	}
	if *window >= 0 {
		// the server reads the setting on each pull; a stopped server's
		// devices reset when it changes (the scope fingerprint holds it)
		if _, err := db.Exec(`UPDATE device_settings SET field_window_days = ?`, *window); err != nil {
			return err
		}
	}
	fmt.Printf("grew %s to %d returnees (%d at %s) in %s\n", *dir, max(total+rest, *people), max(*at, here), *city, time.Since(t0).Round(time.Second))
	return nil
}

// column reads the first column of query's rows into out.
func column(db *sql.DB, out *[]string, query string) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return rows.Err()
}
