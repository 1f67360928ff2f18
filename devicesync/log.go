package devicesync

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// The change log. Every write to a synced collection appends a row in the
// write's own transaction; SQLite has one writer, so seq order is commit
// order and a cursor (the last seq a device has seen) never skips a row.
//
// A row keeps the record's state before the write (before), so that a pull
// can tell whether a user who cannot see the record now could see it then:
// that is an evict. A write that may move the scope of other records (a
// returnee's reception point, which decides who sees their consents) also
// appends a "touch" row for each of them, whose before is the parent's old
// state and via names the parent's collection.
const schema = `
CREATE TABLE IF NOT EXISTS _sync_log (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	collection TEXT    NOT NULL,
	record_id  TEXT    NOT NULL,
	op         TEXT    NOT NULL,
	rev        INTEGER NOT NULL DEFAULT 0,
	fields     TEXT    NOT NULL DEFAULT '[]',
	before     TEXT,
	via        TEXT    NOT NULL DEFAULT '',
	at         TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS _sync_log_record ON _sync_log (collection, record_id, seq);
CREATE INDEX IF NOT EXISTS _sync_log_at ON _sync_log (at);
-- the touch rows of a parent, for RewriteBefore
CREATE INDEX IF NOT EXISTS _sync_log_touch ON _sync_log (via, json_extract(before, '$.id')) WHERE via != '';

CREATE TABLE IF NOT EXISTS _sync_mutations (
	client_id   TEXT NOT NULL,
	mutation_id TEXT NOT NULL,
	auth_id     TEXT NOT NULL,
	status      TEXT NOT NULL,
	collection  TEXT NOT NULL,
	record_id   TEXT NOT NULL,
	result      TEXT NOT NULL DEFAULT '{}',
	at          TEXT NOT NULL,
	PRIMARY KEY (client_id, mutation_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _sync_mutations_at ON _sync_mutations (at);

CREATE TABLE IF NOT EXISTS _sync_clients (
	client_id  TEXT PRIMARY KEY,
	auth_id    TEXT NOT NULL,
	cursor     INTEGER NOT NULL DEFAULT 0,
	last_seen  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS _sync_dropped (
	auth_id TEXT    NOT NULL,
	hour    TEXT    NOT NULL,
	count   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (auth_id, hour)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS _sync_aliases (
	collection TEXT    NOT NULL,
	device_id  TEXT    NOT NULL,
	record_id  TEXT    NOT NULL,
	rev        INTEGER NOT NULL DEFAULT 0,
	at         TEXT    NOT NULL,
	PRIMARY KEY (device_id, collection)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS _sync_aliases_at ON _sync_aliases (at);

CREATE TABLE IF NOT EXISTS _sync_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
`

// unknownFields marks a log row whose changed fields are not known (a record
// logged by the backfill): a merge against it treats every field as changed.
const unknownFields = "*"

const (
	opPut    = "put"
	opDelete = "delete"
	opEvict  = "evict"
)

func createTables(app core.App) error {
	_, err := app.NonconcurrentDB().NewQuery(schema).Execute()
	return err
}

func nowText() string { return time.Now().UTC().Format("2006-01-02 15:04:05.000Z") }

// secretFields never enter the log.
var secretFields = map[string]bool{core.FieldNamePassword: true, core.FieldNameTokenKey: true}

// snapshot is the stored state of record as JSON, as the database holds it.
func snapshot(app core.App, record *core.Record) (string, error) {
	data, err := record.DBExport(app)
	if err != nil {
		return "", err
	}
	for k := range secretFields {
		delete(data, k)
	}
	b, err := json.Marshal(data)
	return string(b), err
}

func (p *plugin) bindLog() {
	names := make([]string, 0, len(p.collections))
	for name := range p.collections {
		names = append(names, name)
	}
	write := func(op string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			var before, fields string = "", "[]"
			if !e.Record.IsNew() {
				var err error
				if before, err = snapshot(e.App, e.Record.Original()); err != nil {
					return err
				}
			}
			changed := []string{}
			if op == opPut {
				changed = recordwrite.ChangedFields(e.Record)
			}
			b, _ := json.Marshal(changed)
			fields = string(b)
			return recordwrite.InTransaction(e, func() error {
				if err := e.Next(); err != nil {
					return err
				}
				if err := appendLog(e.App, e.Record.Collection().Name, e.Record.Id, op, e.Record.GetInt("rev"), fields, before, ""); err != nil {
					return fmt.Errorf("sync log: %w", err)
				}
				if op == opPut && before != "" {
					return p.touchDependents(e.App, e.Record, changed, before)
				}
				return nil
			})
		}
	}
	hookorder.Hook{ID: "devicesync_log_create", Priority: hookorder.SyncLog, Func: write(opPut)}.OnCreate(p.app, names...)
	hookorder.Hook{ID: "devicesync_log_update", Priority: hookorder.SyncLog, Func: write(opPut)}.OnUpdate(p.app, names...)
	hookorder.Hook{ID: "devicesync_log_delete", Priority: hookorder.SyncLog, Func: write(opDelete)}.OnDelete(p.app, names...)
}

