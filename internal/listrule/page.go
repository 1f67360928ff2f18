package listrule

import (
	"maps"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// PageAfter returns, in id order, up to limit of col's records whose ids
// come after after, among those info's auth may list narrowed by filter (a
// caller's filter, checked as the list API checks it, or ""): a page of a
// sync's initial pull, or of an export. A list rule that is a disjunction
// (Disjuncts: a field worker's people, latest point || previous point) is
// paged branch by branch, each an index range, and the branches' pages are
// merged in id order without repeats and cut to limit: the first limit ids
// of the union are among them. The whole rule as one query makes SQLite
// sort the whole scope on every page (docs/BENCHMARKS.md).
func PageAfter(app core.App, info *core.RequestInfo, col *core.Collection, filter, after string, limit int) ([]*core.Record, error) {
	if err := checkFilter(app, info, col, filter); err != nil {
		return nil, err
	}
	var branches []string
	if !info.HasSuperuserAuth() && col.ListRule != nil {
		branches = Disjuncts(*col.ListRule, info.Auth)
	}
	if branches == nil {
		query := app.RecordQuery(col)
		if err := applyWith(app, info, col, col.ListRule, filter, query); err != nil {
			return nil, err
		}
		return pageAfter(query, col, after, limit)
	}
	byID := map[string]*core.Record{}
	for _, branch := range branches {
		query := app.RecordQuery(col)
		rules := []string{branch}
		if filter != "" {
			rules = append(rules, filter)
		}
		if err := applyRule(app, info, col, query, rules...); err != nil {
			return nil, err
		}
		found, err := pageAfter(query, col, after, limit)
		if err != nil {
			return nil, err
		}
		for _, r := range found {
			byID[r.Id] = r
		}
	}
	ids := slices.Sorted(maps.Keys(byID))
	records := make([]*core.Record, 0, min(limit, len(ids)))
	for _, id := range ids[:min(limit, len(ids))] {
		records = append(records, byID[id])
	}
	return records, nil
}

// pageAfter loads the first limit records of query, a query of col's
// records, whose ids come after after, in id order.
func pageAfter(query *dbx.SelectQuery, col *core.Collection, after string, limit int) ([]*core.Record, error) {
	records := []*core.Record{}
	err := query.AndWhere(dbx.NewExp("[["+col.Name+".id]] > {:after}", dbx.Params{"after": after})).
		OrderBy(col.Name + ".id").Limit(int64(limit)).All(&records)
	return records, err
}
