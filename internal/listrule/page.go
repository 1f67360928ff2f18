package listrule

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"
)

// PageAfter returns, in id order, up to limit of col's records whose ids
// come after after, among those info's auth may list narrowed by filter (a
// caller's filter, checked as the list API checks it, or ""): a page of a
// sync's initial pull, or of an export. A list rule that is a disjunction
// (Disjuncts: a field worker's people, latest point || previous point; a
// NODESS's, one branch per state of the node and one for the people referred
// to it; a coordinator's, one per point of the state and its destination) is
// paged branch by branch, each an index range of ids alone, and the
// branches' ids are merged in id order without repeats and cut to limit (the
// first limit ids of the union are among them; once limit are known, a
// later branch reads only up to the last of them) before the records of
// those ids alone are read: a NODESS of six states reads seven short ranges
// of ids and one page of records. The whole rule as one query makes SQLite
// sort the whole scope on every page (docs/BENCHMARKS.md).
func PageAfter(app core.App, info *core.RequestInfo, col *core.Collection, filter, after string, limit int) ([]*core.Record, error) {
	return PageAfterWhere(app, info, col, filter, nil, after, limit)
}

// PageAfterWhere is PageAfter narrowed by where too, a condition of the
// caller's own on col's table (which the query names as the collection),
// or nil: a device's window of its user's scope (devicesync.Window). It is
// added to each branch, so each stays an index range.
func PageAfterWhere(app core.App, info *core.RequestInfo, col *core.Collection, filter string, where dbx.Expression, after string, limit int) ([]*core.Record, error) {
	if err := checkFilter(app, info, col, filter); err != nil {
		return nil, err
	}
	var branches []string
	if !info.HasSuperuserAuth() && col.ListRule != nil {
		if v, ok := specialize(app, col, *col.ListRule, info.Auth); ok {
			branches = split(v)
		}
	}
	if len(branches) < 2 {
		query := app.RecordQuery(col)
		if err := applyWith(app, info, col, col.ListRule, filter, query); err != nil {
			return nil, err
		}
		return pageAfter(andWhere(query, where), col, after, limit)
	}
	var ids []string
	for _, branch := range branches {
		query := app.DB().Select("{{" + col.Name + "}}.[[id]]").From(col.Name)
		if err := applyBranches(app, info, col, query, filter, after, branch); err != nil {
			return nil, err
		}
		query = andWhere(query, where)
		if len(ids) == limit {
			// the page ends at or before the limit-th id found so far: a
			// later branch needs read no further
			query.AndWhere(dbx.NewExp("[["+col.Name+".id]] <= {:bound}", dbx.Params{"bound": ids[limit-1]}))
		}
		var found []string
		if err := afterID(query, col, after, limit).Column(&found); err != nil {
			return nil, err
		}
		ids = slices.Compact(slices.Sorted(slices.Values(append(ids, found...))))
		ids = ids[:min(limit, len(ids))]
	}
	records := []*core.Record{}
	if len(ids) == 0 {
		return records, nil
	}
	err := app.RecordQuery(col).AndWhere(dbx.In(col.Name+".id", list.ToInterfaceSlice(ids)...)).OrderBy(col.Name + ".id").All(&records)
	return records, err
}

// pageAfter loads the first limit records of query, a query of col's
// records, whose ids come after after, in id order.
func pageAfter(query *dbx.SelectQuery, col *core.Collection, after string, limit int) ([]*core.Record, error) {
	records := []*core.Record{}
	return records, afterID(query, col, after, limit).All(&records)
}

// afterID narrows query, of col's records, to the first limit whose ids
// come after after, in id order.
func afterID(query *dbx.SelectQuery, col *core.Collection, after string, limit int) *dbx.SelectQuery {
	return query.AndWhere(dbx.NewExp("[["+col.Name+".id]] > {:after}", dbx.Params{"after": after})).
		OrderBy(col.Name + ".id").Limit(int64(limit))
}

// andWhere adds where to query's conditions, unless it is nil (dbx builds an
// empty AND of nothing as "()").
func andWhere(query *dbx.SelectQuery, where dbx.Expression) *dbx.SelectQuery {
	if where == nil {
		return query
	}
	return query.AndWhere(where)
}
