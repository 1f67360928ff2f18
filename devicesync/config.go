// Package devicesync adds offline sync to a PocketBase app: a change log fed
// by every write path, a paged pull that obeys the collections' API rules and
// evicts what left a user's scope, and a push of offline mutations with
// idempotent retries and field-level three-way merge.
//
// The contract is docs/sync.md. The package knows collections only through
// its Config; the API rules of those collections are the single source of
// truth for what each user may pull and push.
package devicesync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Policy resolves a field that both a device and the server changed since the
// device's base revision.
type Policy string

const (
	// LastPushWins applies the device's value; the server's is recorded as
	// the losing value.
	LastPushWins Policy = "last_push_wins"
	// ServerWins keeps the server's value; the device's is recorded.
	ServerWins Policy = "server_wins"
)

// Collection configures one synced collection.
type Collection struct {
	Name   string
	Policy Policy // default LastPushWins
	// Immutable collections accept creates only: an update or delete is
	// rejected with code "immutable" (a ledger's corrections are new entries).
	Immutable bool
	// Known, if set, recognises a create of a record the server already
	// holds under another id (a person registered before, by their CURP):
	// the create is then rebound to that record (rebind.go).
	Known KnownFunc
}

// Defaults of Config.
const (
	DefaultRetention    = 180 * 24 * time.Hour
	DefaultPullLimit    = 500
	MaxPullLimit        = 2000
	MaxMutations        = 500
	MaxPushBytes        = 5 << 20
	DefaultPushesAtOnce = 4
	DefaultPullsAtOnce  = 4
	SchemaVersion       = 1
	ConflictsCollection = "sync_conflicts"
)

// Config lists the synced collections and the engine's limits.
type Config struct {
	Collections []Collection
	// Retention is how long tombstones and superseded changes are kept
	// (default DefaultRetention); a device whose cursor is older gets reset.
	Retention time.Duration
	// ScopeKey, if set, adds to a user's scope fingerprint what decides their
	// scope beyond their own auth record's fields (say, the groups they are
	// an active member of). When the fingerprint changes, their devices are
	// reset and pull their new scope from the start.
	ScopeKey func(app core.App, auth *core.Record) (string, error)
	// ScopeFree names fields of auth records that, beside PocketBase's own
	// (name, email, verified...), do not decide what a user may see: a
	// change of them keeps the devices' cursors (an account's on/off switch,
	// which refuses every request while off, and whose addition must not
	// reset every device).
	ScopeFree []string
	// Pulls, if set, says whether a user's devices pull a synced collection
	// (nil: every one). A collection it refuses stays off their devices,
	// whatever the list rule lets them read online through the REST API
	// (a coordinator's screens read the state's people online: no screen
	// of theirs reads them from the device). The collections a user pulls
	// are part of their scope fingerprint, so that a change resets their
	// devices, which then drop what they no longer pull.
	Pulls func(auth *core.Record, collection string) bool
	// Window, if set, narrows what a user's devices hold to a window of
	// their scope (a field worker's phone: the point's recent returns), and
	// tells the devices its first day, by which they prune (window.go).
	Window WindowFunc
	// WindowReads lists, per synced collection, the paths through relations
	// to parent fields that its window reads, written as in a list rule
	// ("returnee.repatriation_date"): a write that changes such a field
	// appends touch rows for the records that reach the parent, so that they
	// enter a device's window with it (a person returned again brings their
	// consents and earlier returns back to the point's devices).
	WindowReads map[string][]string
	// Estimate lists the collections whose records the first page of an
	// initial sync counts, so that a device can show its progress
	// ("Descargando personas: 12,400 de 40,000").
	Estimate []string
	// ConflictsCollection receives the losing values of merges and every
	// rejected mutation (default "sync_conflicts"); it must exist.
	ConflictsCollection string
	// MaxRefusalsPerHour bounds the refusal records one user may add to the
	// conflicts collection in an hour (default DefaultMaxRefusalsPerHour);
	// the rest are answered but only counted (DroppedRefusals).
	MaxRefusalsPerHour int
	// PushesAtOnce bounds the pushes read and applied at once (default
	// DefaultPushesAtOnce); the others wait, their bodies unread, for one
	// to finish. Their writes queue on SQLite's single writer anyway: a
	// reconnect storm of 200 devices held 200 decoded pushes in memory,
	// most of the server's live heap, to gain nothing (docs/BENCHMARKS.md).
	PushesAtOnce int
	// PullsAtOnce bounds the pull pages built at once (default
	// DefaultPullsAtOnce); the others wait for one to finish. A page holds
	// up to 20 × limit log rows and the records it sends: 200 devices
	// pulling at once on two cores spent a third of the CPU in the garbage
	// collector, under the heap's soft limit, to finish no sooner.
	PullsAtOnce int
}

type plugin struct {
	app         core.App
	config      Config
	collections map[string]Collection
	deps        atomic.Pointer[map[string][]dependent] // parent collection -> dependents
	pushing     chan struct{}                          // a slot per push being read and applied
	pulling     chan struct{}                          // a slot per pull page being built
}

