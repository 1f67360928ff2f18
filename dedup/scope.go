package dedup

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// listScope returns a query narrower that applies col's list rule for info's
// auth as SQL, as PocketBase's list API does, so that a search never returns
// a record the caller could not list.
func listScope(app core.App, info *core.RequestInfo, col *core.Collection) func(*dbx.SelectQuery) error {
	return func(query *dbx.SelectQuery) error {
		return listrule.Apply(app, info, col, query)
	}
}
