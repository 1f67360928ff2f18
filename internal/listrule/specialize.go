package listrule

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/pocketbase/core"
)

// specialize rewrites rule for one signed-in caller before it becomes SQL:
// each @request.auth.<field> of a single-valued text-like field becomes the
// caller's value as a literal, comparisons of two literals are decided, and
// the branches they decide are dropped ("a role check that fails makes its
// whole && branch false"). The result lists exactly the same records as
// rule for this caller, but its SQL no longer joins the auth record on every
// row nor keeps the other roles' branches in an OR, so SQLite can use the
// index of the remaining condition (reception_point = "..." instead of a
// scan of the whole table: seconds against milliseconds at a million rows).
//
// The value is decided (isTrue, isFalse) or filter text (unknown); ok is
// false when the rule holds something this rewriter does not model
// (functions, macros), and the caller then uses the rule as it is.
func specialize(app core.App, col *core.Collection, rule string, auth *core.Record) (v value, ok bool) {
	if auth == nil {
		return value{}, false
	}
	groups, err := parse(rule)
	if err != nil {
		return value{}, false
	}
	s := &specializer{app: app, col: col, auth: auth}
	v = s.list(groups)
	return v, !s.unsupported
}

// parsed are rules already parsed, by their text: a rule is parsed for
// every read and write it judges (a push judges a few per mutation), and
// the collections have a few dozen. specialize only reads what it gets.
var (
	parsedMu sync.Mutex
	parsed   = map[string][]fexpr.ExprGroup{}
)

// parsedKept bounds parsed: past it (rules edited many times in one run)
// the map starts again.
const parsedKept = 256

func parse(rule string) ([]fexpr.ExprGroup, error) {
	parsedMu.Lock()
	groups, ok := parsed[rule]
	parsedMu.Unlock()
	if ok {
		return groups, nil
	}
	groups, err := fexpr.Parse(rule)
	if err != nil {
		return nil, err
	}
	parsedMu.Lock()
	if len(parsed) >= parsedKept {
		clear(parsed)
	}
	parsed[rule] = groups
	parsedMu.Unlock()
	return groups, nil
}

type truth int

const (
	unknown truth = iota
	isTrue
	isFalse
)

// value is a partly evaluated expression: a decided truth, or filter text.
type value struct {
	known truth
	text  string
}

type specializer struct {
	app         core.App
	col         *core.Collection // the rule's collection
	auth        *core.Record
	unsupported bool
}

// list evaluates a flat list of groups joined by && and ||, where && binds
// tighter (PocketBase writes the list out as SQL, AND before OR).
func (s *specializer) list(groups []fexpr.ExprGroup) value {
	var disjuncts [][]value
	for i, g := range groups {
		if i == 0 || g.Join == fexpr.JoinOr {
			disjuncts = append(disjuncts, nil)
		}
		last := len(disjuncts) - 1
		disjuncts[last] = append(disjuncts[last], s.item(g.Item))
	}
	var kept []string
	for _, conj := range disjuncts {
		var terms []string
		decided := isTrue
		for _, t := range conj {
			switch t.known {
			case isFalse:
				decided = isFalse
			case unknown:
				terms = append(terms, t.text)
			}
		}
		if decided == isFalse {
			continue
		}
		if len(terms) == 0 {
			return value{known: isTrue}
		}
		kept = append(kept, strings.Join(terms, " && "))
	}
	switch len(kept) {
	case 0:
		return value{known: isFalse}
	case 1:
		return value{text: kept[0]}
	}
	return value{text: "(" + strings.Join(kept, ") || (") + ")"}
}

func (s *specializer) item(item any) value {
	switch it := item.(type) {
	case fexpr.Expr:
		return s.expr(it)
	case fexpr.ExprGroup:
		return s.list([]fexpr.ExprGroup{it})
	case []fexpr.ExprGroup:
		v := s.list(it)
		if v.known == unknown && strings.Contains(v.text, "||") {
			v.text = "(" + v.text + ")" // a conjunction needs no parentheses: && binds tighter
		}
		return v
	}
	s.unsupported = true
	return value{}
}

// operand is a token as filter text, and whether it is a literal value.
func (s *specializer) operand(t fexpr.Token) (text string, literal bool) {
	switch t.Type {
	case fexpr.TokenText:
		return strconv.Quote(t.Literal), true
	case fexpr.TokenNumber:
		return t.Literal, true
	case fexpr.TokenIdentifier:
		if v, ok := s.authValue(t.Literal); ok {
			return strconv.Quote(v), true
		}
		if strings.HasPrefix(t.Literal, "@") && !strings.HasPrefix(t.Literal, "@request.") && !strings.HasPrefix(t.Literal, "@collection.") {
			s.unsupported = true // macros such as @now
		}
		return t.Literal, false
	}
	s.unsupported = true // functions and anything newer
	return t.Literal, false
}

var authField = regexp.MustCompile(`^@request\.auth\.([A-Za-z_][A-Za-z0-9_]*)$`)

// authValue is the caller's value of @request.auth.<field> when that field
// holds one plain string (not a relation path, not a list).
func (s *specializer) authValue(identifier string) (string, bool) {
	m := authField.FindStringSubmatch(identifier)
	if m == nil {
		return "", false
	}
	name := m[1]
	switch name {
	case "id":
		return s.auth.Id, true
	case "collectionName":
		return s.auth.Collection().Name, true
	case "collectionId":
		return s.auth.Collection().Id, true
	}
	switch f := s.auth.Collection().Fields.GetByName(name).(type) {
	case *core.TextField, *core.EmailField:
		if f.GetHidden() {
			return "", false
		}
		return s.auth.GetString(name), true
	case *core.SelectField:
		if f.IsMultiple() || f.Hidden {
			return "", false
		}
		return s.auth.GetString(name), true
	case *core.RelationField:
		if f.IsMultiple() || f.Hidden {
			return "", false
		}
		return s.auth.GetString(name), true
	}
	return "", false
}

func (s *specializer) expr(e fexpr.Expr) value {
	if v, ok := s.wide(e); ok {
		return v
	}
	left, lLit := s.operand(e.Left)
	right, rLit := s.operand(e.Right)
	if lLit && rLit && (e.Op == fexpr.SignEq || e.Op == fexpr.SignNeq) {
		a, errA := strconv.Unquote(left)
		b, errB := strconv.Unquote(right)
		if errA == nil && errB == nil { // two strings; numbers are left to SQL
			if (a == b) == (e.Op == fexpr.SignEq) {
				return value{known: isTrue}
			}
			return value{known: isFalse}
		}
	}
	return value{text: left + " " + string(e.Op) + " " + right}
}
