package fieldaccess

import "github.com/pocketbase/pocketbase/core"

// AuditViews turns the audit of reads of people on or off in app: the
// benchmark compares a list with and without it.
func AuditViews(app core.App, on bool) {
	if l, ok := app.Store().Get(storeKey).(*viewLog); ok {
		l.off.Store(!on)
	}
}
