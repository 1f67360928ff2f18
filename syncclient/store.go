package syncclient

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
)

// Record is the server's copy of one record as the device last received it,
// from a pull or from the answer to a push.
type Record struct {
	Collection string
	ID         string
	// Rev is the server's rev of Data.
	Rev int
	// Data is the record's JSON as the REST API shows it to the user.
	Data json.RawMessage
}

// Pending is a queued mutation that the server has not confirmed yet.
type Pending struct {
	devicesync.Mutation
	// Sent is set once the mutation has been sent. A sent mutation may have
	// been applied already (its answer lost), so it is never changed again:
	// its retry must be byte-for-byte the same write.
	Sent bool `json:"sent,omitempty"`
	// Chained marks a mutation queued behind a sent, unconfirmed mutation of
	// the same record: its base_rev is filled in from the server's answer to
	// that mutation, and it is never pushed in the same batch as it.
	Chained bool `json:"chained,omitempty"`
}

// Problem is a mutation the server refused (rejected) or could not apply
// (conflict). It has left the queue and is kept for the user to see: it is
// not retried automatically.
type Problem struct {
	Mutation devicesync.Mutation `json:"mutation"`
	Result   devicesync.Result   `json:"result"`
	At       time.Time           `json:"at"`
}

// Store keeps a device's state: the server copy of synced records, the
// ordered queue of pending mutations, the pull cursor, the client id and the
// refused mutations. Implementations must be safe for concurrent use; the
// Client serialises its own calls.
//
// The Client orders its writes so that a crash between two calls is
// harmless: records are applied before the cursor moves (a pull is repeated)
// and before a mutation leaves the queue (a push is retried and answered
// duplicate).
type Store interface {
	// ClientID returns the saved client id, or "" if none was saved.
	ClientID() (string, error)
	// SetClientID saves the client id.
	SetClientID(id string) error
	// Cursor returns the saved pull cursor, or "" to pull from the start.
	Cursor() (string, error)
	// SetCursor saves the pull cursor.
	SetCursor(cursor string) error

	// Record returns the server copy of a record, if the store has it.
	Record(collection, id string) (Record, bool, error)
	// Records returns the server copies of a collection's records, by id.
	Records(collection string) ([]Record, error)
	// PutRecord saves the server copy of a record, replacing any other.
	PutRecord(r Record) error
	// DeleteRecord drops the server copy of a record; a missing one is no error.
	DeleteRecord(collection, id string) error
	// ClearRecords drops the server copy of every record (the queue, the
	// problems and the client id stay).
	ClearRecords() error

	// Queue returns the pending mutations, oldest first.
	Queue() ([]Pending, error)
	// Enqueue adds a mutation at the end of the queue.
	Enqueue(p Pending) error
	// UpdatePending replaces the queued mutation with p's mutation id,
	// keeping its place in the queue.
	UpdatePending(p Pending) error
	// RemovePending drops the queued mutations with these ids.
	RemovePending(mutationIDs ...string) error

	// AddProblems keeps refused mutations for the user.
	AddProblems(problems ...Problem) error
	// Problems returns the kept refused mutations, oldest first.
	Problems() ([]Problem, error)
	// ClearProblems forgets the kept refused mutations.
	ClearProblems() error
}

// MemoryStore is a Store in memory: a device's state for tests, simulations
// and short-lived tools. It is lost when the process ends.
type MemoryStore struct {
	mu       sync.Mutex
	clientID string
	cursor   string
	records  map[string]map[string]Record // collection -> id -> record
	queue    []Pending
	problems []Problem
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{records: map[string]map[string]Record{}}
}

var _ Store = (*MemoryStore)(nil)

// locked runs f holding the store's lock.
func (s *MemoryStore) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// ClientID implements Store.
func (s *MemoryStore) ClientID() (id string, _ error) {
	s.locked(func() { id = s.clientID })
	return id, nil
}

// SetClientID implements Store.
func (s *MemoryStore) SetClientID(id string) error { s.locked(func() { s.clientID = id }); return nil }

// Cursor implements Store.
func (s *MemoryStore) Cursor() (cursor string, _ error) {
	s.locked(func() { cursor = s.cursor })
	return cursor, nil
}

// SetCursor implements Store.
func (s *MemoryStore) SetCursor(cursor string) error {
	s.locked(func() { s.cursor = cursor })
	return nil
}

// Record implements Store.
func (s *MemoryStore) Record(collection, id string) (Record, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[collection][id]
	if ok {
		r.Data = slices.Clone(r.Data)
	}
	return r, ok, nil
}

// Records implements Store.
func (s *MemoryStore) Records(collection string) ([]Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Record, 0, len(s.records[collection]))
	for _, r := range s.records[collection] {
		r.Data = slices.Clone(r.Data)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// PutRecord implements Store.
func (s *MemoryStore) PutRecord(r Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.records[r.Collection] == nil {
		s.records[r.Collection] = map[string]Record{}
	}
	r.Data = slices.Clone(r.Data)
	s.records[r.Collection][r.ID] = r
	return nil
}

// DeleteRecord implements Store.
func (s *MemoryStore) DeleteRecord(collection, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.records[collection], id)
	return nil
}

// ClearRecords implements Store.
func (s *MemoryStore) ClearRecords() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = map[string]map[string]Record{}
	return nil
}

// Queue implements Store.
func (s *MemoryStore) Queue() ([]Pending, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Pending, len(s.queue))
	for i, p := range s.queue {
		out[i] = clonePending(p)
	}
	return out, nil
}

// Enqueue implements Store.
func (s *MemoryStore) Enqueue(p Pending) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, clonePending(p))
	return nil
}

// UpdatePending implements Store.
func (s *MemoryStore) UpdatePending(p Pending) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.queue {
		if s.queue[i].MutationID == p.MutationID {
			s.queue[i] = clonePending(p)
			return nil
		}
	}
	return errNoSuchMutation(p.MutationID)
}

// RemovePending implements Store.
func (s *MemoryStore) RemovePending(mutationIDs ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = slices.DeleteFunc(s.queue, func(p Pending) bool { return slices.Contains(mutationIDs, p.MutationID) })
	return nil
}

// AddProblems implements Store.
func (s *MemoryStore) AddProblems(problems ...Problem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, problems...)
	return nil
}

// Problems implements Store.
func (s *MemoryStore) Problems() ([]Problem, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.problems), nil
}

// ClearProblems implements Store.
func (s *MemoryStore) ClearProblems() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = nil
	return nil
}

// clonePending copies p's fields map, so that neither the store nor its
// caller can change the other's copy.
func clonePending(p Pending) Pending {
	if p.Fields != nil {
		fields := make(map[string]any, len(p.Fields))
		for k, v := range p.Fields {
			fields[k] = v
		}
		p.Fields = fields
	}
	return p
}
