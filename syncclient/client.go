// Package syncclient is a Go client of Retorno's offline sync protocol
// (POST /api/sync/push, GET /api/sync/pull; see docs/sync.md): a device
// keeps a local copy of the records its user may see and a queue of offline
// writes, and converges with the server by pushing the queue and pulling the
// change log.
//
// Writes (Create, Update, Delete) only touch the local queue. Push sends the
// queue in order and in batches; a mutation keeps its id across retries, so
// a retry after a lost answer is answered "duplicate" and applied once. A
// mutation the server refuses leaves the queue (it does not block the ones
// behind it) and is kept as a Problem for the user. Pull applies the change
// log page by page and, when the server answers reset, drops the local copy
// (never the queue) and pulls again from the start. Sync is a push and a
// pull with bounded retries on transient errors.
package syncclient

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
)

// Defaults of Client.
const (
	DefaultBatchSize   = devicesync.MaxMutations
	DefaultPullLimit   = devicesync.DefaultPullLimit
	DefaultMaxAttempts = 5
	DefaultRetryDelay  = 500 * time.Millisecond
	// MaxRetryDelay bounds the wait between two attempts of Sync.
	MaxRetryDelay = 15 * time.Second
)

// Errors of the local writes.
var (
	// ErrNotFound: the record is neither in the local copy nor queued.
	ErrNotFound = errors.New("syncclient: record not found")
	// ErrExists: a Create of a record the device already has.
	ErrExists = errors.New("syncclient: record already exists")
	// ErrInvalidID: a record id that is not 15 characters of a-z and 0-9.
	ErrInvalidID = errors.New("syncclient: record ids are 15 characters of a-z and 0-9")
)

var (
	recordIDPattern = regexp.MustCompile(`^[a-z0-9]{15}$`)
	clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
)

// Client is one device: its configuration and, through Store, its state. Set
// the fields before the first call and do not change them while a call runs;
// a Client must not be copied after first use. Its methods are safe for
// concurrent use: pushes and pulls run one at a time, and local writes made
// while a push is on the wire are queued behind it.
type Client struct {
	// BaseURL is the server's address, e.g. "http://127.0.0.1:8090".
	BaseURL string
	// Token is the PocketBase auth token sent in Authorization.
	Token string
	// Auth, if set, is called before each request for the token instead of
	// using Token (to refresh it, or sign in again).
	Auth func(ctx context.Context) (string, error)
	// ClientID identifies this installation (8-64 characters of A-Z, a-z,
	// 0-9, _ and -). If empty, the store's is used, or a new one is made
	// and saved.
	ClientID string
	// HTTPClient sends the requests (http.DefaultClient if nil).
	HTTPClient *http.Client
	// Store keeps the device's state (a new MemoryStore if nil).
	Store Store
	// BatchSize is the most mutations a push request carries
	// (DefaultBatchSize if <= 0).
	BatchSize int
	// PullLimit is the page size asked of the server (DefaultPullLimit if
	// <= 0).
	PullLimit int
	// MaxAttempts bounds Sync's attempts on transient errors
	// (DefaultMaxAttempts if <= 0).
	MaxAttempts int
	// RetryDelay is Sync's first wait after a transient error, doubled at
	// each attempt up to MaxRetryDelay (DefaultRetryDelay if <= 0).
	RetryDelay time.Duration

	mu     sync.Mutex // guards the store's queue and records, and ready
	syncMu sync.Mutex // one push or pull at a time
	ready  bool
}

// Item is a record as the device shows it: the server copy with the pending
// mutations applied over it.
type Item struct {
	// Collection and ID name the record.
	Collection string
	ID         string
	// Rev is the rev of the server copy the item is based on (0 for a record
	// created on the device and not confirmed yet).
	Rev int
	// Fields is the record's data, id included.
	Fields map[string]any
	// Pending says the item has changes the server has not confirmed.
	Pending bool
}

// lockInit takes the client's lock and sets the client up (init); it
// returns with the lock held only when it returns nil.
func (c *Client) lockInit() error {
	c.mu.Lock()
	if err := c.init(); err != nil {
		c.mu.Unlock()
		return err
	}
	return nil
}

// setUp sets the client up (init) under its lock, and releases the lock.
func (c *Client) setUp() error {
	if err := c.lockInit(); err != nil {
		return err
	}
	c.mu.Unlock()
	return nil
}

// lockSync takes the sync lock (one pull or push at a time) and returns
// its unlock.
func (c *Client) lockSync() (unlock func()) {
	c.syncMu.Lock()
	return c.syncMu.Unlock
}

