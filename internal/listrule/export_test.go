package listrule

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ApplyUnspecialized narrows query by col's list rule as it is, as the REST
// list API does: the reference that Apply must agree with.
func ApplyUnspecialized(app core.App, info *core.RequestInfo, col *core.Collection, query *dbx.SelectQuery) error {
	if col.ListRule == nil || *col.ListRule == "" || info.HasSuperuserAuth() {
		return Apply(app, info, col, query)
	}
	return applyRule(app, info, col, query, *col.ListRule)
}

// Specialize exposes specialize: the rewritten rule, "true", "false", or
// "" when the rule is left as it is.
func Specialize(app core.App, col *core.Collection, rule string, auth *core.Record) string {
	v, ok := specialize(app, col, rule, auth)
	switch {
	case !ok:
		return ""
	case v.known == isTrue:
		return "true"
	case v.known == isFalse:
		return "false"
	}
	return v.text
}
