package testapp

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Queries runs fn and returns the SQL of the queries (SELECT and WITH) it
// ran on app's read pool, in order.
func Queries(tb testing.TB, app core.App, fn func()) []string {
	tb.Helper()
	db := readDB(tb, app)
	var logged []string
	prev := db.QueryLogFunc
	db.QueryLogFunc = func(ctx context.Context, d time.Duration, sql string, rows *sql.Rows, err error) {
		logged = append(logged, sql)
	}
	defer func() { db.QueryLogFunc = prev }()
	fn()
	return logged
}

// QueryPlan returns the steps of SQLite's plan of query (EXPLAIN QUERY
// PLAN), one detail a step, in order: "SEARCH returnees USING INDEX ...".
func QueryPlan(tb testing.TB, app core.App, query string) []string {
	tb.Helper()
	rows, err := readDB(tb, app).NewQuery("EXPLAIN QUERY PLAN " + query).Rows()
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			tb.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}

func readDB(tb testing.TB, app core.App) *dbx.DB {
	tb.Helper()
	db, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		tb.Fatalf("concurrent db is %T", app.ConcurrentDB())
	}
	return db
}

// Revert reverts the migration file and every later one on app, and
// returns the runner whose Up applies them again.
func Revert(tb testing.TB, app core.App, file string) *core.MigrationsRunner {
	tb.Helper()
	later := 0
	for _, m := range core.AppMigrations.Items() {
		if m.File >= file {
			later++
		}
	}
	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	reverted, err := runner.Down(later)
	if err != nil || len(reverted) != later || reverted[len(reverted)-1] != file {
		tb.Fatalf("down to %s: %v %v", file, reverted, err)
	}
	return runner
}
