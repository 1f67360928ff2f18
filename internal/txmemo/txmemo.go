// Package txmemo keeps, for the length of one database transaction, what
// hooks read again and again in it. A registration pushed from a device is a
// person, a return and one or two consents, each saved with a dozen hooks;
// half of them read the person, or ask whether the person has a consent, and
// every consent asks for the current wording of its purpose. In one
// transaction, where no other connection can write (SQLite has one
// writer), those answers change only through the transaction's own writes.
//
// So a memo lives in one transaction and dies with it (commit or rollback),
// a record write in it drops the memos of its collection (Bind), and a
// rollback to a savepoint drops them all (Forget). Outside a transaction,
// Get always loads. Keys start with the collection they read and a slash:
// "returnees/<id>".
package txmemo

import (
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/hookorder"
)

// memo is what one transaction has read.
type memo struct {
	mu     sync.Mutex
	values map[string]any
}

var (
	mu    sync.Mutex
	memos = map[*dbx.Tx]*memo{}
)

// of returns the memo of app's transaction, made if make is set; nil
// outside a transaction.
func of(app core.App, make bool) *memo {
	tx, ok := app.NonconcurrentDB().(*dbx.Tx)
	if !ok {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	m := memos[tx]
	if m == nil && make {
		info := app.TxInfo()
		if info == nil {
			return nil
		}
		m = &memo{values: map[string]any{}}
		memos[tx] = m
		info.OnComplete(func(error) error {
			mu.Lock()
			delete(memos, tx)
			mu.Unlock()
			return nil
		})
	}
	return m
}

// Get returns the value of key in app's transaction, loaded by load the
// first time; an error is not kept. Outside a transaction it loads.
func Get[T any](app core.App, key string, load func() (T, error)) (T, error) {
	m := of(app, true)
	if m == nil {
		return load()
	}
	m.mu.Lock()
	v, ok := m.values[key]
	m.mu.Unlock()
	if ok {
		return v.(T), nil
	}
	loaded, err := load()
	if err == nil {
		m.mu.Lock()
		m.values[key] = loaded
		m.mu.Unlock()
	}
	return loaded, err
}

// Drop forgets the keys of collection in app's transaction.
func Drop(app core.App, collection string) {
	m := of(app, false)
	if m == nil {
		return
	}
	prefix := collection + "/"
	m.mu.Lock()
	for k := range m.values {
		if strings.HasPrefix(k, prefix) {
			delete(m.values, k)
		}
	}
	m.mu.Unlock()
}

// Forget forgets everything app's transaction has read: a rollback to a
// savepoint undid writes the memos may have seen.
func Forget(app core.App) {
	if m := of(app, false); m != nil {
		m.mu.Lock()
		clear(m.values)
		m.mu.Unlock()
	}
}

// Bind drops a collection's memos around each write of one of its records,
// on every write path (REST, batch, the sync push, app.Save), right next to
// the row's own write (hookorder.Memo): the hooks after it read the record
// as written.
func Bind(app core.App) {
	hookorder.Hook{ID: "retornoTxMemo", Priority: hookorder.Memo, Func: func(e *core.RecordEvent) error {
		Drop(e.App, e.Record.Collection().Name)
		err := e.Next()
		Drop(e.App, e.Record.Collection().Name)
		return err
	}}.OnWrite(app)
}
