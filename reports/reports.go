// Package reports serves aggregate reports for coordinators, NODESS staff
// and superusers:
//
//	GET /api/reports/returns?by=origin_state|destination_state|reception_point|month|sector
//	GET /api/reports/referrals
//	GET /api/reports/course-seats
//	GET /api/reports/savings
//
// Each count of events (returns, referrals, course demand, active members)
// is split by the person's sex and age band (Bands): the coordinator's
// home shows who comes back and who is helped, women and men, minors and
// older people, not only how many.
//
// Every count is taken over the records the caller could list through the
// REST API: each collection's list rule is applied as SQL for the caller
// (package internal/listrule) and the rows are then grouped. A coordinator
// therefore counts the returnees received or going to their state, NODESS
// staff the consenting returnees of their states or referred to their node,
// and superusers everything; catalogues with public list rules (courses that
// are not drafts, savings groups) are counted in full for everyone, while
// enrollments, memberships and ledger entries follow their own rules.
//
// Answers are JSON, or with ?format=csv a CSV download (text/csv, UTF-8 with
// a byte-order mark, for Excel) whose header is the JSON keys of a row, in English, and
// whose lines are the JSON rows in the same order; totals are in the JSON
// only. Labels (state and reception point names, sectors) are in Spanish.
// Guests get 401; returnee accounts and field workers 403.
package reports

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// ReportRoles are the staff roles that may read reports (besides superusers).
var ReportRoles = []string{"coordinator", "nodess_staff"}

// Register binds the report routes to app.
func Register(app core.App) error {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/reports")
		g.Bind(apis.RequireAuth())
		g.BindFunc(requireReporter)
		g.GET("/returns", returnsReport)
		g.GET("/referrals", handle("referrals", referrals))
		g.GET("/journey", handle("journey", journey))
		g.GET("/course-seats", handle("course-seats", courseSeats))
		g.GET("/savings", handle("savings", savings))
		return se.Next()
	})
	return nil
}

// requireReporter lets superusers, coordinators and NODESS staff through.
func requireReporter(e *core.RequestEvent) error {
	if e.Auth.IsSuperuser() {
		return e.Next()
	}
	if e.Auth.Collection().Name == "staff" {
		for _, r := range ReportRoles {
			if e.Auth.GetString("role") == r {
				return e.Next()
			}
		}
	}
	return e.ForbiddenError("Reports are for coordinators, NODESS staff and superusers.", nil)
}

// format reads ?format: "json" (the default) or "csv".
func format(e *core.RequestEvent) (string, error) {
	switch f := e.Request.URL.Query().Get("format"); f {
	case "", "json":
		return "json", nil
	case "csv":
		return "csv", nil
	default:
		return "", e.BadRequestError("The format parameter must be json or csv.", nil)
	}
}

// Table is a report's JSON answer: its name and its rows, which are also
// the lines of its CSV. Reports with totals or parameters embed it.
type Table[T any] struct {
	Report string `json:"report"`
	Rows   []T    `json:"rows"`
}

func (t *Table[T]) rows() []T { return t.Rows }

// table is a report that answers with rows (a *Table or a struct embedding one).
type table[T any] interface{ rows() []T }

// handle is the route of a report: compute's answer for the caller, as JSON,
// or its rows as CSV.
func handle[R table[T], T any](name string, compute func(core.App, *core.RequestInfo) (R, error)) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		f, err := format(e)
		if err != nil {
			return err
		}
		info, err := e.RequestInfo()
		if err != nil {
			return e.BadRequestError("", err)
		}
		report, err := compute(e.App, info)
		if err != nil {
			return e.InternalServerError("", err)
		}
		return respond(e, f, name, report, report.rows())
	}
}

// respond answers body as JSON, or rows as a CSV attachment named
// retorno-<name>-<UTC date>.csv.
func respond[T any](e *core.RequestEvent, format, name string, body any, rows []T) error {
	if format != "csv" {
		return e.JSON(http.StatusOK, body)
	}
	var buf bytes.Buffer
	if err := writeCSV(&buf, rows); err != nil {
		return e.InternalServerError("", err)
	}
	filename := fmt.Sprintf("retorno-%s-%s.csv", name, time.Now().UTC().Format(time.DateOnly))
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// stateNames returns every state's name by id (reference data, public).
func stateNames(app core.App) (map[string]string, error) {
	return names(app, "states")
}

func names(app core.App, collection string) (map[string]string, error) {
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From(collection).All(&rows); err != nil {
		return nil, fmt.Errorf("%s names: %w", collection, err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// visible returns, for each (collection, id column) pair of pairs, the
// condition that holds for the records info's auth may list
// (listrule.VisibleByName), in the order given.
func visible(app core.App, info *core.RequestInfo, pairs ...[2]string) ([]dbx.Expression, error) {
	out := make([]dbx.Expression, len(pairs))
	for i, p := range pairs {
		exp, err := listrule.VisibleByName(app, info, p[0], p[1])
		if err != nil {
			return nil, err
		}
		out[i] = exp
	}
	return out, nil
}

// each runs q, whose rows are read into T (columns named as dbx maps the
// fields: State is state, ActiveMembers active_members), and calls f on
// each; what names the query in an error.
func each[T any](q *dbx.SelectQuery, what string, f func(T)) error {
	var rows []T
	if err := q.All(&rows); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for _, r := range rows {
		f(r)
	}
	return nil
}

// stateRows are a report's rows by state id, each made on first use.
type stateRows[T any] struct {
	rows   map[string]*T
	newRow func(state string) *T
}

func newStateRows[T any](newRow func(state string) *T) *stateRows[T] {
	return &stateRows[T]{rows: map[string]*T{}, newRow: newRow}
}

// row returns the row of state, made if new.
func (s *stateRows[T]) row(state string) *T {
	if s.rows[state] == nil {
		s.rows[state] = s.newRow(state)
	}
	return s.rows[state]
}

// byName returns the rows, each named after its state by setName (the
// state's id where the state has no name), in order of name then id, and
// their total, named "Total", in which each integer field is the sum of the
// rows'.
func (s *stateRows[T]) byName(app core.App, setName func(r *T, name string)) (rows []T, total T, err error) {
	names, err := stateNames(app)
	if err != nil {
		return nil, total, err
	}
	name := func(state string) string { return cmp.Or(names[state], state) }
	states := slices.SortedFunc(maps.Keys(s.rows), func(a, b string) int {
		return cmp.Or(cmp.Compare(name(a), name(b)), cmp.Compare(a, b))
	})
	rows = make([]T, 0, len(states))
	for _, state := range states {
		r := s.rows[state]
		setName(r, name(state))
		rows = append(rows, *r)
		addInts(&total, r)
	}
	setName(&total, "Total")
	return rows, total, nil
}

// addInts adds each integer field of r (those of Bands too) to the same
// field of t.
func addInts[T any](t, r *T) {
	tv, rv := reflect.ValueOf(t).Elem(), reflect.ValueOf(r).Elem()
	for _, f := range leafFields(tv.Type()) {
		if to := tv.FieldByIndex(f.Index); to.CanInt() {
			to.SetInt(to.Int() + rv.FieldByIndex(f.Index).Int())
		}
	}
}
