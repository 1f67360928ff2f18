package pb_migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// GET /api/exports/{collection} leaves an audit entry per download (package
// exports): the action export, naming the collection and the columns.
func init() {
	m.Register(auditAction("export"))
}
