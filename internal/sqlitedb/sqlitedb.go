// Package sqlitedb opens Retorno's SQLite databases for PocketBase
// (core.BaseAppConfig.DBConnect): PocketBase's own pragmas, a smaller page
// cache, and a cache of prepared statements on the writer's connection.
//
// Why the statement cache: PocketBase and dbx hand every statement to
// database/sql as text, and modernc's driver prepares it anew each time.
// Preparing (SQLite's parser and code generator) was 13-18 % of the CPU of a
// sync push and 11 % of a bare app.Save (docs/BENCHMARKS.md, "Profiles of
// the push path"), though a push runs the same few dozen statements over and
// over. The writer's connection (KeepStatements) keeps its most recently
// used statements prepared, by their SQL, and runs them again with new
// arguments. SQLite re-prepares a kept statement by itself when the schema
// changes.
package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// pragmas are PocketBase's (core.DefaultDBConnect) but for the page cache:
// 4 MB a connection instead of 32 MB. 17 connections filling theirs on a
// million-row database were most of the server's memory outside the Go heap
// in a reconnect storm: 8 MB each gave a peak of 303-330 MB, 4 MB 278 MB
// (target 300; docs/BENCHMARKS.md). The pages stay in the OS's file cache.
const pragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-4000)&_defensive=1"

// StatementsKept is how many prepared statements a connection keeps: the
// distinct statements of a push (about 40) and of a pull, with room. What
// one statement keeps is SQLite's program for it, a few kilobytes.
const StatementsKept = 64

// LongestKept is the longest SQL kept prepared, in bytes. Longer statements
// are built for one use (a page's ids written into the SQL, PocketBase's
// create-rule check with its fresh alias) and would only take memory.
const LongestKept = 4096

var (
	base     driver.Driver
	baseOnce sync.Once
)

// Connect opens the database at dbPath as PocketBase's DBConnect expects.
// Its connections keep no statements until KeepStatements says so.
func Connect(dbPath string) (*dbx.DB, error) {
	baseOnce.Do(func() {
		// the driver modernc.org/sqlite registered, with its hooks and
		// functions; sql.Open connects to nothing
		db, err := sql.Open("sqlite", "")
		if err == nil {
			base = db.Driver()
			_ = db.Close()
		}
	})
	if base == nil {
		return nil, errors.New(`sqlitedb: no "sqlite" driver`)
	}
	db := sql.OpenDB(&connector{dsn: dbPath + pragmas})
	return dbx.NewFromDB(db, "sqlite"), nil
}

// KeepStatements makes the connections of db, opened by Connect, keep their
// StatementsKept most recently used statements prepared. The server gives
// it its single writer (Bind): every write runs there, the push's dozens of
// statements a mutation among them. The readers (16 connections) keep none:
// what they would keep is memory the reconnect storm's RSS target cannot
// spare, for statements (a page's ids in the SQL) that rarely come again.
func KeepStatements(db dbx.Builder) {
	if d, ok := db.(*dbx.DB); ok {
		if c, ok := d.DB().Driver().(*connector); ok {
			c.keep.Store(StatementsKept)
		}
	}
}

// Bind keeps statements on app's writer (app.NonconcurrentDB) after each
// bootstrap, which opens the databases anew.
func Bind(app core.App) {
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		KeepStatements(e.App.NonconcurrentDB())
		return nil
	})
}

// connector opens connections of the base driver that keep up to keep
// statements each; it is also the database's driver (sql.DB.Driver), so
// that KeepStatements finds it.
type connector struct {
	dsn  string
	keep atomic.Int32
}

func (c *connector) Connect(context.Context) (driver.Conn, error) {
	inner, err := base.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return newConn(inner, &c.keep)
}

func (c *connector) Driver() driver.Driver { return c }

// Open opens a connection of the base driver, as database/sql's
// driver.Driver (only Connect is used).
func (c *connector) Open(name string) (driver.Conn, error) { return base.Open(name) }
