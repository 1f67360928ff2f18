package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// open returns the database of a fresh file through Connect, on one
// connection so that every statement goes through the same cache.
func open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.DB().SetMaxOpenConns(1)
	KeepStatements(db)
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.DB().Exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	return db.DB()
}

// keptOf returns the SQL of the statements the connection keeps.
func keptOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out []string
	err = c.Raw(func(dc any) error {
		kc, ok := dc.(*conn)
		if !ok {
			return fmt.Errorf("connection is %T, not one that keeps statements", dc)
		}
		for q := range kc.kept {
			out = append(out, q)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func names(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// A statement run twice with other arguments is kept once and answers each
// run with its own arguments.
func TestStatements_KeptAndRunAgain(t *testing.T) {
	db := open(t)
	const insert = `INSERT INTO people (name) VALUES (?)`
	for _, n := range []string{"Ana", "Beto", "Carla"} {
		if _, err := db.Exec(insert, n); err != nil {
			t.Fatal(err)
		}
	}
	const byName = `SELECT name FROM people WHERE name >= ? ORDER BY name`
	if got := names(t, db, byName, "B"); strings.Join(got, ",") != "Beto,Carla" {
		t.Errorf("first run: %v", got)
	}
	if got := names(t, db, byName, "C"); strings.Join(got, ",") != "Carla" {
		t.Errorf("second run: %v", got)
	}
	kept := strings.Join(keptOf(t, db), "\n")
	if strings.Count(kept, insert) != 1 || strings.Count(kept, byName) != 1 {
		t.Errorf("kept statements:\n%s", kept)
	}
}

// The same query run while its rows are still open (a query inside a loop
// over another's rows) answers from a statement of its own, and neither
// run disturbs the other.
func TestStatements_BusyStatementIsNotShared(t *testing.T) {
	db := open(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, n := range []string{"Ana", "Beto", "Carla"} {
		if _, err := tx.Exec(`INSERT INTO people (name) VALUES (?)`, n); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT name FROM people WHERE name >= ? ORDER BY name`
	outer, err := tx.Query(q, "A")
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for outer.Next() {
		var n string
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.Query(q, n)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for inner.Next() {
			count++
		}
		inner.Close()
		pairs = append(pairs, fmt.Sprintf("%s:%d", n, count))
	}
	outer.Close()
	if got := strings.Join(pairs, ","); got != "Ana:3,Beto:2,Carla:1" {
		t.Errorf("outer and inner runs: %s", got)
	}
}

// A connection keeps at most StatementsKept statements.
func TestStatements_Bounded(t *testing.T) {
	db := open(t)
	for i := range StatementsKept + 20 {
		if _, err := db.Exec(fmt.Sprintf(`SELECT %d FROM people`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(keptOf(t, db)); n > StatementsKept {
		t.Errorf("%d statements kept, at most %d", n, StatementsKept)
	}
	if _, err := db.Exec(`SELECT 0 FROM people`); err != nil {
		t.Errorf("a statement run again after it left: %v", err)
	}
}

// A kept SELECT * sees a column added after it was prepared (SQLite
// prepares it again when the schema changes).
func TestStatements_SchemaChange(t *testing.T) {
	db := open(t)
	if _, err := db.Exec(`INSERT INTO people (name) VALUES ('Ana')`); err != nil {
		t.Fatal(err)
	}
	columns := func() []string {
		rows, err := db.Query(`SELECT * FROM people`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return cols
	}
	if got := strings.Join(columns(), ","); got != "id,name" {
		t.Fatalf("before: %s", got)
	}
	if _, err := db.Exec(`ALTER TABLE people ADD COLUMN phone TEXT DEFAULT ''`); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(columns(), ","); got != "id,name,phone" {
		t.Errorf("after the column was added: %s", got)
	}
}

// Errors are the driver's own, and a statement that failed runs again: a
// syntax error, a constraint refused, a savepoint rolled back.
func TestStatements_Errors(t *testing.T) {
	db := open(t)
	if _, err := db.Exec(`SELEC name FROM people`); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("syntax error: %v", err)
	}
	const insert = `INSERT INTO people (name) VALUES (?)`
	if _, err := db.Exec(insert, "Ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(insert, "Ana"); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("a duplicate name: %v", err)
	}
	if _, err := db.Exec(insert, "Beto"); err != nil {
		t.Errorf("the insert after a refusal: %v", err)
	}

	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"Carla", "Ana", "Dora"} {
		if _, err := tx.Exec(`SAVEPOINT mutation`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(insert, n); err != nil {
			if _, err := tx.Exec(`ROLLBACK TO mutation`); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Exec(`RELEASE mutation`); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(t, db, `SELECT name FROM people ORDER BY name`), ","); got != "Ana,Beto,Carla,Dora" {
		t.Errorf("after the savepoints: %s", got)
	}
}

// A statement longer than LongestKept runs without being kept.
func TestStatements_LongOnesNotKept(t *testing.T) {
	db := open(t)
	long := `SELECT name FROM people WHERE name IN ('` + strings.Repeat("x", LongestKept) + `')`
	if got := names(t, db, long); len(got) != 0 {
		t.Errorf("long query: %v", got)
	}
	for _, q := range keptOf(t, db) {
		if len(q) > LongestKept {
			t.Errorf("kept a statement of %d bytes", len(q))
		}
	}
}

// A database KeepStatements was not told of (the readers) keeps none.
func TestStatements_OnlyWhereKept(t *testing.T) {
	db, err := Connect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.DB().SetMaxOpenConns(1)
	for range 2 {
		if _, err := db.DB().Exec(`SELECT 1`); err != nil {
			t.Fatal(err)
		}
	}
	if kept := keptOf(t, db.DB()); len(kept) != 0 {
		t.Errorf("kept %v", kept)
	}
}

// Bind makes a PocketBase app's writer keep statements after its
// bootstrap, and its readers keep none.
func TestBind_WriterKeepsReadersDoNot(t *testing.T) {
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir(), DBConnect: Connect})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	Bind(app)
	if err := app.Bootstrap(); err != nil { // again, with the hook bound
		t.Fatal(err)
	}
	for _, db := range []dbx.Builder{app.NonconcurrentDB(), app.ConcurrentDB()} {
		if _, err := db.NewQuery("SELECT 1").Execute(); err != nil {
			t.Fatal(err)
		}
	}
	if kept := keptOf(t, app.NonconcurrentDB().(*dbx.DB).DB()); len(kept) == 0 {
		t.Error("the writer keeps no statement")
	}
	if kept := keptOf(t, app.ConcurrentDB().(*dbx.DB).DB()); len(kept) != 0 {
		t.Errorf("a reader keeps %v", kept)
	}
}
