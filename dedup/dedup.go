package dedup

import (
	"database/sql"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Collection is where likely duplicates are recorded.
const Collection = "duplicate_candidates"

// Statuses of a duplicate candidate pair.
const (
	StatusOpen      = "open"
	StatusMerged    = "merged"
	StatusDismissed = "dismissed"
)

// MaxCandidates bounds the pairs that one write records and the matches a
// check returns: placeholder data (many "Juan García" born on 1 January)
// must not make one registration write hundreds of records.
const MaxCandidates = 20

var errNoRows = sql.ErrNoRows

// Register binds the duplicate detection hooks and the check and merge
// routes to app.
func Register(app core.App) error {
	bindSurnameKeys(app)
	bindCandidates(app)
	bindReview(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		staff := apis.RequireAuth("staff", core.CollectionNameSuperusers)
		se.Router.GET("/api/returnees/check-duplicate", checkDuplicate).Bind(staff)
		se.Router.POST("/api/returnees/{id}/merge", mergeRecords).Bind(staff)
		return se.Next()
	})
	return nil
}
