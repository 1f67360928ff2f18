package privacy

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// aboutPerson is the condition on the records of col that are about the
// person: any of its catalog Rights.About paths leads to them. A path is
// relations from col ("member.returnee"); "id" on returnees.
func aboutPerson(app core.App, col *core.Collection, about []string, person string) (dbx.Expression, error) {
	var paths []dbx.Expression
	for _, path := range about {
		if path == core.FieldNameId {
			paths = append(paths, dbx.HashExp{col.Name + ".id": person})
			continue
		}
		expr, err := pathTo(app, col, strings.Split(path, "."), "{:person}")
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", col.Name, path, err)
		}
		paths = append(paths, dbx.NewExp(expr, dbx.Params{"person": person}))
	}
	return dbx.Or(paths...), nil
}

// pathTo is SQL saying that the relations path of col's records lead to the
// record whose id is the SQL expression target ("{:person}", a column); a
// relation with many values holds it among them.
func pathTo(app core.App, col *core.Collection, path []string, target string) (string, error) {
	rel, ok := col.Fields.GetByName(path[0]).(*core.RelationField)
	if !ok {
		return "", fmt.Errorf("%s is not a relation", path[0])
	}
	column := fmt.Sprintf("[[%s.%s]]", col.Name, rel.Name)
	if len(path) == 1 {
		if rel.IsMultiple() {
			return fmt.Sprintf("EXISTS (SELECT 1 FROM json_each(%s) WHERE json_each.value = %s)", column, target), nil
		}
		return column + " = " + target, nil
	}
	next, err := app.FindCachedCollectionByNameOrId(rel.CollectionId)
	if err != nil {
		return "", err
	}
	inner, err := pathTo(app, next, path[1:], target)
	if err != nil {
		return "", err
	}
	if rel.IsMultiple() {
		return "", fmt.Errorf("%s: a path may not go through a relation with many values", rel.Name)
	}
	return fmt.Sprintf("%s IN (SELECT [[%s.id]] FROM {{%s}} WHERE %s)", column, next.Name, next.Name, inner), nil
}

// personRecords loads, for each catalog collection whose Rights say keep
// is true, the records about the person, by collection name.
func personRecords(app core.App, person string, keep func(catalog.Rights) bool) (map[string][]*core.Record, error) {
	out := map[string][]*core.Record{}
	for _, entry := range catalog.Collections {
		if len(entry.Rights.About) == 0 || !keep(entry.Rights) {
			continue
		}
		col, err := app.FindCachedCollectionByNameOrId(entry.Name)
		if err != nil {
			return nil, err
		}
		where, err := aboutPerson(app, col, entry.Rights.About, person)
		if err != nil {
			return nil, err
		}
		var records []*core.Record
		if err := app.RecordQuery(col).AndWhere(where).OrderBy(col.Name + ".id").All(&records); err != nil {
			return nil, fmt.Errorf("%s: %w", entry.Name, err)
		}
		if len(records) > 0 {
			out[entry.Name] = records
		}
	}
	return out, nil
}
