// Package listrule turns a collection's list rule into a SQL condition for
// one caller, so that Go code can count, join and aggregate over exactly the
// records that caller could list through the REST API.
package listrule

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/retorno-mx/retorno/fieldaccess"
)

// Visible returns a condition on column (a record id column of the outer
// query, such as "c.id") that holds for the records of col that info's auth
// may list: everything for superusers and for an empty rule, nothing for a
// superusers-only (nil) rule, and otherwise
//
//	column IN (SELECT col.id FROM col <rule joins> WHERE <list rule>)
//
// built as the REST list API builds it (core.NewRecordFieldResolver,
// search.FilterData.BuildExpr, resolver.UpdateQuery). The subquery names the
// collection's table without an alias, so the outer query must give its own
// use of that table another name. The subquery's parameters come from the
// filter builder, which names them at random, so they do not clash with the
// outer query's.
func Visible(app core.App, info *core.RequestInfo, col *core.Collection, column string) (dbx.Expression, error) {
	switch {
	case info.HasSuperuserAuth():
		return dbx.NewExp("1=1"), nil
	case col.ListRule == nil:
		return dbx.NewExp("1=0"), nil
	case *col.ListRule == "":
		return dbx.NewExp("1=1"), nil
	}
	inner := app.ConcurrentDB().Select("{{" + col.Name + "}}.[[id]]").From(col.Name)
	if err := Apply(app, info, col, inner); err != nil {
		return nil, err
	}
	built := inner.Build()
	return dbx.NewExp(column+" IN ("+built.SQL()+")", built.Params()), nil
}

// Apply narrows query, a query of col's records (app.RecordQuery(col) or a
// select from its table), to those info's auth may list, with col's list rule
// as SQL, joins included, as the REST list API applies it, first specialized
// for the caller (specialize.go) so that SQLite can use its indexes.
func Apply(app core.App, info *core.RequestInfo, col *core.Collection, query *dbx.SelectQuery) error {
	return ApplyRule(app, info, col, col.ListRule, query)
}

// ApplyRule is Apply with another of col's rules (view, update, delete):
// nil lets only superusers through, "" everyone.
func ApplyRule(app core.App, info *core.RequestInfo, col *core.Collection, accessRule *string, query *dbx.SelectQuery) error {
	return applyWith(app, info, col, accessRule, "", query)
}

// ApplyWithFilter is Apply and then a caller's filter, as the REST list API
// applies a list request's filter: hidden fields only for superusers, and
// relations only through records the caller may see. Rule and filter share
// one resolver (two would join the same tables twice under one name).
func ApplyWithFilter(app core.App, info *core.RequestInfo, col *core.Collection, filter string, query *dbx.SelectQuery) error {
	if err := checkFilter(app, info, col, filter); err != nil {
		return err
	}
	return applyWith(app, info, col, col.ListRule, filter, query)
}

// checkFilter checks a caller's filter alone, as the list API resolves it
// for them: hidden fields only for superusers, and no field withheld from
// the caller's role (fieldaccess.CheckFilter, which the REST list applies
// too). (Applied with the list rule, it shares the rule's resolver, which
// may read hidden fields.)
func checkFilter(app core.App, info *core.RequestInfo, col *core.Collection, filter string) error {
	if filter == "" || info.HasSuperuserAuth() {
		return nil
	}
	if err := fieldaccess.CheckFilter(app, info.Auth, col, filter); err != nil {
		return fmt.Errorf("%s filter: %w", col.Name, err)
	}
	if _, err := search.FilterData(filter).BuildExpr(core.NewRecordFieldResolver(app, col, info, false)); err != nil {
		return fmt.Errorf("%s filter: %w", col.Name, err)
	}
	return nil
}

// applyWith narrows query by accessRule, specialized for the caller, and
// filter (filter text already checked, or "").
func applyWith(app core.App, info *core.RequestInfo, col *core.Collection, accessRule *string, filter string, query *dbx.SelectQuery) error {
	var rules []string
	switch {
	case info.HasSuperuserAuth(), accessRule != nil && *accessRule == "":
	case accessRule == nil:
		query.AndWhere(dbx.NewExp("1=0"))
		return nil
	default:
		rule := *accessRule
		if v, ok := specialize(app, col, rule, info.Auth); ok {
			switch v.known {
			case isFalse:
				query.AndWhere(dbx.NewExp("1=0"))
				return nil
			case isTrue:
				rule = ""
			default:
				if branches := split(v); branches != nil {
					return applyBranches(app, info, col, query, filter, "", branches...)
				}
				rule = v.text
			}
		}
		if rule != "" {
			rules = append(rules, rule)
		}
	}
	if filter != "" {
		rules = append(rules, filter)
	}
	if len(rules) == 0 {
		return nil
	}
	return applyRule(app, info, col, query, rules...)
}

