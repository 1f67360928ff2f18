// Package fieldaccess gives each role only the fields of a record it needs,
// on every path a record is read by, and leaves a trace of staff reads of
// people.
//
// What a role does not receive is catalog.Withheld, one table; this package
// applies it:
//
//   - in PocketBase's record enrich hook (Hide), through which every record
//     the REST API answers passes (list, view, expand, the answers of
//     creates and updates, and so of the sync push and the batch API), every
//     realtime event, and every record of the sync pull (devicesync reads
//     them through apis.EnrichRecords), so that no path is a copy;
//   - to what a caller may filter, sort and expand by (CheckFilter,
//     CheckSort, CheckPath): a field withheld from a role in any way is, for
//     that role, as a field that does not exist. A filter on it answers what
//     PocketBase answers for an unknown field (400 on the REST list, a
//     subscription that never fires on realtime, invalid_filter on exports),
//     so that `?filter=curp='…'` cannot probe the value;
//   - to exports (package exports calls Hide and Readable).
//
// PocketBase's own Hidden fields are hidden from every caller but
// superusers, and unfilterable for them all; a coordinator searches people
// by CURP, which a NODESS may not even filter by, so the fields withheld here
// are hidden per request instead.
//
// Staff and superuser reads of people are audited (views.go): one audit_log
// entry, action "view", per person read, written in batches by a goroutine.
package fieldaccess

import (
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/search"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

// ErrWithheld refuses a filter, sort or expand by a field withheld from the
// caller. Clients never see it: they get the answer of an unknown field.
var ErrWithheld = errors.New("fieldaccess: a field withheld from the caller")

// Of returns what auth does not receive of the records of collection.
func Of(auth *core.Record, collection string) catalog.Withholding {
	return catalog.Withheld(records.Role(auth), collection)
}

// Hide takes out of record, for a response to auth, what auth does not
// receive: withheld fields are hidden (record.Hide), fields shown only with a
// consent are hidden when the record lacks it, and withheld values are taken
// out of their fields. The record is meant for the response only: it must
// not be saved afterwards.
func Hide(auth, record *core.Record) {
	w := Of(auth, record.Collection().Name)
	if w.Empty() {
		return
	}
	if w.Consent != "" && !record.GetBool(w.Consent) {
		record.Hide(w.Consented...)
	}
	record.Hide(w.Fields...)
	for field, values := range w.Values {
		have := record.GetStringSlice(field)
		kept := slices.DeleteFunc(slices.Clone(have), func(v string) bool { return slices.Contains(values, v) })
		if len(kept) != len(have) {
			record.Set(field, kept)
		}
	}
}

// Readable reports whether auth receives field of record (whose withheld
// values Hide takes out).
func Readable(auth, record *core.Record, field string) bool {
	w := Of(auth, record.Collection().Name)
	if slices.Contains(w.Fields, field) {
		return false
	}
	return !slices.Contains(w.Consented, field) || record.GetBool(w.Consent)
}

// Columns are the fields of col that auth receives of some records: col's
// fields less those always withheld from auth.
func Columns(auth *core.Record, col *core.Collection) []core.Field {
	w := Of(auth, col.Name)
	return slices.DeleteFunc(slices.Clone([]core.Field(col.Fields)), func(f core.Field) bool { return slices.Contains(w.Fields, f.GetName()) })
}

// via is a back relation in a path: <collection>_via_<relation field>.
var via = regexp.MustCompile(`^(\w+)_via_(\w+)$`)

// CheckPath returns ErrWithheld if path, a field as filters, sorts and
// expands name it on col ("curp", "returnee.birth_state.name",
// "@collection.returnees.curp", "returnees_via_birth_state.id", with
// modifiers such as ":each"), passes through a field withheld from auth in
// any way. Anything it does not know as a field (request data, @random, a
// typo) it leaves to PocketBase.
func CheckPath(app core.App, auth *core.Record, col *core.Collection, path string) error {
	props := strings.Split(path, ".")
	switch {
	case props[0] == "@collection" && len(props) > 2:
		name, _, _ := strings.Cut(props[1], ":") // @collection.returnees:alias.curp
		c, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			return nil
		}
		col, props = c, props[2:]
	case strings.HasPrefix(props[0], "@"):
		return nil // @request.*, @random, @rowid, @now...
	}
	for _, prop := range props {
		name, _, _ := strings.Cut(prop, ":")
		if Of(auth, col.Name).Withholds(name) {
			return ErrWithheld
		}
		next := ""
		switch f := col.Fields.GetByName(name).(type) {
		case *core.RelationField:
			next = f.CollectionId
		case nil:
			m := via.FindStringSubmatch(name)
			if m == nil {
				return nil
			}
			if Of(auth, m[1]).Withholds(m[2]) {
				return ErrWithheld // states.returnees_via_birth_state: a person's birth state
			}
			next = m[1]
		default:
			return nil // a plain or JSON field ends the path
		}
		c, err := app.FindCachedCollectionByNameOrId(next)
		if err != nil {
			return nil
		}
		col = c
	}
	return nil
}

// CheckFilter returns ErrWithheld if filter (PocketBase's filter syntax)
// names a field path that CheckPath refuses. A filter PocketBase cannot
// parse is left for PocketBase to refuse.
func CheckFilter(app core.App, auth *core.Record, col *core.Collection, filter string) error {
	if filter == "" || auth == nil || auth.IsSuperuser() {
		return nil
	}
	r := &pathResolver{check: func(path string) error { return CheckPath(app, auth, col, path) }}
	search.FilterData(filter).BuildExpr(r) // only the identifiers matter
	return r.err
}

// CheckSort is CheckFilter for a sort ("-repatriation_date,first_surname").
func CheckSort(app core.App, auth *core.Record, col *core.Collection, sort string) error {
	if sort == "" || auth == nil || auth.IsSuperuser() {
		return nil
	}
	for _, f := range search.ParseSortFromString(sort) {
		if err := CheckPath(app, auth, col, f.Name); err != nil {
			return err
		}
	}
	return nil
}

// CleanExpand returns expand (comma-separated relation paths) less the
// paths that CheckPath refuses: PocketBase leaves a relation it cannot
// expand out of the answer, and so is a withheld one.
func CleanExpand(app core.App, auth *core.Record, col *core.Collection, expand string) string {
	if expand == "" || auth == nil || auth.IsSuperuser() {
		return expand
	}
	paths := strings.Split(expand, ",")
	kept := slices.DeleteFunc(slices.Clone(paths), func(p string) bool {
		return CheckPath(app, auth, col, strings.TrimSpace(p)) != nil
	})
	if len(kept) == len(paths) {
		return expand
	}
	return strings.Join(kept, ",")
}

// pathResolver is a search.FieldResolver that only checks each field path
// of a filter: the expression it builds is thrown away.
type pathResolver struct {
	check func(path string) error
	err   error
}

func (r *pathResolver) UpdateQuery(*dbx.SelectQuery) error { return nil }

func (r *pathResolver) Resolve(field string) (*search.ResolverResult, error) {
	if err := r.check(field); err != nil && r.err == nil {
		r.err = err
	}
	return &search.ResolverResult{Identifier: "NULL"}, nil
}
