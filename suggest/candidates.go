package suggest

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// Course is a suggested training course.
type Course struct {
	ID           string   `json:"id" db:"id"`
	Title        string   `json:"title" db:"title"`
	Theme        string   `json:"theme" db:"theme"`
	ThemeLabel   string   `json:"theme_label" db:"-"`
	Nodess       string   `json:"nodess" db:"nodess"`
	Municipality string   `json:"municipality" db:"municipality"`
	Modality     string   `json:"modality" db:"modality"`
	StartsOn     string   `json:"starts_on" db:"starts_on"`
	EndsOn       string   `json:"ends_on" db:"ends_on"`
	Capacity     int      `json:"capacity" db:"capacity"`
	FreeSeats    int      `json:"free_seats" db:"-"`
	Score        int      `json:"score" db:"-"`
	Reasons      []Reason `json:"reasons" db:"-"`
}

// SavingsGroup is a suggested savings group.
type SavingsGroup struct {
	ID              string   `json:"id" db:"id"`
	Name            string   `json:"name" db:"name"`
	Nodess          string   `json:"nodess" db:"nodess"`
	Municipality    string   `json:"municipality" db:"municipality"`
	Methodology     string   `json:"methodology" db:"methodology"`
	Status          string   `json:"status" db:"status"`
	ShareValueCents int      `json:"share_value_cents" db:"share_value_cents"`
	MinShares       int      `json:"min_shares" db:"min_shares"`
	MaxShares       int      `json:"max_shares" db:"max_shares"`
	CycleStart      string   `json:"cycle_start" db:"cycle_start"`
	CycleEnd        string   `json:"cycle_end" db:"cycle_end"`
	MeetingPlace    string   `json:"meeting_place" db:"meeting_place"`
	ActiveMembers   int      `json:"active_members" db:"active_members"`
	Score           int      `json:"score" db:"-"`
	Reasons         []Reason `json:"reasons" db:"-"`
}

type courseRow struct {
	Course
	Description string `db:"description"`
	Enrolled    int    `db:"enrolled"`
}

type groupRow struct {
	SavingsGroup
	Description string `db:"description"`
}

// openCourses loads the courses returnee could still take in state: open,
// listable by info's auth under the training_courses list rule, with a
// free seat (capacity minus the enrollments that hold a seat: enrolled and
// completed, as package seats counts them), and without an
// enrollment of returnee in any status (the unique course+returnee index
// means a second request could not be made).
func openCourses(app core.App, info *core.RequestInfo, state, returnee string) ([]courseRow, error) {
	visible, err := listrule.VisibleByName(app, info, "training_courses", "[[c.id]]")
	if err != nil {
		return nil, err
	}
	var rows []courseRow
	err = app.DB().Select(
		"c.id", "c.title", "c.theme", "c.nodess", "c.municipality", "c.modality", "c.starts_on", "c.ends_on",
		"c.capacity", "c.description",
		"(SELECT COUNT(*) FROM {{enrollments}} e WHERE e.[[course]] = c.[[id]] AND e.[[status]] IN ('enrolled', 'completed')) AS [[enrolled]]", // the statuses that hold a seat (seats.HoldsSeat)
	).From("training_courses c").
		Where(dbx.NewExp("c.[[state]] = {:state} AND c.[[status]] = 'open'", dbx.Params{"state": state})).
		AndWhere(dbx.NewExp("NOT EXISTS (SELECT 1 FROM {{enrollments}} e WHERE e.[[course]] = c.[[id]] AND e.[[returnee]] = {:returnee})",
			dbx.Params{"returnee": returnee})).
		AndWhere(visible).
		All(&rows)
	if err != nil {
		return nil, fmt.Errorf("open courses: %w", err)
	}
	out := rows[:0]
	for _, r := range rows {
		if r.FreeSeats = r.Capacity - r.Enrolled; r.FreeSeats > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// openGroups loads the savings groups returnee could join in state: forming
// or active, accepting members, listable by info's auth, and without a
// membership of returnee in any status (unique group+returnee index).
func openGroups(app core.App, info *core.RequestInfo, state, returnee string) ([]groupRow, error) {
	visible, err := listrule.VisibleByName(app, info, "savings_groups", "[[g.id]]")
	if err != nil {
		return nil, err
	}
	var rows []groupRow
	err = app.DB().Select(
		"g.id", "g.name", "g.nodess", "g.municipality", "g.methodology", "g.status", "g.share_value_cents",
		"g.min_shares", "g.max_shares", "g.cycle_start", "g.cycle_end", "g.meeting_place", "g.description",
		"(SELECT COUNT(*) FROM {{group_members}} m WHERE m.[[group]] = g.[[id]] AND m.[[status]] = 'active') AS [[active_members]]",
	).From("savings_groups g").
		Where(dbx.NewExp("g.[[state]] = {:state} AND g.[[status]] IN ('forming', 'active') AND g.[[accepting_members]] = TRUE",
			dbx.Params{"state": state})).
		AndWhere(dbx.NewExp("NOT EXISTS (SELECT 1 FROM {{group_members}} m WHERE m.[[group]] = g.[[id]] AND m.[[returnee]] = {:returnee})",
			dbx.Params{"returnee": returnee})).
		AndWhere(visible).
		All(&rows)
	if err != nil {
		return nil, fmt.Errorf("open savings groups: %w", err)
	}
	return rows, nil
}
