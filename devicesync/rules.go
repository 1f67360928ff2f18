package devicesync

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// visibleRecords loads the records among ids that info's auth may list now,
// with the collection's list rule applied as SQL over the whole page, as the
// REST list API applies it.
func visibleRecords(app core.App, info *core.RequestInfo, col *core.Collection, ids []string) ([]*core.Record, error) {
	return visibleWhere(app, info, col, ids, nil)
}

// visibleWhere is visibleRecords narrowed by where too (a device's window),
// or nil.
func visibleWhere(app core.App, info *core.RequestInfo, col *core.Collection, ids []string, where dbx.Expression) ([]*core.Record, error) {
	records := []*core.Record{}
	query, err := amongIDs(app, info, col, ids)
	if query == nil || err != nil {
		return records, err
	}
	if where != nil {
		query.AndWhere(where)
	}
	err = query.All(&records)
	return records, err
}

// visibleIDs returns which of ids info's auth may list now (the rule alone,
// no window), reading ids only.
func visibleIDs(app core.App, info *core.RequestInfo, col *core.Collection, ids []string) (map[string]bool, error) {
	visible := map[string]bool{}
	query, err := amongIDs(app, info, col, ids)
	if query == nil || err != nil {
		return visible, err
	}
	var found []string
	err = query.Select("{{" + col.Name + "}}.[[id]]").Column(&found)
	for _, id := range found {
		visible[id] = true
	}
	return visible, err
}

// amongIDs is listQuery narrowed to ids (each once), or nil when there are
// none or the rule lets info's auth list nothing.
func amongIDs(app core.App, info *core.RequestInfo, col *core.Collection, ids []string) (*dbx.SelectQuery, error) {
	ids = list.NonzeroUniques(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	query, err := listQuery(app, info, col)
	if query == nil || err != nil {
		return nil, err
	}
	return query.AndWhere(dbx.In(col.Name+".id", list.ToInterfaceSlice(ids)...)), nil
}

// visibleAfter loads, in id order, up to limit records after id after that
// info's auth may list now, narrowed by where (a device's window) or nil:
// a page of an initial sync (listrule.PageAfterWhere).
func visibleAfter(app core.App, info *core.RequestInfo, col *core.Collection, where dbx.Expression, after string, limit int) ([]*core.Record, error) {
	return listrule.PageAfterWhere(app, info, col, "", where, after, limit)
}

// listQuery is a query of col's records with its list rule applied for
// info's auth, or nil when the rule lets them list nothing.
func listQuery(app core.App, info *core.RequestInfo, col *core.Collection) (*dbx.SelectQuery, error) {
	if col.ListRule == nil && !info.HasSuperuserAuth() {
		return nil, nil
	}
	query := app.RecordQuery(col)
	return query, listrule.Apply(app, info, col, query)
}

// visibleBefore returns the log rows among seqs whose before-image info's
// auth could list: the record's state before the write is put in place of
// the collection's table and the list rule is run over it. Relations in the
// rule resolve to the related records as they are now.
func visibleBefore(app core.App, info *core.RequestInfo, col *core.Collection, seqs []int64) (map[int64]bool, error) {
	seen := map[int64]bool{}
	if len(seqs) == 0 || (col.ListRule == nil && !info.HasSuperuserAuth()) {
		return seen, nil
	}
	if info.HasSuperuserAuth() || *col.ListRule == "" {
		for _, s := range seqs {
			seen[s] = true
		}
		return seen, nil
	}

	shadow := *col // shallow copy under another name
	shadow.Name = "_before_" + col.Name
	shadow.Id = "_before_" + col.Id
	// only the fields the rule names are read out of the before-images
	// (each json_extract parses the whole image: every field of up to 20 ×
	// limit images was most of a storm's pulls); the others are NULL
	selects := "b.seq AS [[_seq]]"
	for _, f := range col.Fields {
		name := f.GetName()
		if name == "id" || listrule.Names(*col.ListRule, name) {
			selects += fmt.Sprintf(", json_extract(b.before, '$.%s') AS [[%s]]", name, name)
		} else {
			selects += ", NULL AS [[" + name + "]]"
		}
	}
	params := dbx.Params{}
	in := ""
	for i, s := range seqs {
		key := fmt.Sprintf("s%d", i)
		params[key] = s
		if i > 0 {
			in += ","
		}
		in += "{:" + key + "}"
	}
	with := fmt.Sprintf("WITH {{%s}} AS (SELECT %s FROM _sync_log b WHERE b.seq IN (%s))", shadow.Name, selects, in)

	// the rule specialized for the caller (listrule), as for the records
	// themselves: a field worker's is a test of the two points, not every
	// role's branches joined on every before-image of the page (in a
	// reconnect storm this query was half the server's CPU)
	query := app.ConcurrentDB().Select("{{" + shadow.Name + "}}.[[_seq]]").Distinct(true).
		PreFragment(with).From(shadow.Name).AndBind(params)
	if err := listrule.ApplyRule(app, info, &shadow, shadow.ListRule, query); err != nil {
		return nil, fmt.Errorf("%s list rule: %w", col.Name, err)
	}
	var rows []int64
	if err := query.Column(&rows); err != nil {
		return nil, err
	}
	for _, s := range rows {
		seen[s] = true
	}
	return seen, nil
}
