package listrule

import (
	"maps"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// CountWhere counts the records of col that PageAfterWhere pages through
// for info's auth with where (nil for none): the size of an initial sync,
// told to the device on its first page. A disjunctive rule is counted as
// the union of its branches, each an index range, as it is paged.
func CountWhere(app core.App, info *core.RequestInfo, col *core.Collection, where dbx.Expression) (int, error) {
	var branches []string
	if !info.HasSuperuserAuth() && col.ListRule != nil {
		branches = Disjuncts(app, col, *col.ListRule, info.Auth)
	}
	var parts []string
	params := dbx.Params{}
	add := func(apply func(*dbx.SelectQuery) error) error {
		query := app.ConcurrentDB().Select("{{" + col.Name + "}}.[[id]]").From(col.Name)
		if err := apply(query); err != nil {
			return err
		}
		built := andWhere(query, where).Build()
		parts = append(parts, built.SQL())
		maps.Copy(params, built.Params())
		return nil
	}
	if branches == nil {
		if err := add(func(q *dbx.SelectQuery) error { return applyWith(app, info, col, col.ListRule, "", q) }); err != nil {
			return 0, err
		}
	}
	for _, branch := range branches {
		if err := add(func(q *dbx.SelectQuery) error { return applyBranches(app, info, col, q, "", "", branch) }); err != nil {
			return 0, err
		}
	}
	var n int
	err := app.ConcurrentDB().NewQuery("SELECT COUNT(*) FROM (" + strings.Join(parts, " UNION ") + ")").Bind(params).Row(&n)
	return n, err
}
