package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Course seats (package seats): the order in which a course's enrollment
// requests reached the server, which serves its waitlist.
func init() {
	m.Register(func(app core.App) error {
		err := changeCollection(app, "enrollments", func(c *core.Collection) {
			c.Fields.Add(&core.NumberField{Name: "request_order", OnlyInt: true, Min: types.Pointer(0.0),
				Help: "Place of the request in the course's queue (1, 2, ...), in the order the server received them; set by the server."})
			// seats are counted and the waitlist served per course and status
			c.AddIndex("idx_enrollments_course_status", false, "course, status, request_order", "")
		})
		if err != nil {
			return err
		}
		// enrollments written before: their order of creation
		_, err = app.NonconcurrentDB().NewQuery(`UPDATE enrollments SET request_order = (
			SELECT n FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY course ORDER BY created, id) AS n FROM enrollments) o
			WHERE o.id = enrollments.id)`).Execute()
		return err
	}, func(app core.App) error {
		return changeCollection(app, "enrollments", func(c *core.Collection) {
			c.RemoveIndex("idx_enrollments_course_status")
			c.Fields.RemoveByName("request_order")
		})
	})
}
