package exports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/fieldaccess"
	"github.com/retorno-mx/retorno/internal/listrule"
)

// table is how an export turns a collection's records into rows.
type table struct {
	app    core.App
	info   *core.RequestInfo
	col    *core.Collection
	fields []core.Field
}

// Unexported fields are never exported, whoever asks (with hidden fields).
var Unexported = []string{core.FieldNamePassword, core.FieldNameTokenKey, "emailVisibility", "verified", "claim_hash", "rev"}

func newTable(app core.App, info *core.RequestInfo, col *core.Collection) *table {
	t := &table{app: app, info: info, col: col}
	for _, f := range fieldaccess.Columns(info.Auth, col) {
		if f.GetHidden() || slices.Contains(Unexported, f.GetName()) {
			continue
		}
		t.fields = append(t.fields, f)
	}
	return t
}

// names are the exported fields' names.
func (t *table) names() []string {
	out := make([]string, len(t.fields))
	for i, f := range t.fields {
		out[i] = f.GetName()
	}
	return out
}

// header is the exported fields' Spanish labels.
func (t *table) header() []string {
	out := make([]string, len(t.fields))
	for i, f := range t.fields {
		out[i] = catalog.FieldLabels.Label(f.GetName())
	}
	return out
}

// rows formats a page of records; relations show the names of the related
// records the caller may list.
func (t *table) rows(page []*core.Record) ([][]string, error) {
	names := map[string]map[string]string{} // relation field -> id -> name
	for _, f := range t.fields {
		rel, ok := f.(*core.RelationField)
		if !ok {
			continue
		}
		var ids []string
		for _, r := range page {
			ids = append(ids, r.GetStringSlice(rel.Name)...)
		}
		found, err := t.namesOf(rel.CollectionId, ids)
		if err != nil {
			return nil, err
		}
		names[rel.Name] = found
	}
	out := make([][]string, len(page))
	for i, r := range page {
		fieldaccess.Hide(t.info.Auth, r) // what the caller's REST list would show
		row := make([]string, len(t.fields))
		for j, f := range t.fields {
			if fieldaccess.Readable(t.info.Auth, r, f.GetName()) {
				row[j] = t.cell(r, f, names[f.GetName()])
			}
		}
		out[i] = row
	}
	return out, nil
}

func (t *table) cell(r *core.Record, f core.Field, names map[string]string) string {
	name := f.GetName()
	switch f := f.(type) {
	case *core.BoolField:
		return yesNo(r.GetBool(name))
	case *core.SelectField:
		values := r.GetStringSlice(name)
		if e, ok := catalog.EnumOf(f.Values); ok {
			for i, v := range values {
				values[i] = e.Label(v)
			}
		}
		return joinCells(values)
	case *core.RelationField:
		var cells []string
		for _, id := range r.GetStringSlice(name) {
			cells = append(cells, names[id])
		}
		return joinCells(cells)
	case *core.DateField, *core.AutodateField:
		if d := r.GetDateTime(name); !d.IsZero() {
			return d.Time().UTC().Format("2006-01-02 15:04")
		}
		return ""
	case *core.JSONField:
		return string(r.GetString(name))
	}
	return r.GetString(name)
}

// namesOf returns the display names of the records ids of a collection that
// the caller may list.
func (t *table) namesOf(collectionID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	col, err := t.app.FindCachedCollectionByNameOrId(collectionID)
	if err != nil {
		return nil, err
	}
	in := make([]any, 0, len(ids))
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		in = append(in, id)
	}
	q := t.app.RecordQuery(col).AndWhere(dbx.In(col.Name+".id", in...))
	if err := listrule.Apply(t.app, t.info, col, q); err != nil {
		return nil, err
	}
	var found []*core.Record
	if err := q.All(&found); err != nil {
		return nil, fmt.Errorf("export: names of %s: %w", col.Name, err)
	}
	for _, r := range found {
		out[r.Id] = displayName(r)
	}
	return out, nil
}

// displayName is how a person reads a record: a person's full name, a
// course's title, anything's name, else its id.
func displayName(r *core.Record) string {
	if r.Collection().Name == catalog.Returnees {
		parts := []string{r.GetString("given_names"), r.GetString("first_surname"), r.GetString("second_surname")}
		return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
	}
	for _, f := range []string{"name", "title", "email"} {
		if v := r.GetString(f); v != "" {
			return v
		}
	}
	return r.Id
}
