package listrule

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// maxExpanded bounds the records a comparison through a relation is
// expanded to (wide): reference data such as a state's reception points.
const maxExpanded = 64

// wide expands the comparisons that make a wide scope (a NODESS's states, a
// coordinator's state) join another table on every row into comparisons of
// the record's own columns with literal values, each of which SQLite
// answers from an index:
//
//   - X ?= @request.auth.R.F:each, where R is a relation of the caller and F
//     a multiple relation or select of the record it names (a NODESS's
//     states), becomes X = "v1" || X = "v2" ... with the values of F read
//     now (X single-valued: the record's field, or a path to one through
//     single relations);
//   - P.F = "lit", where P is a path through single relations whose last
//     hop reaches a collection anyone may list (reference data such as
//     reception_points) and F one of its single-valued text-like fields,
//     becomes P = "id1" || P = "id2" ... with the ids of the records of
//     that collection whose F is lit (at most maxExpanded; none: false).
//
// ok is false when e is neither, or when the expansion would not be exact
// (no values, too many, an empty literal); e is then specialized as usual.
// The values are read when the rule is specialized, not in the query that
// uses them: a reception point moved to another state, or a state added to
// a NODESS, between the two is seen by the next query.
func (s *specializer) wide(e fexpr.Expr) (value, bool) {
	if s.app == nil || s.col == nil || e.Left.Type != fexpr.TokenIdentifier {
		return value{}, false
	}
	left := e.Left.Literal
	if strings.HasPrefix(left, "@") || strings.Contains(left, ":") {
		return value{}, false
	}
	switch e.Op {
	case fexpr.SignAnyEq:
		if _, f, ok := walk(s.app, s.col, strings.Split(left, ".")); !ok || !textLike(f) || e.Right.Type != fexpr.TokenIdentifier {
			return value{}, false
		}
		values, ok := s.authList(e.Right.Literal)
		if !ok || len(values) == 0 {
			return value{}, false
		}
		return anyOf(left, values), true
	case fexpr.SignEq:
		lit, isLit := s.operand(e.Right)
		literal, err := strconv.Unquote(lit)
		if !isLit || err != nil || literal == "" {
			return value{}, false
		}
		path := strings.Split(left, ".")
		if len(path) < 2 {
			return value{}, false
		}
		target, f, ok := walk(s.app, s.col, path)
		if !ok || !textLike(f) || target.ListRule == nil || *target.ListRule != "" {
			return value{}, false
		}
		ids := []string{}
		err = s.app.DB().Select("id").From(target.Name).Where(dbx.HashExp{f.GetName(): literal}).
			OrderBy("id").Limit(maxExpanded + 1).Column(&ids)
		if err != nil || len(ids) > maxExpanded {
			return value{}, false
		}
		if len(ids) == 0 {
			return value{known: isFalse}, true
		}
		return anyOf(strings.Join(path[:len(path)-1], "."), ids), true
	}
	return value{}, false
}

// anyOf is field = v1 || field = v2 ..., in parentheses when more than one.
func anyOf(field string, values []string) value {
	terms := make([]string, len(values))
	for i, v := range values {
		terms[i] = field + " = " + strconv.Quote(v)
	}
	if len(terms) == 1 {
		return value{text: terms[0]}
	}
	return value{text: "(" + strings.Join(terms, " || ") + ")"}
}

var authPathEach = regexp.MustCompile(`^@request\.auth\.([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*):each$`)

// authList is the value of @request.auth.R.F:each, where R is a single
// relation of the caller's collection and F a multiple relation or select
// of the record it names, read now; ok is false for anything else, or when
// R names no record.
func (s *specializer) authList(identifier string) ([]string, bool) {
	m := authPathEach.FindStringSubmatch(identifier)
	if m == nil {
		return nil, false
	}
	target, f, ok := walk(s.app, s.auth.Collection(), []string{m[1], m[2]})
	if !ok {
		return nil, false
	}
	switch f := f.(type) {
	case *core.RelationField:
		ok = f.IsMultiple()
	case *core.SelectField:
		ok = f.IsMultiple()
	default:
		ok = false
	}
	id := s.auth.GetString(m[1])
	if !ok || id == "" {
		return nil, false
	}
	record, err := s.app.FindRecordById(target, id)
	if err != nil {
		return nil, false
	}
	return record.GetStringSlice(m[2]), true
}

// walk follows path from col: every name but the last is a single relation
// (whose collection the next name is in); it returns the collection of the
// last name and its field.
func walk(app core.App, col *core.Collection, path []string) (*core.Collection, core.Field, bool) {
	for i, name := range path {
		f := col.Fields.GetByName(name)
		if f == nil {
			return nil, nil, false
		}
		if i == len(path)-1 {
			return col, f, true
		}
		rel, ok := f.(*core.RelationField)
		if !ok || rel.IsMultiple() {
			return nil, nil, false
		}
		next, err := app.FindCachedCollectionByNameOrId(rel.CollectionId)
		if err != nil {
			return nil, nil, false
		}
		col = next
	}
	return nil, nil, false
}

// textLike reports whether f holds one string compared as text: a text,
// email, single select or single relation.
func textLike(f core.Field) bool {
	switch f := f.(type) {
	case *core.TextField, *core.EmailField:
		return true
	case *core.SelectField:
		return !f.IsMultiple()
	case *core.RelationField:
		return !f.IsMultiple()
	}
	return false
}
