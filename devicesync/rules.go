package devicesync

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// visibleRecords loads the records among ids that info's auth may list now,
// with the collection's list rule applied as SQL over the whole page, as the
// REST list API applies it.
func visibleRecords(app core.App, info *core.RequestInfo, col *core.Collection, ids []string) ([]*core.Record, error) {
	records := []*core.Record{}
	if len(ids) == 0 {
		return records, nil
	}
	query, err := listQuery(app, info, col)
	if query == nil || err != nil {
		return records, err
	}
	err = query.AndWhere(dbx.In(col.Name+".id", toAny(ids)...)).All(&records)
	return records, err
}

// visibleAfter loads, in id order, up to limit records after id after that
// info's auth may list now: a page of an initial sync (listrule.PageAfter).
func visibleAfter(app core.App, info *core.RequestInfo, col *core.Collection, after string, limit int) ([]*core.Record, error) {
	return listrule.PageAfter(app, info, col, "", after, limit)
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
	selects := "b.seq AS [[_seq]]"
	for _, f := range col.Fields {
		name := f.GetName()
		selects += fmt.Sprintf(", json_extract(b.before, '$.%s') AS [[%s]]", name, name)
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

	resolver := core.NewRecordFieldResolver(app, &shadow, info, true)
	expr, err := search.FilterData(*col.ListRule).BuildExpr(resolver)
	if err != nil {
		return nil, fmt.Errorf("%s list rule: %w", col.Name, err)
	}
	query := app.ConcurrentDB().Select("{{" + shadow.Name + "}}.[[_seq]]").Distinct(true).
		PreFragment(with).From(shadow.Name).AndBind(params).AndWhere(expr)
	if err := resolver.UpdateQuery(query); err != nil {
		return nil, err
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

func toAny(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
