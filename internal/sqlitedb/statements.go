package sqlitedb

import (
	"container/list"
	"context"
	"database/sql/driver"
	"reflect"
	"sync"
	"sync/atomic"
)

// innerConn is what a connection of the base driver (modernc.org/sqlite)
// offers database/sql; conn offers the same.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// keptStmt is a prepared statement that runs again with new arguments:
// modernc's keeps SQLite's statement and resets it after each use.
type keptStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// conn is a connection that keeps up to *max prepared statements by their
// SQL (none while it is 0), the least recently used leaving first. A kept
// statement whose rows are still open is busy: the same SQL run meanwhile (a
// query inside the loop over another's rows) is prepared for that one use,
// as without the cache.
type conn struct {
	inner innerConn
	max   *atomic.Int32

	mu   sync.Mutex
	kept map[string]*kept
	lru  list.List // of *kept, the most recently used first
}

type kept struct {
	query string
	stmt  keptStmt
	busy  bool
	at    *list.Element
}

// newConn keeps statements of inner, or returns inner as it is if its driver
// does not offer what the cache needs.
func newConn(inner driver.Conn, max *atomic.Int32) (driver.Conn, error) {
	c, ok := inner.(innerConn)
	if !ok {
		return inner, nil
	}
	return &conn{inner: c, max: max, kept: map[string]*kept{}}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	k := c.take(ctx, query)
	if k == nil {
		return c.inner.ExecContext(ctx, query, args)
	}
	defer c.give(k)
	return k.stmt.ExecContext(ctx, args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	k := c.take(ctx, query)
	if k == nil {
		return c.inner.QueryContext(ctx, query, args)
	}
	r, err := k.stmt.QueryContext(ctx, args)
	if err != nil {
		c.give(k)
		return nil, err
	}
	return &rows{Rows: r, done: func() { c.give(k) }}, nil
}

// take returns the kept statement of query, marked busy, preparing and
// keeping it if it is new; nil if it is busy, too long to keep or does not
// prepare (the uncached path then answers, with the error if there is one).
func (c *conn) take(ctx context.Context, query string) *kept {
	if len(query) > LongestKept || c.max.Load() == 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.kept[query]; ok {
		if k.busy {
			return nil
		}
		k.busy = true
		c.lru.MoveToFront(k.at)
		return k
	}
	s, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	ks, ok := s.(keptStmt)
	if !ok {
		_ = s.Close()
		return nil
	}
	k := &kept{query: query, stmt: ks, busy: true}
	k.at = c.lru.PushFront(k)
	c.kept[query] = k
	c.evict()
	return k
}

// give marks k free again.
func (c *conn) give(k *kept) {
	c.mu.Lock()
	k.busy = false
	c.mu.Unlock()
}

// evict closes the least recently used free statements beyond max.
func (c *conn) evict() {
	for e := c.lru.Back(); e != nil && len(c.kept) > int(c.max.Load()); {
		prev := e.Prev()
		if k := e.Value.(*kept); !k.busy {
			c.lru.Remove(e)
			delete(c.kept, k.query)
			_ = k.stmt.Close()
		}
		e = prev
	}
}

// Close closes the kept statements and the connection.
func (c *conn) Close() error {
	c.mu.Lock()
	for q, k := range c.kept {
		_ = k.stmt.Close()
		delete(c.kept, q)
	}
	c.lru.Init()
	c.mu.Unlock()
	return c.inner.Close()
}

func (c *conn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.PrepareContext(ctx, query)
}
func (c *conn) Begin() (driver.Tx, error) { return c.inner.Begin() } //nolint:staticcheck // driver.Conn requires it
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}
func (c *conn) Ping(ctx context.Context) error         { return c.inner.Ping(ctx) }
func (c *conn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }
func (c *conn) IsValid() bool                          { return c.inner.IsValid() }

// rows are the rows of a kept statement: closing them frees the statement.
// The column types are the driver's, or what database/sql assumes of a
// driver that does not say.
type rows struct {
	driver.Rows
	done func()
}

func (r *rows) Close() error {
	err := r.Rows.Close()
	if r.done != nil {
		r.done()
		r.done = nil
	}
	return err
}

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *rows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *rows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *rows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