// init settles the store and the client id; the caller holds c.mu.
func (c *Client) init() error {
	if c.ready {
		return nil
	}
	if c.Store == nil {
		c.Store = NewMemoryStore()
	}
	saved, err := c.Store.ClientID()
	if err != nil {
		return fmt.Errorf("client id: %w", err)
	}
	switch {
	case c.ClientID == "" && saved != "":
		c.ClientID = saved
	case c.ClientID == "":
		c.ClientID = "dev-" + randomString(20)
	}
	if !clientIDPattern.MatchString(c.ClientID) {
		return fmt.Errorf("client id %q: must be 8-64 characters of A-Z, a-z, 0-9, _ and -", c.ClientID)
	}
	if saved != c.ClientID {
		if err := c.Store.SetClientID(c.ClientID); err != nil {
			return fmt.Errorf("save client id: %w", err)
		}
	}
	c.ready = true
	return nil
}

// ID returns the client id, settling it first if needed.
func (c *Client) ID() (string, error) {
	if err := c.lockInit(); err != nil {
		return "", err
	}
	defer c.mu.Unlock()
	return c.ClientID, nil
}

// Create queues the creation of a record with the client-chosen id (see
// NewID) and the given fields.
func (c *Client) Create(collection, id string, fields map[string]any) error {
	if !recordIDPattern.MatchString(id) {
		return fmt.Errorf("create %s/%s: %w", collection, id, ErrInvalidID)
	}
	return c.change("create", collection, id, func(_ Record, known bool, queue []Pending) error {
		if known || lastOf(queue, collection, id) >= 0 {
			return ErrExists
		}
		m := c.mutation(collection, id, "create", 0, maps.Clone(fields))
		if m.Fields == nil {
			m.Fields = map[string]any{}
		}
		return c.Store.Enqueue(Pending{Mutation: m})
	})
}

// Update queues a change of the given fields of a record. Its base_rev is the
// rev of the local copy. An update of a record whose own create or update is
// still queued and unsent is folded into that mutation; one queued behind a
// sent, unconfirmed mutation takes its base_rev from the server's answer.
func (c *Client) Update(collection, id string, fields map[string]any) error {
	if len(fields) == 0 {
		return nil
	}
	return c.change("update", collection, id, func(rec Record, known bool, queue []Pending) error {
		last := lastOf(queue, collection, id)
		if last < 0 {
			if !known {
				return ErrNotFound
			}
			return c.Store.Enqueue(Pending{Mutation: c.mutation(collection, id, "update", rec.Rev, maps.Clone(fields))})
		}
		prev := queue[last]
		if prev.Op == "delete" {
			return fmt.Errorf("deleted on this device: %w", ErrNotFound)
		}
		if !prev.Sent && !refersToLater(fields, queue[last+1:]) {
			merged := maps.Clone(prev.Fields)
			if merged == nil {
				merged = map[string]any{}
			}
			maps.Copy(merged, fields)
			prev.Fields = merged
			prev.ClientTS = now()
			return c.Store.UpdatePending(prev)
		}
		m := c.mutation(collection, id, "update", rec.Rev, maps.Clone(fields))
		return c.Store.Enqueue(Pending{Mutation: m, Chained: true})
	})
}

// Delete queues the deletion of a record. A record created on the device and
// never sent is simply dropped with its queued changes.
func (c *Client) Delete(collection, id string) error {
	return c.change("delete", collection, id, func(rec Record, known bool, queue []Pending) error {
		var unsent []string
		createdHere, sentBefore := false, false
		for _, p := range queue {
			if p.Collection != collection || p.RecordID != id {
				continue
			}
			switch {
			case p.Op == "delete":
				return fmt.Errorf("already deleted on this device: %w", ErrNotFound)
			case p.Sent:
				sentBefore = true
			default:
				unsent = append(unsent, p.MutationID)
				createdHere = createdHere || p.Op == "create"
			}
		}
		if !known && len(unsent) == 0 && !sentBefore {
			return ErrNotFound
		}
		if len(unsent) > 0 {
			if err := c.Store.RemovePending(unsent...); err != nil {
				return err
			}
		}
		if createdHere {
			return nil // the server never heard of it
		}
		m := c.mutation(collection, id, "delete", rec.Rev, nil)
		return c.Store.Enqueue(Pending{Mutation: m, Chained: sentBefore})
	})
}

// change runs a local write (op: create, update, delete) of a record under
// c's lock, once the client is set up, with the device's copy of the record
// (if any: known) and the pending queue; its error, or one reading them,
// comes back as "op collection/id: ...".
func (c *Client) change(op, collection, id string, write func(rec Record, known bool, queue []Pending) error) error {
	if err := c.lockInit(); err != nil {
		return err
	}
	defer c.mu.Unlock()
	rec, known, queue, err := c.local(collection, id)
	if err == nil {
		err = write(rec, known, queue)
	}
	if err != nil {
		return fmt.Errorf("%s %s/%s: %w", op, collection, id, err)
	}
	return nil
}

// local returns the device's copy of a record (if any) and the pending
// queue; the caller holds c.mu and has run init.
func (c *Client) local(collection, id string) (Record, bool, []Pending, error) {
	rec, known, err := c.Store.Record(collection, id)
	if err != nil {
		return Record{}, false, nil, err
	}
	queue, err := c.Store.Queue()
	return rec, known, queue, err
}

