package pb_migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// Staff reads of a person leave audit entries (package fieldaccess): the
// action view, one entry per person read, naming the person.
func init() {
	m.Register(auditAction("view"))
}
