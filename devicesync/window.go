package devicesync

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// Window is the part of a user's scope that their devices hold, when they
// hold less than what the list rules let the user read: a field worker's
// phone holds the people of their point's recent returns, not the point's
// whole history, which stays readable online through the REST API.
//
// A record enters a device's window by a write (a new return is a write on
// the person), and the pull sends it then; it leaves by the clock, with no
// write to tell the device, so every page carries the window's first day
// and the device prunes by the same rule (docs/sync.md, "The device's
// window"). A record written while outside the window is owed an evict, as
// a record that left the scope.
type Window struct {
	// Days is the window's length; it is part of the user's scope
	// fingerprint, so that a change resets their devices, which then pull
	// the new window.
	Days int
	// Since is the first day of the window (YYYY-MM-DD), sent with every
	// page.
	Since string
	// Where narrows the records of a synced collection to the window: a
	// condition on the collection's table, which the pull's queries name as
	// the collection. nil for a collection the window does not narrow.
	Where func(collection string) dbx.Expression
	// Holds is Where's test written for a query that names its records by
	// id (a pull's judging of the log's rows): one test of each row named,
	// where Where may read the window's whole set to drive an initial sync
	// through an index. nil: Where serves both.
	Holds func(collection string) dbx.Expression
}

// WindowFunc returns the window of auth's devices at now, or nil when they
// hold their user's whole scope.
type WindowFunc func(app core.App, auth *core.Record, now time.Time) (*Window, error)

// WindowInfo is the window as a pull page tells it to the device.
type WindowInfo struct {
	Days  int    `json:"days"`
	Since string `json:"since"`
}

// window returns auth's window now, or nil.
func (p *plugin) window(app core.App, auth *core.Record) (*Window, error) {
	if p.config.Window == nil || auth == nil {
		return nil, nil
	}
	return p.config.Window(app, auth, time.Now())
}

// where is w's condition on collection, or nil.
func (w *Window) where(collection string) dbx.Expression {
	if w == nil || w.Where == nil {
		return nil
	}
	return w.Where(collection)
}

// holds is w's condition on collection for records named by id, or nil.
func (w *Window) holds(collection string) dbx.Expression {
	if w != nil && w.Holds != nil {
		return w.Holds(collection)
	}
	return w.where(collection)
}

// info is what a page says of w.
func (w *Window) info() *WindowInfo {
	if w == nil {
		return nil
	}
	return &WindowInfo{Days: w.Days, Since: w.Since}
}

// estimate counts, for the first page of an initial sync, the records the
// sync will send of the collections of Config.Estimate.
func (p *plugin) estimate(app core.App, info *core.RequestInfo, w *Window) (map[string]int, error) {
	var out map[string]int
	for _, name := range p.config.Estimate {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil || !p.pulls(info.Auth, name) {
			continue
		}
		n, err := listrule.CountWhere(app, info, col, w.where(name))
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = map[string]int{}
		}
		out[name] = n
	}
	return out, nil
}