// Get returns a record as the device shows it (see Item).
func (c *Client) Get(collection, id string) (Item, bool, error) {
	if err := c.lockInit(); err != nil {
		return Item{}, false, err
	}
	defer c.mu.Unlock()
	rec, ok, queue, err := c.local(collection, id)
	if err != nil {
		return Item{}, false, fmt.Errorf("get %s/%s: %w", collection, id, err)
	}
	var records []Record
	if ok {
		records = append(records, rec)
	}
	queue = slices.DeleteFunc(queue, func(p Pending) bool { return p.RecordID != id })
	items, err := view(collection, records, queue)
	if err != nil || len(items) == 0 {
		return Item{}, false, err
	}
	return items[0], true, nil
}

// List returns a collection's records as the device shows them, by id.
func (c *Client) List(collection string) ([]Item, error) {
	if err := c.lockInit(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	records, err := c.Store.Records(collection)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", collection, err)
	}
	queue, err := c.Store.Queue()
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", collection, err)
	}
	return view(collection, records, queue)
}

// Pending returns the queued mutations, oldest first.
func (c *Client) Pending() ([]Pending, error) {
	if err := c.lockInit(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return c.Store.Queue()
}

// Problems returns the mutations the server refused, kept for the user.
func (c *Client) Problems() ([]Problem, error) {
	if err := c.lockInit(); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return c.Store.Problems()
}

// DismissProblems forgets the kept refused mutations (once the user has seen
// them).
func (c *Client) DismissProblems() error {
	if err := c.lockInit(); err != nil {
		return err
	}
	defer c.mu.Unlock()
	return c.Store.ClearProblems()
}

// view lays the queue over the server copies of a collection's records.
func view(collection string, records []Record, queue []Pending) ([]Item, error) {
	items := map[string]*Item{}
	for _, r := range records {
		fields := map[string]any{}
		if len(r.Data) > 0 {
			if err := json.Unmarshal(r.Data, &fields); err != nil {
				return nil, fmt.Errorf("%s/%s: stored record: %w", collection, r.ID, err)
			}
		}
		items[r.ID] = &Item{Collection: collection, ID: r.ID, Rev: r.Rev, Fields: fields}
	}
	for _, p := range queue {
		if p.Collection != collection {
			continue
		}
		it := items[p.RecordID]
		switch p.Op {
		case "delete":
			delete(items, p.RecordID)
			continue
		case "create":
			if it == nil {
				it = &Item{Collection: collection, ID: p.RecordID, Fields: map[string]any{"id": p.RecordID}}
				items[p.RecordID] = it
			}
		}
		if it == nil {
			continue // an update of a record the device no longer holds
		}
		maps.Copy(it.Fields, p.Fields)
		it.Pending = true
	}
	out := make([]Item, 0, len(items))
	for _, it := range items {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b Item) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// lastOf is the index of the last queued mutation of a record, or -1.
func lastOf(queue []Pending, collection, id string) int {
	for i := len(queue) - 1; i >= 0; i-- {
		if queue[i].Collection == collection && queue[i].RecordID == id {
			return i
		}
	}
	return -1
}

// refersToLater reports whether a field value names a record whose create is
// in later: folding it into an earlier mutation would reference that record
// before it exists.
func refersToLater(fields map[string]any, later []Pending) bool {
	created := map[string]bool{}
	for _, p := range later {
		if p.Op == "create" {
			created[p.RecordID] = true
		}
	}
	if len(created) == 0 {
		return false
	}
	for _, v := range fields {
		switch v := v.(type) {
		case string:
			if created[v] {
				return true
			}
		case []string:
			if slices.ContainsFunc(v, func(s string) bool { return created[s] }) {
				return true
			}
		case []any:
			if slices.ContainsFunc(v, func(s any) bool { str, ok := s.(string); return ok && created[str] }) {
				return true
			}
		}
	}
	return false
}

func (c *Client) mutation(collection, id, op string, baseRev int, fields map[string]any) devicesync.Mutation {
	return devicesync.Mutation{
		MutationID: NewMutationID(), Collection: collection, RecordID: id,
		Op: op, BaseRev: baseRev, Fields: fields, ClientTS: now(),
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns a new record id: 15 characters of a-z and 0-9 drawn with
// crypto/rand, as PocketBase makes them.
func NewID() string { return randomString(15) }

// NewMutationID returns a new mutation id: "m" and 24 random characters of
// a-z and 0-9, unique for all practical purposes (124 bits).
func NewMutationID() string { return "m" + randomString(24) }

// randomString draws n characters of idAlphabet without modulo bias.
func randomString(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2)
	for len(out) < n {
		rand.Read(buf) // never fails (crypto/rand panics rather)
		for _, b := range buf {
			if b < 252 { // 252 = 7*36
				out = append(out, idAlphabet[b%36])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

func errNoSuchMutation(id string) error {
	return fmt.Errorf("syncclient: no queued mutation %s", id)
}
