package pb_migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// Duplicate pairs of one person are looked up on every registration and
// change (returnee = ? OR candidate = ?); the pair index is partial
// (candidate != ”), so it cannot serve the returnee side and the lookup
// scanned the whole table.
func init() {
	m.Register(replaceIndexes("duplicate_candidates", nil, []index{
		{"idx_duplicate_candidates_returnee", false, "returnee", ""},
	}))
}
