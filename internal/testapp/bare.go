package testapp

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/dbutils"
)

// BarePrefix starts the names of the collections BareCopies makes.
const BarePrefix = "bare_"

// BareCopies creates, for each named base collection, a copy named
// BarePrefix+name with the same fields and indexes, no rules, and its
// relations to the other named collections pointed at their copies, and
// returns the copies by original name. No Retorno hook is bound to a copy
// (hooks are bound by collection name, or skip collections the catalog
// does not list): saving the same records into them with app.Save is the
// write path's bare ceiling (the benchmark's, issue 16 part 3). Name the
// collections parents first.
func BareCopies(app core.App, names ...string) (map[string]*core.Collection, error) {
	copies := map[string]*core.Collection{}
	byID := map[string]string{} // original collection id → copy id
	for _, name := range names {
		src, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return nil, err
		}
		c := core.NewBaseCollection(BarePrefix + name)
		if c.Fields, err = src.Fields.Clone(); err != nil {
			return nil, err
		}
		for _, f := range c.Fields {
			if rel, ok := f.(*core.RelationField); ok && byID[rel.CollectionId] != "" {
				rel.CollectionId = byID[rel.CollectionId]
			}
		}
		for _, raw := range src.Indexes {
			idx := dbutils.ParseIndex(raw)
			idx.IndexName, idx.TableName = BarePrefix+idx.IndexName, c.Name
			c.Indexes = append(c.Indexes, idx.Build())
		}
		if err := app.Save(c); err != nil {
			return nil, fmt.Errorf("bare copy of %s: %w", name, err)
		}
		copies[name], byID[src.Id] = c, c.Id
	}
	return copies, nil
}

// SaveInTransaction saves records with app.Save in one transaction, in
// order: the write path's ceiling, hooked or bare.
func SaveInTransaction(app core.App, records []*core.Record) error {
	return app.RunInTransaction(func(tx core.App) error {
		for _, r := range records {
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		return nil
	})
}
