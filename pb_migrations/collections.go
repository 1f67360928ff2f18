package pb_migrations

import (
	"path/filepath"
	"runtime"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// synced adds fields to c, then what every synced collection carries
// (addSyncFields), and returns c.
func synced(c *core.Collection, fields ...core.Field) *core.Collection {
	c.Fields.Add(fields...)
	addSyncFields(c)
	return c
}

// aboutPerson returns a new synced collection of records about one person:
// a required relation returnee (a person's deletion takes their records),
// then fields, then the stamp, a relation to the staff member who wrote
// the record (hooks/stamps.go sets it).
func aboutPerson(app core.App, name, id, stamp string, fields ...core.Field) (*core.Collection, error) {
	found, err := findCollections(app, catalog.Returnees, catalog.Staff)
	if err != nil {
		return nil, err
	}
	all := append([]core.Field{&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: found[0].Id, CascadeDelete: true}},
		fields...)
	return synced(core.NewBaseCollection(name, id), append(all, relation(stamp, false, found[1]))...), nil
}

// findCollections finds the named collections, in the order named.
func findCollections(app core.App, names ...string) ([]*core.Collection, error) {
	out := make([]*core.Collection, len(names))
	for i, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// saveAll saves the collections, in order (a relation's target first).
func saveAll(app core.App, collections ...*core.Collection) error {
	for _, c := range collections {
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}

// changeCollection finds the named collection, lets change alter it and
// saves it.
func changeCollection(app core.App, name string, change func(c *core.Collection)) error {
	c, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		return err
	}
	change(c)
	return app.Save(c)
}

// createSettings creates the collection name (with id) of one record of
// settings, which only superusers read and change (nil rules), with fields
// and created/updated, and its record with values.
func createSettings(app core.App, name, id string, values map[string]any, fields ...core.Field) error {
	c := core.NewBaseCollection(name, id)
	c.Fields.Add(fields...)
	c.Fields.Add(
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	if err := app.Save(c); err != nil {
		return err
	}
	record := core.NewRecord(c)
	for k, v := range values {
		record.Set(k, v)
	}
	return app.Save(record)
}

// settingsMigration registers, for the migration file that calls it, the
// migration that creates a settings collection of one record
// (createSettings), and whose down deletes it.
func settingsMigration(name, id string, values map[string]any, fields ...core.Field) {
	m.Register(func(app core.App) error {
		return createSettings(app, name, id, values, fields...)
	}, func(app core.App) error {
		return deleteCollections(app, name)
	}, callerFile())
}

// fieldsMigration registers, for the migration file that calls it, the
// migration that adds fields to the collection name, and whose down removes
// them.
func fieldsMigration(name string, fields ...core.Field) {
	m.Register(func(app core.App) error {
		return changeCollection(app, name, func(c *core.Collection) { c.Fields.Add(fields...) })
	}, func(app core.App) error {
		return changeCollection(app, name, func(c *core.Collection) {
			for _, f := range fields {
				c.Fields.RemoveByName(f.GetName())
			}
		})
	}, callerFile())
}

// callerFile is the name of the migration file that called the helper that
// calls it: m.Register names a migration after its direct caller, which for
// a helper of this file would be this file, and the runner knows a
// migration by that name alone.
func callerFile() string {
	_, path, _, _ := runtime.Caller(2)
	return filepath.Base(path)
}

// deleteCollections deletes the named collections, in order, if they exist.
func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}

// index is an index of a collection, as core.Collection.AddIndex takes it.
type index struct {
	name    string
	unique  bool
	columns string
	where   string
}

// replaceIndexes returns the up and down of a migration that replaces the
// indexes drop of the named collection with add; down puts drop back. Pass
// them to m.Register in the migration's own file (it names the migration
// after the file that calls it).
func replaceIndexes(collection string, drop, add []index) (up, down func(core.App) error) {
	swap := func(drop, add []index) func(core.App) error {
		return func(app core.App) error {
			return changeCollection(app, collection, func(c *core.Collection) {
				for _, ix := range drop {
					c.RemoveIndex(ix.name)
				}
				for _, ix := range add {
					c.AddIndex(ix.name, ix.unique, ix.columns, ix.where)
				}
			})
		}
	}
	return swap(drop, add), swap(add, drop)
}

// addChoice adds value to the choices of a select field of c, once.
func addChoice(c *core.Collection, field, value string) {
	if f, ok := c.Fields.GetByName(field).(*core.SelectField); ok && !slices.Contains(f.Values, value) {
		f.Values = append(f.Values, value)
	}
}

// auditAction is the up and down of a migration that adds action to the
// actions of audit_log: m.Register(auditAction("export")).
func auditAction(action string) (up, down func(app core.App) error) {
	return func(app core.App) error {
			return changeCollection(app, "audit_log", func(c *core.Collection) { addChoice(c, "action", action) })
		}, func(app core.App) error {
			return changeCollection(app, "audit_log", func(c *core.Collection) { removeChoice(c, "action", action) })
		}
}

// removeChoice takes value out of the choices of a select field of c.
func removeChoice(c *core.Collection, field, value string) {
	if f, ok := c.Fields.GetByName(field).(*core.SelectField); ok {
		f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return v == value })
	}
}
