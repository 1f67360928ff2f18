package listrule

import (
	"strconv"
	"strings"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"
)

// maxBranches bounds the branches a rule is split into (Disjuncts).
const maxBranches = 32

// Disjuncts returns col's rule specialized for auth (specialize, wide
// scopes expanded) as a disjunction of conjunctions of comparisons: a
// field worker's people are reception_point = "P" || previous_point = "P",
// a NODESS's are nodess_consent = true && destination_state = "S" for
// each of the node's states, and nodess_consent = true &&
// referred_nodess:each ?= "N". nil when the specialized rule is decided,
// not modelled, not a disjunction, or would have more than maxBranches
// branches. SQLite answers "a || b ORDER BY id LIMIT n" by reading both
// index ranges whole and sorting them (a temp B-tree per page); each branch
// alone, ordered by id, is an index range that stops after n rows.
func Disjuncts(app core.App, col *core.Collection, rule string, auth *core.Record) []string {
	v, ok := specialize(app, col, rule, auth)
	if !ok {
		return nil
	}
	if out := split(v); len(out) > 1 {
		return out
	}
	return nil
}

// split is a specialized rule as Disjuncts' branches (one if it is a
// conjunction), or nil if it is decided or cannot be split.
func split(v value) []string {
	if v.known != unknown {
		return nil
	}
	groups, err := fexpr.Parse(v.text)
	if err != nil {
		return nil
	}
	conjs, ok := dnf(groups)
	if !ok {
		return nil
	}
	out := make([]string, len(conjs))
	for i, c := range conjs {
		out[i] = strings.Join(c, " && ")
	}
	return out
}

// dnf distributes a flat list of groups joined by && and || (&& binds
// tighter) into a disjunction of conjunctions of comparisons, as filter
// text; ok is false past maxBranches or for a token it does not model.
func dnf(groups []fexpr.ExprGroup) (out [][]string, ok bool) {
	var conj [][]string // the current run of && items, distributed
	for i, g := range groups {
		d, ok := dnfItem(g.Item)
		if !ok {
			return nil, false
		}
		if i == 0 || g.Join == fexpr.JoinOr {
			out = append(out, conj...)
			conj = d
		} else {
			var product [][]string
			for _, a := range conj {
				for _, b := range d {
					product = append(product, append(append([]string{}, a...), b...))
				}
			}
			conj = product
		}
		if len(out)+len(conj) > maxBranches {
			return nil, false
		}
	}
	return append(out, conj...), true
}

func dnfItem(item any) ([][]string, bool) {
	switch it := item.(type) {
	case fexpr.Expr:
		l, okL := tokenText(it.Left)
		r, okR := tokenText(it.Right)
		return [][]string{{l + " " + string(it.Op) + " " + r}}, okL && okR
	case fexpr.ExprGroup:
		return dnf([]fexpr.ExprGroup{it})
	case []fexpr.ExprGroup:
		return dnf(it)
	}
	return nil, false
}

// tokenText is a token of specialized filter text written back as text.
func tokenText(t fexpr.Token) (string, bool) {
	switch t.Type {
	case fexpr.TokenText:
		return strconv.Quote(t.Literal), true
	case fexpr.TokenNumber, fexpr.TokenIdentifier:
		return t.Literal, true
	}
	return "", false
}

// branchExpr is one branch of Disjuncts as SQL, built with resolver: the
// branch's comparisons as PocketBase builds them, except that each
// F:each ?= "v" on a multiple relation F of col with a membership table
// (memberTable) becomes a lookup in that table, which SQLite answers from
// its index instead of reading F's JSON on every row (only its records after
// after, when a page starts there).
func branchExpr(app core.App, col *core.Collection, resolver *core.RecordFieldResolver, branch, after string) (dbx.Expression, error) {
	groups, err := fexpr.Parse(branch)
	if err != nil {
		return nil, err
	}
	var rest []string
	var exprs []dbx.Expression
	for i, g := range groups {
		e, ok := g.Item.(fexpr.Expr)
		if !ok || (i > 0 && g.Join != fexpr.JoinAnd) {
			return search.FilterData(branch).BuildExpr(resolver) // not a flat conjunction
		}
		if in := memberLookup(app, col, e, after); in != nil {
			exprs = append(exprs, in)
			continue
		}
		text, _ := dnfItem(e)
		rest = append(rest, text[0][0])
	}
	if len(rest) > 0 {
		expr, err := search.FilterData(strings.Join(rest, " && ")).BuildExpr(resolver)
		if err != nil {
			return nil, err
		}
		exprs = append([]dbx.Expression{expr}, exprs...)
	}
	return dbx.Enclose(dbx.And(exprs...)), nil
}
