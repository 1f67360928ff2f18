package catalog_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// TestCollections_Guard: every collection of the migrated app that devices
// could sync (it has rev) or that points at a person (a relation to
// returnees) is described in the catalog, and every entry names a collection
// and fields that exist. Forgetting a collection's sync, audit, stamp,
// ownership or merge entry used to fail silently.
func TestCollections_Guard(t *testing.T) {
	app := testapp.New(t)
	all, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	returnees, err := app.FindCollectionByNameOrId(catalog.Returnees)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range all {
		if col.System {
			continue
		}
		entry, described := catalog.Lookup(col.Name)
		pointsAtPeople := false
		for _, f := range col.Fields {
			if rel, ok := f.(*core.RelationField); ok && rel.CollectionId == returnees.Id {
				pointsAtPeople = true
			}
		}
		switch {
		case !described && (col.Fields.GetByName("rev") != nil || pointsAtPeople):
			t.Errorf("collection %s is not in catalog.Collections: say how it is synced, audited, stamped, owned and merged", col.Name)
		case described && pointsAtPeople && entry.Merge == catalog.NotAboutPeople:
			t.Errorf("collection %s points at returnees: its catalog entry needs a merge step", col.Name)
		case described && !pointsAtPeople && entry.Merge != catalog.NotAboutPeople:
			t.Errorf("collection %s does not point at returnees, yet has merge step %d", col.Name, entry.Merge)
		}
	}

	for _, entry := range catalog.Collections {
		col, err := app.FindCollectionByNameOrId(entry.Name)
		if err != nil {
			t.Errorf("catalog entry %s: no such collection", entry.Name)
			continue
		}
		has := func(field, what string) {
			if field != "" && col.Fields.GetByName(field) == nil {
				t.Errorf("catalog entry %s: %s names field %q, which %s does not have", entry.Name, what, field, entry.Name)
			}
		}
		has(entry.Stamp, "Stamp")
		if entry.Synced() {
			has("rev", "Sync (a synced collection needs)")
		}
		if entry.DefaultStatus != "" || entry.ReturneeRequest != nil {
			has("status", "DefaultStatus or ReturneeRequest (they need)")
		}
		if entry.ReturneeRequest != nil {
			has("returnee", "ReturneeRequest (a request needs)")
		}
		if entry.RunByNodess() {
			if entry.Node.Via == "" {
				has(entry.Node.Field, "Node.Field")
				continue
			}
			has(entry.Node.Via, "Node.Via")
			rel, ok := col.Fields.GetByName(entry.Node.Via).(*core.RelationField)
			if !ok {
				t.Errorf("catalog entry %s: Node.Via %q is not a relation", entry.Name, entry.Node.Via)
				continue
			}
			parent, err := app.FindCollectionByNameOrId(rel.CollectionId)
			if err != nil || parent.Fields.GetByName(entry.Node.Field) == nil {
				t.Errorf("catalog entry %s: %s's target has no field %q", entry.Name, entry.Node.Via, entry.Node.Field)
			}
		}
	}
}

// TestCollections_SyncConfigFollows: the sync engine's configuration is the
// catalog's synced collections, with their policies and immutability.
func TestCollections_SyncConfigFollows(t *testing.T) {
	byName := map[string]devicesync.Collection{}
	for _, c := range hooks.SyncConfig.Collections {
		byName[c.Name] = c
	}
	for _, entry := range catalog.Collections {
		got, synced := byName[entry.Name]
		if synced != entry.Synced() || (synced && got.Immutable != entry.Immutable) {
			t.Errorf("%s: synced %v immutable %v, catalog says synced %v immutable %v",
				entry.Name, synced, got.Immutable, entry.Synced(), entry.Immutable)
		}
	}
	if len(byName) != len(catalog.Where(catalog.Collection.Synced)) {
		t.Errorf("SyncConfig has %d collections, the catalog syncs %d", len(byName), len(catalog.Where(catalog.Collection.Synced)))
	}
}
