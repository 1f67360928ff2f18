package pb_migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// The sync engine bounds the refusal records one user adds in an hour
// (devicesync.Config.MaxRefusalsPerHour): each push that refuses something
// counts its user's records of the last hour, a range of this index; garbage
// collection drops records past the retention period by created.
func init() {
	m.Register(replaceIndexes("sync_conflicts", nil, []index{
		{"idx_sync_conflicts_author", false, "auth_id, created", ""},
		{"idx_sync_conflicts_created", false, "created", ""},
	}))
}
