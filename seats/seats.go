// Package seats allocates the seats of training courses, so that a course
// never holds more people than its capacity, whatever the write path: REST,
// batch, the admin dashboard, Go code and, above all, sync pushes from phones
// that asked to enroll while offline and all reach the server at once.
//
// The server decides, in the transaction of each write:
//
//   - A new enrollment takes a seat (enrolled) if the course has one free,
//     else it joins the waitlist (waitlisted). Whatever status its creator
//     asked for among requested, enrolled and waitlisted, the server decides;
//     a created completed or dropped enrollment (an import of the past) keeps
//     its status, and a completed one needs a free seat.
//   - Each enrollment gets request_order, its place in the course's queue:
//     1, 2, ... in the order the server received the requests (commit order,
//     since SQLite has one writer). An enrollment that (re-)enters the
//     waitlist from another status goes to the back of the queue.
//   - A seat is held by enrolled and completed enrollments: a person who
//     finished a course used their seat, and marking completions must not
//     pull the waitlist into a course that is over.
//   - When a seat frees (a drop, any move out of enrolled, a delete) and the
//     course is open, the first waitlisted enrollments (lowest request_order)
//     take the free seats. The same happens when a course opens or its
//     capacity grows. Promotions are system writes (no actor): the audit log
//     shows the server made them, and the sync log carries them to devices,
//     so the person sees enrolled after their next pull.
//   - No one waits while an open course has a free seat: staff who set an
//     enrollment back to waitlisted put it at the back of the queue, and it
//     takes a seat again at once if one is free. To remove someone from a
//     course, set dropped.
//   - Staff (and superusers) may set any status, but a write that would make
//     an enrollment hold a seat in a full course is refused with a field
//     error on status (course_full).
//   - Lowering a course's capacity evicts nobody: the people enrolled keep
//     their seats, and the waitlist moves again once fewer hold seats than
//     the new capacity.
//   - Enrollments are taken only while the course is open (hooks/programs.go
//     validates it; the allocation checks it again in its transaction).
//
// request_order is server-owned: a staff member's or returnee's value is
// ignored (superusers and system writes may set it on updates, to reorder a
// waitlist by hand).
package seats

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// Enrollment statuses the allocation uses.
const (
	StatusEnrolled   = "enrolled"
	StatusWaitlisted = "waitlisted"
	StatusCompleted  = "completed"
	StatusDropped    = "dropped"
)

// courseOpen is the course status that takes enrollments and moves its
// waitlist.
const courseOpen = "open"

// Register binds the seat allocation to every write of enrollments and
// courses of app.
func Register(app core.App) error {
	bindEnrollments(app)
	bindCourses(app)
	return nil
}

// HoldsSeat reports whether an enrollment with status holds one of its
// course's seats.
func HoldsSeat(status string) bool {
	return status == StatusEnrolled || status == StatusCompleted
}

// Free returns how many seats of a course are free: its capacity less the
// enrollments that hold a seat. It is negative when the capacity was lowered
// below the seats already held.
func Free(app core.App, courseID string) (int, error) {
	course, err := app.FindRecordById(catalog.TrainingCourses, courseID)
	if err != nil {
		return 0, fmt.Errorf("seats: course %s: %w", courseID, err)
	}
	return free(app, course, "")
}

// free counts the free seats of course, leaving out the enrollment with id
// except (the one being written).
func free(app core.App, course *core.Record, except string) (int, error) {
	q := app.DB().Select("COUNT(*)").From("enrollments").
		Where(dbx.HashExp{"course": course.Id, "status": []any{StatusEnrolled, StatusCompleted}})
	if except != "" {
		q.AndWhere(dbx.Not(dbx.HashExp{"id": except}))
	}
	var taken int
	if err := q.Row(&taken); err != nil {
		return 0, fmt.Errorf("seats: count: %w", err)
	}
	return course.GetInt("capacity") - taken, nil
}

// nextOrder is the request_order of a new request to a course: one past its
// last.
func nextOrder(app core.App, courseID string) (int, error) {
	var last int
	err := app.DB().Select("COALESCE(MAX(request_order), 0)").From("enrollments").
		Where(dbx.HashExp{"course": courseID}).Row(&last)
	if err != nil {
		return 0, fmt.Errorf("seats: queue: %w", err)
	}
	return last + 1, nil
}

// fill gives the free seats of an open course to its first waitlisted
// enrollments. Call it inside the transaction of the write that freed them.
func fill(app core.App, courseID string) error {
	course, err := app.FindRecordById(catalog.TrainingCourses, courseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // deleted, with its enrollments
	}
	if err != nil {
		return fmt.Errorf("seats: course %s: %w", courseID, err)
	}
	if course.GetString("status") != courseOpen {
		return nil
	}
	n, err := free(app, course, "")
	if err != nil || n <= 0 {
		return err
	}
	waiting, err := app.FindRecordsByFilter(catalog.Enrollments, "course = {:course} && status = {:waitlisted}",
		"request_order,created,id", n, 0, dbx.Params{"course": courseID, "waitlisted": StatusWaitlisted})
	if err != nil {
		return fmt.Errorf("seats: waitlist: %w", err)
	}
	for _, w := range waiting {
		w.Set("status", StatusEnrolled)
		if err := app.Save(w); err != nil {
			return fmt.Errorf("seats: promote %s: %w", w.Id, err)
		}
	}
	return nil
}

// courseFull is the refusal of a write that would exceed a course's
// capacity.
func courseFull() error {
	return validation.Errors{"status": validation.NewError("course_full", "El curso no tiene lugares libres.")}
}

// courseNotOpen is the refusal of an enrollment in a course that is not open
// (the same as hooks/programs.go's, checked again inside the transaction).
func courseNotOpen() error {
	return validation.Errors{"course": validation.NewError("course_not_open", "El curso no está abierto a inscripciones.")}
}