func appendLog(app core.App, collection, id, op string, rev int, fields, before, via string) error {
	var b any
	if before != "" {
		b = before
	}
	_, err := app.NonconcurrentDB().Insert("_sync_log", dbx.Params{
		"collection": collection, "record_id": id, "op": op, "rev": rev,
		"fields": fields, "before": b, "via": via, "at": nowText(),
	}).Execute()
	return err
}

// dependent is a synced collection whose list rule reads fields of a parent
// record through a chain of relations: consents read
// returnee.reception_point (one hop), ledger entries read
// member.returnee.reception_point (two hops, through group_members).
type dependent struct {
	collection string
	chain      []hop    // from the dependent to the parent
	fields     []string // the parent's fields the rule reads
}

type hop struct{ relation, target string } // a relation field and the collection it points to

var rulePath = regexp.MustCompile(`(^|[^@\w.:])([a-zA-Z_]\w*(?:\.[a-zA-Z_]\w*)+)`)

// analyseDependents reads every synced collection's list rule, and the
// paths a device's window reads (Config.WindowReads), for paths through
// single relations into a synced collection.
func analyseDependents(app core.App, synced map[string]Collection, reads map[string][]string) (map[string][]dependent, error) {
	deps := map[string][]dependent{}
	add := func(parent string, d dependent, field string) {
		for i, have := range deps[parent] {
			if have.collection == d.collection && slices.Equal(have.chain, d.chain) {
				if !slices.Contains(have.fields, field) {
					deps[parent][i].fields = append(deps[parent][i].fields, field)
				}
				return
			}
		}
		d.fields = []string{field}
		deps[parent] = append(deps[parent], d)
	}
	for name := range synced {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil || col.ListRule == nil {
			continue // not migrated yet (analysed again on serve), or superusers only
		}
		text := *col.ListRule + " " + strings.Join(reads[name], " ")
		for _, m := range rulePath.FindAllStringSubmatch(text, -1) {
			segments := strings.Split(m[2], ".")
			at := col
			var chain []hop
			for _, seg := range segments[:len(segments)-1] {
				rel, ok := at.Fields.GetByName(seg).(*core.RelationField)
				if !ok || rel.MaxSelect > 1 {
					break
				}
				target, err := app.FindCachedCollectionByNameOrId(rel.CollectionId)
				if err != nil {
					break
				}
				chain = append(chain, hop{relation: seg, target: target.Name})
				next := segments[len(chain)]
				if _, ok := synced[target.Name]; ok && target.Fields.GetByName(next) != nil {
					add(target.Name, dependent{collection: name, chain: slices.Clone(chain)}, next)
				}
				at = target
			}
		}
	}
	return deps, nil
}

// touchDependents appends a touch row for every record whose list rule reads
// a field of parent that this write changed.
func (p *plugin) touchDependents(app core.App, parent *core.Record, changed []string, before string) error {
	for _, d := range p.dependents(parent.Collection().Name) {
		if !slices.ContainsFunc(d.fields, func(f string) bool { return slices.Contains(changed, f) }) {
			continue
		}
		// records of d.collection reached from parent through the chain
		where := fmt.Sprintf("[[%s]] = {:parent}", d.chain[len(d.chain)-1].relation)
		for i := len(d.chain) - 1; i > 0; i-- {
			where = fmt.Sprintf("[[%s]] IN (SELECT [[id]] FROM {{%s}} WHERE %s)", d.chain[i-1].relation, d.chain[i-1].target, where)
		}
		_, err := app.NonconcurrentDB().NewQuery(
			"INSERT INTO _sync_log (collection, record_id, op, rev, fields, before, via, at) " +
				"SELECT {:collection}, [[id]], 'put', [[rev]], '[]', {:before}, {:via}, {:at} FROM {{" + d.collection + "}} WHERE " + where).
			Bind(dbx.Params{
				"collection": d.collection, "before": before, "via": parent.Collection().Name,
				"at": nowText(), "parent": parent.Id,
			}).Execute()
		if err != nil {
			return fmt.Errorf("sync touch %s: %w", d.collection, err)
		}
	}
	return nil
}

// backfill logs the records written before the engine was registered (or by
// raw SQL), so that an initial pull finds every record.
func (p *plugin) backfill(app core.App) error {
	for name := range p.collections {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		_, err = app.NonconcurrentDB().NewQuery(fmt.Sprintf(
			"INSERT INTO _sync_log (collection, record_id, op, rev, fields, before, via, at) "+
				"SELECT {:collection}, t.[[id]], 'put', t.[[rev]], '[\"*\"]', NULL, '', {:at} FROM {{%s}} t "+
				"WHERE NOT EXISTS (SELECT 1 FROM _sync_log l WHERE l.collection = {:collection} AND l.record_id = t.id)",
			col.Name)).Bind(dbx.Params{"collection": col.Name, "at": nowText()}).Execute()
		if err != nil {
			return fmt.Errorf("sync backfill %s: %w", name, err)
		}
	}
	return nil
}
