package dedup

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// nothing narrows a query to no rows: the collection has no list rule and
// the caller is not a superuser.
var nothing = dbx.NewExp("1 = 0")

// listScope returns a query narrower that applies col's list rule for info's
// auth as SQL, as PocketBase's list API does, so that a search never returns
// a record the caller could not list.
func listScope(app core.App, info *core.RequestInfo, col *core.Collection) func(*dbx.SelectQuery) error {
	return func(query *dbx.SelectQuery) error {
		switch {
		case info.HasSuperuserAuth():
			return nil
		case col.ListRule == nil:
			query.AndWhere(nothing)
			return nil
		case *col.ListRule == "":
			return nil
		}
		resolver := core.NewRecordFieldResolver(app, col, info, true)
		expr, err := search.FilterData(*col.ListRule).BuildExpr(resolver)
		if err != nil {
			return fmt.Errorf("%s list rule: %w", col.Name, err)
		}
		query.AndWhere(expr)
		if err := resolver.UpdateQuery(query); err != nil {
			return err
		}
		query.Distinct(true)
		return nil
	}
}