// applyBranches narrows query by the disjunction of branches (Disjuncts,
// each built by branchExpr, after the id a page starts after or "") and
// filter (text already checked, or ""), with one resolver, as applyRule
// does.
func applyBranches(app core.App, info *core.RequestInfo, col *core.Collection, query *dbx.SelectQuery, filter, after string, branches ...string) error {
	return narrow(app, info, col, query, func(resolver *core.RecordFieldResolver) ([]dbx.Expression, error) {
		ors := make([]dbx.Expression, 0, len(branches))
		for _, b := range branches {
			expr, err := branchExpr(app, col, resolver, b, after)
			if err != nil {
				return nil, err
			}
			ors = append(ors, expr)
		}
		exprs := []dbx.Expression{dbx.Or(ors...)}
		if filter != "" {
			expr, err := search.FilterData(filter).BuildExpr(resolver)
			if err != nil {
				return nil, err
			}
			exprs = append(exprs, expr)
		}
		return exprs, nil
	})
}

// ApplyFilter narrows query, a query of col's records, by rule (filter text
// such as a branch of Disjuncts) for info's auth, as the REST list API does.
func ApplyFilter(app core.App, info *core.RequestInfo, col *core.Collection, rule string, query *dbx.SelectQuery) error {
	return applyRule(app, info, col, query, rule)
}

// applyRule narrows query by rules, with one resolver, as the REST list API
// does.
func applyRule(app core.App, info *core.RequestInfo, col *core.Collection, query *dbx.SelectQuery, rules ...string) error {
	return narrow(app, info, col, query, func(resolver *core.RecordFieldResolver) ([]dbx.Expression, error) {
		exprs := make([]dbx.Expression, 0, len(rules))
		for _, rule := range rules {
			expr, err := search.FilterData(rule).BuildExpr(resolver)
			if err != nil {
				return nil, err
			}
			exprs = append(exprs, expr)
		}
		return exprs, nil
	})
}

// narrow adds the conditions that build makes with a resolver of col for
// info's auth to query, then the resolver's joins, as the REST list API does.
func narrow(app core.App, info *core.RequestInfo, col *core.Collection, query *dbx.SelectQuery, build func(*core.RecordFieldResolver) ([]dbx.Expression, error)) error {
	resolver := core.NewRecordFieldResolver(app, col, info, true)
	exprs, err := build(resolver)
	if err != nil {
		return fmt.Errorf("%s rule: %w", col.Name, err)
	}
	for _, e := range exprs {
		query.AndWhere(e)
	}
	if err := resolver.UpdateQuery(query); err != nil {
		return fmt.Errorf("%s rule: %w", col.Name, err)
	}
	query.Distinct(true)
	return nil
}

// Find returns col's record id when info's auth passes accessRule for it
// (one of col's rules, applied as PocketBase's record API applies it, first
// specialized for the caller), and nil when there is no such record or the
// rule refuses it: one answer for both, so that a caller learns nothing of a
// record they may not see. It costs one query either way.
func Find(app core.App, info *core.RequestInfo, col *core.Collection, accessRule *string, id string) (*core.Record, error) {
	query := app.RecordQuery(col).AndWhere(dbx.HashExp{col.Name + ".id": id})
	if err := ApplyRule(app, info, col, accessRule, query); err != nil {
		return nil, err
	}
	record := &core.Record{}
	err := query.Limit(1).One(record)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return record, nil
}

// VisibleByName is Visible for the collection named name.
func VisibleByName(app core.App, info *core.RequestInfo, name, column string) (dbx.Expression, error) {
	col, err := app.FindCachedCollectionByNameOrId(name)
	if err != nil {
		return nil, fmt.Errorf("collection %s: %w", name, err)
	}
	return Visible(app, info, col, column)
}