// MustRegister is Register that panics on error.
func MustRegister(app core.App, config Config) {
	if err := Register(app, config); err != nil {
		panic(err)
	}
}

// Register binds the change log hooks, the sync routes and the realtime hint.
// Call it before the app starts serving; the sync tables are created when the
// app bootstraps (or at once, if it already has).
func Register(app core.App, config Config) error {
	if len(config.Collections) == 0 {
		return errors.New("devicesync: no collections configured")
	}
	if config.Retention <= 0 {
		config.Retention = DefaultRetention
	}
	if config.MaxRefusalsPerHour <= 0 {
		config.MaxRefusalsPerHour = DefaultMaxRefusalsPerHour
	}
	if config.ConflictsCollection == "" {
		config.ConflictsCollection = ConflictsCollection
	}
	if config.PushesAtOnce <= 0 {
		config.PushesAtOnce = DefaultPushesAtOnce
	}
	if config.PullsAtOnce <= 0 {
		config.PullsAtOnce = DefaultPullsAtOnce
	}
	p := &plugin{app: app, config: config, collections: map[string]Collection{},
		pushing: make(chan struct{}, config.PushesAtOnce), pulling: make(chan struct{}, config.PullsAtOnce)}
	for _, c := range config.Collections {
		if c.Policy == "" {
			c.Policy = LastPushWins
		}
		if c.Policy != LastPushWins && c.Policy != ServerWins {
			return fmt.Errorf("devicesync: %s: unknown policy %q", c.Name, c.Policy)
		}
		p.collections[c.Name] = c
	}

	if app.IsBootstrapped() {
		if err := p.setup(app); err != nil {
			return err
		}
	}
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return p.setup(e.App)
	})
	// serve applies the migrations after bootstrap: set up again for the
	// collections they created
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := p.setup(e.App); err != nil {
			return err
		}
		return e.Next()
	})
	app.OnCollectionAfterUpdateSuccess().BindFunc(func(e *core.CollectionEvent) error {
		if err := p.analyse(e.App); err != nil {
			return err
		}
		return e.Next()
	})
	app.Store().Set(storeKey, p)
	p.bindLog()
	p.bindRoutes()
	p.bindHint()
	app.Cron().MustAdd("devicesync_gc", "17 * * * *", func() {
		if n, err := p.CollectGarbage(app, time.Now()); err != nil {
			app.Logger().Error("sync: garbage collection", "error", err)
		} else if n > 0 {
			app.Logger().Info("sync: garbage collected", "rows", n)
		}
	})
	return nil
}

// setup creates the sync tables, analyses the rules and logs the records
// written before the engine was registered.
func (p *plugin) setup(app core.App) error {
	if err := createTables(app); err != nil {
		return fmt.Errorf("devicesync: tables: %w", err)
	}
	if err := p.analyse(app); err != nil {
		return err
	}
	return p.backfill(app)
}

func (p *plugin) analyse(app core.App) error {
	deps, err := analyseDependents(app, p.collections, p.config.WindowReads)
	if err != nil {
		return fmt.Errorf("devicesync: rules: %w", err)
	}
	p.deps.Store(&deps)
	return nil
}

func (p *plugin) dependents(parent string) []dependent {
	if deps := p.deps.Load(); deps != nil {
		return (*deps)[parent]
	}
	return nil
}

// parentsOf lists the single relations through which collection's list rule
// reads a synced parent (one hop).
func (p *plugin) parentsOf(collection string) []hop {
	var out []hop
	if deps := p.deps.Load(); deps != nil {
		for _, list := range *deps {
			for _, d := range list {
				if d.collection == collection && len(d.chain) == 1 && !slices.Contains(out, d.chain[0]) {
					out = append(out, d.chain[0])
				}
			}
		}
	}
	return out
}

const storeKey = "devicesync"

// CollectGarbage runs the sync engine's garbage collection on app now (it
// also runs every hour): see docs/sync.md. It returns the number of change
// log rows dropped.
func CollectGarbage(app core.App, now time.Time) (int64, error) {
	p, ok := app.Store().Get(storeKey).(*plugin)
	if !ok {
		return 0, errors.New("devicesync: not registered on this app")
	}
	return p.CollectGarbage(app, now)
}

func (p *plugin) synced(name string) (Collection, bool) {
	c, ok := p.collections[name]
	return c, ok
}

// pulls reports whether auth's devices pull the synced collection name.
func (p *plugin) pulls(auth *core.Record, name string) bool {
	_, ok := p.collections[name]
	return ok && (p.config.Pulls == nil || auth == nil || p.config.Pulls(auth, name))
}

// take waits for a free slot of slots (PushesAtOnce, PullsAtOnce), or for
// ctx to end (the device gave up); release frees the slot.
func take(ctx context.Context, slots chan struct{}) (release func(), err error) {
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
