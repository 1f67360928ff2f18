package devicesync

import (
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// Change is one entry of a pull page.
type Change struct {
	Op         string          `json:"op"`
	Collection string          `json:"collection"`
	RecordID   string          `json:"record_id"`
	Rev        int             `json:"rev,omitzero"`
	Record     json.RawMessage `json:"record,omitempty"`
}

// PullResponse is the answer of GET /api/sync/pull.
type PullResponse struct {
	Changes []Change `json:"changes"`
	Cursor  string   `json:"cursor"`
	HasMore bool     `json:"has_more"`
	Reset   bool     `json:"reset"`
	// Window is the part of the user's scope their devices hold, when it is
	// narrower than the scope (Config.Window): the device prunes by it.
	Window *WindowInfo `json:"window,omitempty"`
	// Estimate counts, on the first page of an initial sync, the records the
	// sync will send of some collections (Config.Estimate).
	Estimate map[string]int `json:"estimate,omitempty"`
}

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// ValidClientID reports whether id is a device's client_id: 8-64 characters
// [A-Za-z0-9_-].
func ValidClientID(id string) bool { return clientIDPattern.MatchString(id) }

type logRow struct {
	Seq        int64          `db:"seq"`
	Collection string         `db:"collection"`
	RecordID   string         `db:"record_id"`
	Op         string         `db:"op"`
	Rev        int            `db:"rev"`
	HasBefore  bool           `db:"has_before"`
	Fields     string         `db:"fields"` // the fields the write changed, a JSON list
	Via        string         `db:"via"`
	Before     sql.NullString `db:"-"`
}

// logColumns are the columns of _sync_log a logRow reads (not the
// before-image itself).
var logColumns = []string{"seq", "collection", "record_id", "op", "rev", "(before IS NOT NULL) AS has_before", "fields", "via"}

func (p *plugin) pull(e *core.RequestEvent) error {
	release, err := take(e.Request.Context(), p.pulling)
	if err != nil {
		return err
	}
	defer release()
	q := e.Request.URL.Query()
	limit := DefaultPullLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return e.BadRequestError("limit must be a positive integer.", err)
		}
		limit = min(n, MaxPullLimit)
	}
	clientID := q.Get("client_id")
	if clientID != "" && !clientIDPattern.MatchString(clientID) {
		return e.BadRequestError("client_id must be 8-64 characters of A-Z, a-z, 0-9, _ and -.", nil)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	w, err := p.window(e.App, e.Auth)
	if err != nil {
		return e.InternalServerError("", err)
	}
	scope, err := p.scopeHash(e.App, e.Auth, w)
	if err != nil {
		return e.InternalServerError("", err)
	}

	horizon, err := p.horizon(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	c := cursor{scope: scope, horizon: horizon, snapshot: true}
	if raw := q.Get("cursor"); raw != "" {
		c, err = decodeCursor(raw)
		if err != nil {
			return e.BadRequestError("The cursor is not one this server gave.", err)
		}
		// the user's own scope changed, or history after the cursor was
		// collected since it was given: start again
		// or the cursor is ahead of the log: the server was restored from a
		// backup that lacks what the device saw
		var top int64
		if err := e.App.ConcurrentDB().Select("COALESCE(MAX(seq), 0)").From("_sync_log").Row(&top); err != nil {
			return e.InternalServerError("", err)
		}
		if c.scope != scope || (c.horizon < horizon && c.seq < horizon) || c.seq > top {
			return e.JSON(http.StatusOK, PullResponse{Changes: []Change{}, HasMore: true, Reset: true})
		}
	} else {
		// an initial sync reads the collections as they are, then the log
		// from where it stood when the sync began
		if err := e.App.ConcurrentDB().Select("COALESCE(MAX(seq), 0)").From("_sync_log").Row(&c.seq); err != nil {
			return e.InternalServerError("", err)
		}
	}
	acknowledged := c.seq
	if c.snapshot {
		acknowledged = 0 // a device in its initial sync has seen nothing yet
	}

	var estimate map[string]int
	if q.Get("cursor") == "" {
		if estimate, err = p.estimate(e.App, info, w); err != nil {
			return e.InternalServerError("", err)
		}
	}
	var page []Change
	hasMore := true
	if c.snapshot {
		page, err = p.snapshotPage(e, info, w, &c, limit)
	} else {
		page, c.seq, hasMore, err = p.page(e, info, w, c.seq, limit)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if clientID != "" {
		if err := p.touchClient(e.App, clientID, e.Auth.Id, acknowledged); err != nil {
			e.App.Logger().Warn("sync: client bookkeeping", "error", err)
		}
	}
	return e.JSON(http.StatusOK, PullResponse{Changes: page, Cursor: c.encode(), HasMore: hasMore, Window: w.info(), Estimate: estimate})
}

// snapshotPage returns up to limit records of an initial sync: each synced
// collection in turn, in id order, under its list rule, as the REST list API
// pages it. Once every collection is read, c becomes a log cursor at the seq
// the sync began with, so that what changed meanwhile follows. A window
// narrows each collection it names.
func (p *plugin) snapshotPage(e *core.RequestEvent, info *core.RequestInfo, w *Window, c *cursor, limit int) ([]Change, error) {
	changes := []Change{}
	for c.collection < len(p.config.Collections) && len(changes) < limit {
		col, err := e.App.FindCachedCollectionByNameOrId(p.config.Collections[c.collection].Name)
		if err != nil || !p.pulls(info.Auth, col.Name) {
			c.collection, c.lastID = c.collection+1, ""
			continue
		}
		want := limit - len(changes)
		records, err := visibleAfter(e.App, info, col, w.where(col.Name), c.lastID, want)
		if err != nil {
			return nil, err
		}
		put, err := puts(e, records)
		if err != nil {
			return nil, err
		}
		changes = append(changes, put...)
		if len(records) < want {
			c.collection, c.lastID = c.collection+1, ""
		} else {
			c.lastID = records[len(records)-1].Id
		}
	}
	if c.collection >= len(p.config.Collections) {
		c.snapshot, c.collection, c.lastID = false, 0, ""
	}
	return changes, nil
}

// page scans the log after seq and returns up to limit changes, one per
// record, in the order of each record's first row in the scan.
func (p *plugin) page(e *core.RequestEvent, info *core.RequestInfo, w *Window, after int64, limit int) ([]Change, int64, bool, error) {
	changes := []Change{}
	index := map[string]int{} // collection/record -> position in changes, or -1 when nothing is owed
	batch := max(limit*2, 500)
	last := after
	for scanned := 0; scanned < limit*20; {
		var rows []logRow
		err := e.App.ConcurrentDB().Select(logColumns...).
			From("_sync_log").Where(dbx.NewExp("seq > {:after}", dbx.Params{"after": last})).
			OrderBy("seq").Limit(int64(batch)).All(&rows)
		if err != nil {
			return nil, 0, false, err
		}
		if len(rows) == 0 {
			return changes, last, false, nil
		}
		scanned += len(rows)
		verdicts, err := p.judge(e, info, w, rows)
		if err != nil {
			return nil, 0, false, err
		}
		for i, r := range rows {
			key := r.Collection + "/" + r.RecordID
			at, seen := index[key]
			switch v := verdicts[i]; {
			case v.Op == "":
				if !seen {
					index[key] = -1
				}
			case !seen || at < 0:
				index[key] = len(changes)
				changes = append(changes, v)
			case changes[at].Op != opPut:
				changes[at] = v // a later delete or evict of the same record
			}
			last = r.Seq
			if len(changes) >= limit {
				return changes, last, i < len(rows)-1 || len(rows) == batch, nil
			}
		}
		if len(rows) < batch {
			return changes, last, false, nil
		}
	}
	return changes, last, true, nil
}

// judge decides, for each row, what the user is owed: a put of the record as
// it is now, a delete or evict if they could see it before, or nothing. A
// record the user may read but that is outside their devices' window is
// not visible to the device now: evicted if the user could see it before.
func (p *plugin) judge(e *core.RequestEvent, info *core.RequestInfo, w *Window, rows []logRow) ([]Change, error) {
	out := make([]Change, len(rows))
	ids := map[string][]string{}
	for _, r := range rows {
		if p.pulls(info.Auth, r.Collection) {
			ids[r.Collection] = append(ids[r.Collection], r.RecordID)
		}
	}
	now := map[string]Change{}
	for name, named := range ids {
		col, err := e.App.FindCachedCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		records, err := visibleWhere(e.App, info, col, named, w.holds(name))
		if err != nil {
			return nil, err
		}
		put, err := puts(e, records)
		if err != nil {
			return nil, err
		}
		for _, c := range put {
			now[name+"/"+c.RecordID] = c
		}
	}

	saw, err := p.sawBefore(e.App, info, w, rows, now)
	if err != nil {
		return nil, err
	}

	if err := p.judgeTombstones(e.App, info, rows, now, saw); err != nil {
		return nil, err
	}

	for i, r := range rows {
		key := r.Collection + "/" + r.RecordID
		switch {
		case !p.pulls(info.Auth, r.Collection):
		case now[key].Op != "":
			out[i] = now[key]
		case saw[r.Seq] && r.Op == opDelete:
			out[i] = Change{Op: opDelete, Collection: r.Collection, RecordID: r.RecordID, Rev: r.Rev}
		case saw[r.Seq]:
			out[i] = Change{Op: opEvict, Collection: r.Collection, RecordID: r.RecordID}
		}
	}
	return out, nil
}

// sawBefore returns the rows of records not visible now whose record the
// user could see before the write: their before-images, judged by the rule.
//
// A write that changed no field the user's specialized rule reads
// (listrule.Reads; a touch row's parent changed one) left what the rule says
// of the record as it says now, so its before-image is not judged: the
// record was not visible then either, or, when the device holds a window of
// the collection, it was if the rule alone lets the user see it now (an
// id lookup). In a storm of registrations, the consent that rewrites each
// new person's nodess_consent is such a write for every field worker, and
// judging those images was most of the server's work.
func (p *plugin) sawBefore(app core.App, info *core.RequestInfo, w *Window, rows []logRow, now map[string]Change) (map[int64]bool, error) {
	before := map[string][]int64{} // collection whose rule to run -> seqs
	same := map[string][]logRow{}  // collection -> rows whose write the rule does not read
	reads := map[string][]string{} // collection -> fields its specialized rule reads, nil: all
	for _, r := range rows {
		if _, ok := now[r.Collection+"/"+r.RecordID]; ok || !r.HasBefore || !p.pulls(info.Auth, r.Collection) {
			continue
		}
		if r.Via != "" {
			before[r.Via] = append(before[r.Via], r.Seq)
			continue
		}
		if unmoved(app, info, r, reads) {
			same[r.Collection] = append(same[r.Collection], r)
			continue
		}
		before[r.Collection] = append(before[r.Collection], r.Seq)
	}
	saw := map[int64]bool{}
	for name, seqs := range before {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		seen, err := visibleBefore(app, info, col, seqs)
		if err != nil {
			return nil, err
		}
		for s := range seen {
			saw[s] = true
		}
	}
	for name, unmovedRows := range same {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil || w.holds(name) == nil {
			continue // not visible now, so not before
		}
		ids := make([]string, len(unmovedRows))
		for i, r := range unmovedRows {
			ids[i] = r.RecordID
		}
		visible, err := visibleIDs(app, info, col, ids)
		if err != nil {
			return nil, err
		}
		for _, r := range unmovedRows {
			saw[r.Seq] = saw[r.Seq] || visible[r.RecordID]
		}
	}
	return saw, nil
}

// unmoved reports whether r is a write of a record's own (no touch row, no
// delete) that changed no field the user's specialized rule of its
// collection reads: the rule says of the record before it what it says now
// (reads caches the fields by collection).
func unmoved(app core.App, info *core.RequestInfo, r logRow, reads map[string][]string) bool {
	return r.Via == "" && r.Op == opPut && !changesRead(app, info, r, reads)
}

// changesRead reports whether the write of r changed a field that the
// user's rule of r's collection reads; true when that cannot be told.
func changesRead(app core.App, info *core.RequestInfo, r logRow, reads map[string][]string) bool {
	fields, ok := reads[r.Collection]
	if !ok {
		col, err := app.FindCachedCollectionByNameOrId(r.Collection)
		if err != nil || col.ListRule == nil || info.Auth == nil || info.HasSuperuserAuth() {
			return true
		}
		if fields, ok = listrule.Reads(app, col, *col.ListRule, info.Auth); !ok {
			fields = nil
			for _, f := range col.Fields {
				fields = append(fields, f.GetName())
			}
		}
		reads[r.Collection] = fields
	}
	var changed []string
	if err := json.Unmarshal([]byte(r.Fields), &changed); err != nil || len(changed) == 0 {
		return true
	}
	return slices.ContainsFunc(changed, func(f string) bool { return slices.Contains(fields, f) })
}

// judgeTombstones covers a record deleted before its parent moved out of the
// user's scope: its before-image, read against the parent as it is now, no
// longer looks visible, and the parent's move found no record to touch. So a
// tombstone the user seems not to have seen is judged by its parent's state
// at the time of the delete: the before-image of the parent's first change
// after it (only for single-relation, one-hop dependencies).
func (p *plugin) judgeTombstones(app core.App, info *core.RequestInfo, rows []logRow, now map[string]Change, saw map[int64]bool) error {
	tombs := map[string][]int64{}
	for _, r := range rows {
		if r.Op == opDelete && !saw[r.Seq] && now[r.Collection+"/"+r.RecordID].Op == "" {
			tombs[r.Collection] = append(tombs[r.Collection], r.Seq)
		}
	}
	for collection, seqs := range tombs {
		for _, parent := range p.parentsOf(collection) {
			var pairs []struct {
				Tomb   int64         `db:"tomb"`
				Parent sql.NullInt64 `db:"parent"`
			}
			err := app.ConcurrentDB().Select("t.seq AS tomb",
				"(SELECT MIN(p.seq) FROM _sync_log p WHERE p.collection = {:parent} AND p.via = '' AND p.before IS NOT NULL"+
					" AND p.record_id = json_extract(t.before, {:path}) AND p.seq > t.seq) AS parent").
				From("_sync_log t").Where(dbx.In("t.seq", list.ToInterfaceSlice(seqs)...)).
				Bind(dbx.Params{"parent": parent.target, "path": "$." + parent.relation}).All(&pairs)
			if err != nil {
				return err
			}
			var parentSeqs []int64
			for _, pr := range pairs {
				if pr.Parent.Valid {
					parentSeqs = append(parentSeqs, pr.Parent.Int64)
				}
			}
			col, err := app.FindCachedCollectionByNameOrId(parent.target)
			if err != nil || len(parentSeqs) == 0 {
				continue
			}
			seen, err := visibleBefore(app, info, col, parentSeqs)
			if err != nil {
				return err
			}
			for _, pr := range pairs {
				if pr.Parent.Valid && seen[pr.Parent.Int64] {
					saw[pr.Tomb] = true
				}
			}
		}
	}
	return nil
}

// scopeFree are auth fields that do not decide what a user may see.
var scopeFree = map[string]bool{
	"name": true, "email": true, "emailVisibility": true, "verified": true, "avatar": true,
	"created": true, "updated": true, "rev": true, core.FieldNamePassword: true, core.FieldNameTokenKey: true,
}

// scopeHash fingerprints what decides a user's scope: who they are and their
// scope fields (role, reception point, node, state...). A cursor made under
// another fingerprint is reset, so that a staff member moved to another
// reception point drops the old point's people and gets the new point's.
// The length of the devices' window is part of it (a change resets them),
// not its first day, which moves every day.
func (p *plugin) scopeHash(app core.App, auth *core.Record, w *Window) (string, error) {
	h := sha256.New()
	if auth != nil {
		fmt.Fprintf(h, "%s/%s", auth.Collection().Name, auth.Id)
		for _, f := range auth.Collection().Fields {
			if name := f.GetName(); !scopeFree[name] && !slices.Contains(p.config.ScopeFree, name) {
				fmt.Fprintf(h, "|%s=%v", name, auth.GetRaw(name))
			}
		}
		if p.config.ScopeKey != nil {
			key, err := p.config.ScopeKey(app, auth)
			if err != nil {
				return "", fmt.Errorf("scope key: %w", err)
			}
			fmt.Fprintf(h, "|key=%s", key)
		}
		if p.config.Pulls != nil {
			for _, c := range p.config.Collections {
				fmt.Fprintf(h, "|%s=%v", c.Name, p.pulls(auth, c.Name))
			}
		}
		if w != nil {
			fmt.Fprintf(h, "|window=%d", w.Days)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// cursor is a device's position: in the log (the last seq it has seen), or,
// during an initial sync, in the snapshot (a collection and the last id read
// of it, seq being where the log stood when the sync began). It also carries
// the user's scope fingerprint and the collection horizon when the pull began.
type cursor struct {
	seq        int64
	scope      string
	horizon    int64
	snapshot   bool
	collection int
	lastID     string
}

func (c cursor) encode() string {
	raw := fmt.Sprintf("v1.%d.%s.%d", c.seq, c.scope, c.horizon)
	if c.snapshot {
		raw += fmt.Sprintf(".%d.%s", c.collection, c.lastID)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(s string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, err
	}
	parts := strings.Split(string(raw), ".")
	if (len(parts) != 4 && len(parts) != 6) || parts[0] != "v1" {
		return cursor{}, errors.New("unknown cursor version")
	}
	c := cursor{scope: parts[2]}
	seq, err1 := strconv.ParseInt(parts[1], 10, 64)
	horizon, err2 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || seq < 0 || horizon < 0 {
		return cursor{}, errors.New("bad cursor position")
	}
	c.seq, c.horizon = seq, horizon
	if len(parts) == 6 {
		n, err := strconv.Atoi(parts[4])
		if err != nil || n < 0 || (parts[5] != "" && !recordIDPattern.MatchString(parts[5])) {
			return cursor{}, errors.New("bad snapshot position")
		}
		c.snapshot, c.collection, c.lastID = true, n, parts[5]
	}
	return c, nil
}

// puts is the put changes of records, each as the user's REST view shows
// it: enriched as PocketBase's record API enriches it (hidden fields
// dropped, the record enrich hooks run) and marshalled. Every record a pull
// sends goes through it, so a field hidden from a role on REST is hidden in
// the pull too.
func puts(e *core.RequestEvent, records []*core.Record) ([]Change, error) {
	if err := apis.EnrichRecords(e, records); err != nil {
		return nil, err
	}
	out := make([]Change, len(records))
	for i, rec := range records {
		raw, err := json.Marshal(rec)
		if err != nil {
			return nil, err
		}
		out[i] = Change{Op: opPut, Collection: rec.Collection().Name, RecordID: rec.Id, Rev: rec.GetInt("rev"), Record: raw}
	}
	return out, nil
}
