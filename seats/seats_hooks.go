package seats

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// priority runs the allocation before the other execute hooks (revision,
// sync log, audit), so that they see the status and request_order it sets
// and run inside its transaction.
const priority = hookorder.Seats

func bindEnrollments(app core.App) {
	hookorder.Hook{ID: "seatsAllocate", Priority: priority, Func: allocate}.OnCreate(app, catalog.Enrollments)
	hookorder.Hook{ID: "seatsChange", Priority: priority, Func: change}.OnUpdate(app, catalog.Enrollments)
	hookorder.Hook{ID: "seatsRelease", Priority: priority, Func: release}.OnDelete(app, catalog.Enrollments)
}

func bindCourses(app core.App) {
	hookorder.Hook{ID: "seatsCourseChange", Priority: priority, Func: courseChange}.OnUpdate(app, catalog.TrainingCourses)
}

// allocate decides a new enrollment's status and queues it, counting the
// seats in the transaction of its insert.
func allocate(e *core.RecordEvent) error {
	return recordwrite.InTransaction(e, func() error {
		course, err := e.App.FindRecordById(catalog.TrainingCourses, e.Record.GetString("course"))
		if err != nil {
			return e.Next() // the relation's validation reports it
		}
		if course.GetString("status") != courseOpen {
			return courseNotOpen()
		}
		order, err := nextOrder(e.App, course.Id)
		if err != nil {
			return err
		}
		e.Record.Set("request_order", order)
		seats, err := free(e.App, course, "")
		if err != nil {
			return err
		}
		switch e.Record.GetString("status") {
		case StatusCompleted:
			if seats <= 0 {
				return courseFull()
			}
		case StatusDropped:
			// a record of the past: holds no seat
		default:
			if seats > 0 {
				e.Record.Set("status", StatusEnrolled)
			} else {
				e.Record.Set("status", StatusWaitlisted)
			}
		}
		return e.Next()
	})
}

// change checks that an update takes a seat only if one is free, requeues an
// enrollment that enters the waitlist or another course, and gives a seat it
// frees to the waitlist.
func change(e *core.RecordEvent) error {
	original := e.Record.Original()
	if who := actor.Of(e.Context, e.Record); who != nil && !who.IsSuperuser() {
		e.Record.Set("request_order", original.GetInt("request_order")) // server-owned
	}
	was, now := original.GetString("status"), e.Record.GetString("status")
	from, to := original.GetString("course"), e.Record.GetString("course")
	moved := from != to
	takes := HoldsSeat(now) && (!HoldsSeat(was) || moved)
	frees := HoldsSeat(was) && (!HoldsSeat(now) || moved)
	waits := now == StatusWaitlisted && (was != StatusWaitlisted || moved)
	if !takes && !frees && !waits {
		return e.Next()
	}
	return recordwrite.InTransaction(e, func() error {
		course, err := e.App.FindRecordById(catalog.TrainingCourses, to)
		if err != nil {
			return e.Next() // the relation's validation reports it
		}
		if moved || waits {
			order, err := nextOrder(e.App, to)
			if err != nil {
				return err
			}
			e.Record.Set("request_order", order)
		}
		if takes {
			seats, err := free(e.App, course, e.Record.Id)
			if err != nil {
				return err
			}
			if seats <= 0 {
				return courseFull()
			}
		}
		if err := e.Next(); err != nil {
			return err
		}
		if frees && moved {
			if err := fill(e.App, from); err != nil {
				return err
			}
		}
		if frees || waits {
			return fill(e.App, to)
		}
		return nil
	})
}

// release gives the seat of a deleted enrollment to the waitlist.
func release(e *core.RecordEvent) error {
	if !HoldsSeat(e.Record.GetString("status")) {
		return e.Next()
	}
	return recordwrite.InTransaction(e, func() error {
		if err := e.Next(); err != nil {
			return err
		}
		return fill(e.App, e.Record.GetString("course"))
	})
}

// courseChange moves the waitlist when a course opens or its capacity grows.
func courseChange(e *core.RecordEvent) error {
	original := e.Record.Original()
	open := e.Record.GetString("status") == courseOpen
	opened := open && original.GetString("status") != courseOpen
	grew := open && e.Record.GetInt("capacity") > original.GetInt("capacity")
	if !opened && !grew {
		return e.Next()
	}
	return recordwrite.InTransaction(e, func() error {
		if err := e.Next(); err != nil {
			return err
		}
		return fill(e.App, e.Record.Id)
	})
}
