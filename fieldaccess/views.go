package fieldaccess

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

// AuditView is the audit_log action of a read of a person.
const AuditView = "view"

// How reads of people are written to the audit log: a read only appends its
// entries to a queue in memory; a goroutine writes them in multi-row inserts
// every FlushEvery, or as soon as FlushRows are queued. At most
// MaxPendingViews wait: a read that finds the queue full waits for room
// (reads slow down, entries are not dropped, memory stays bounded). A write
// that fails is logged with the number of entries lost. Set them before
// Register.
var (
	FlushEvery      = 250 * time.Millisecond
	FlushRows       = 500
	MaxPendingViews = 20_000
)

// audited are the roles whose reads of people are audited: staff and
// superusers (a person reading their own record is not).
var audited = []string{"field_worker", "nodess_staff", "coordinator", "superuser"}

// view is one read of a person, waiting to be written.
type view struct {
	actorCollection, actorID, person string
	at                               types.DateTime
}

// viewLog queues reads of people and writes them to audit_log.
type viewLog struct {
	app     core.App
	mu      sync.Mutex
	room    *sync.Cond // broadcast when the writer takes what is pending
	pending []view
	stopped bool
	kick    chan struct{} // FlushRows are pending
	flush   chan chan error
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	off     atomic.Bool // for benchmarks: reads are not audited
}

const storeKey = "retorno.fieldaccess.views"

func newViewLog(app core.App) *viewLog {
	l := &viewLog{app: app, kick: make(chan struct{}, 1), flush: make(chan chan error),
		stop: make(chan struct{}), done: make(chan struct{})}
	l.room = sync.NewCond(&l.mu)
	app.Store().Set(storeKey, l)
	go l.run()
	return l
}

// record queues a read of record by auth, if it is a read of a person by
// staff or a superuser (not a write's answer).
func (l *viewLog) record(info *core.RequestInfo, record *core.Record) {
	if record.Collection().Name != catalog.Returnees || info.Method != "GET" || info.Auth == nil || l.off.Load() {
		return
	}
	if !slices.Contains(audited, records.Role(info.Auth)) {
		return
	}
	v := view{actorCollection: info.Auth.Collection().Name, actorID: info.Auth.Id, person: record.Id, at: types.NowDateTime()}
	l.mu.Lock()
	for len(l.pending) >= MaxPendingViews && !l.stopped {
		l.room.Wait()
	}
	l.pending = append(l.pending, v)
	full := len(l.pending) >= FlushRows
	l.mu.Unlock()
	if full {
		select {
		case l.kick <- struct{}{}:
		default: // the writer is already told
		}
	}
}

// take returns what is pending and makes room.
func (l *viewLog) take() []view {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.pending
	l.pending = nil
	l.room.Broadcast()
	return out
}

// run writes what is queued until stopped, then what is left.
func (l *viewLog) run() {
	defer close(l.done)
	tick := time.NewTicker(FlushEvery)
	defer tick.Stop()
	write := func() error {
		batch := l.take()
		err := l.write(batch)
		if err != nil {
			l.app.Logger().Error("audit of reads: entries lost", "entries", len(batch), "error", err)
		}
		return err
	}
	for {
		select {
		case <-l.kick:
			write()
		case <-tick.C:
			write()
		case answer := <-l.flush:
			answer <- write()
		case <-l.stop:
			l.mu.Lock()
			l.stopped = true
			l.mu.Unlock()
			write()
			return
		}
	}
}

// write inserts batch into audit_log, one entry per reader and person
// (the first read of the batch), in inserts of 100 rows.
func (l *viewLog) write(batch []view) error {
	if len(batch) == 0 {
		return nil
	}
	seen := map[[3]string]bool{}
	var rows []view
	for _, v := range batch {
		key := [3]string{v.actorCollection, v.actorID, v.person}
		if !seen[key] {
			seen[key] = true
			rows = append(rows, v)
		}
	}
	for len(rows) > 0 {
		n := min(len(rows), 100)
		if err := insertViews(l.app, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func insertViews(app core.App, rows []view) error {
	var sql strings.Builder
	sql.WriteString("INSERT INTO {{" + catalog.AuditLog + "}} ([[id]], [[actor_collection]], [[actor_id]], [[action]], [[collection_name]], [[record_id]], [[fields]], [[created]]) VALUES ")
	params := dbx.Params{"action": AuditView, "collection": catalog.Returnees}
	for i, v := range rows {
		if i > 0 {
			sql.WriteString(", ")
		}
		n := strconv.Itoa(i)
		fmt.Fprintf(&sql, "({:id%s}, {:ac%s}, {:ai%s}, {:action}, {:collection}, {:r%s}, '[]', {:at%s})", n, n, n, n, n)
		params["id"+n] = core.GenerateDefaultRandomId()
		params["ac"+n] = v.actorCollection
		params["ai"+n] = v.actorID
		params["r"+n] = v.person
		params["at"+n] = v.at.String()
	}
	_, err := app.NonconcurrentDB().NewQuery(sql.String()).Bind(params).Execute()
	return err
}

// close writes what is queued and stops the goroutine.
func (l *viewLog) close() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

// FlushViews writes every queued read of a person to the audit log now: for
// tests and benchmarks, which count the entries of a request.
func FlushViews(app core.App) error {
	l, ok := app.Store().Get(storeKey).(*viewLog)
	if !ok {
		return nil
	}
	answer := make(chan error, 1)
	select {
	case l.flush <- answer:
		return <-answer
	case <-l.done:
		return nil
	}
}
