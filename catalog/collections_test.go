package catalog_test

import (
	"strings"
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

	checkRights(t, app, all, returnees)

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

// checkRights: every collection that points at a person, or at records kept
// about a person after an erasure (a ledger entry's membership), says how the
// rights of the person reach it (catalog.Rights): each of its relations to
// returnees is a path of About, each path leads to returnees, and a kept
// record has no file that would outlive the erasure. Forgetting it would
// leave the collection out of the person's export and their erasure.
func checkRights(t *testing.T, app core.App, all []*core.Collection, returnees *core.Collection) {
	t.Helper()
	kept := map[string]bool{returnees.Id: true}
	for _, entry := range catalog.Collections {
		if entry.Rights.Erase == catalog.EraseEnd || entry.Rights.Erase == catalog.EraseKeep {
			if col, err := app.FindCollectionByNameOrId(entry.Name); err == nil {
				kept[col.Id] = true
			}
		}
	}
	for _, col := range all {
		if col.System {
			continue
		}
		entry, _ := catalog.Lookup(col.Name)
		rights := entry.Rights
		firsts := map[string]bool{}
		for _, path := range rights.About {
			firsts[strings.Split(path, ".")[0]] = true
			if !leadsTo(app, col, path, returnees) {
				t.Errorf("catalog entry %s: Rights.About path %q does not lead to returnees", col.Name, path)
			}
		}
		for _, f := range col.Fields {
			rel, ok := f.(*core.RelationField)
			if !ok || !kept[rel.CollectionId] || col.Id == returnees.Id {
				continue
			}
			if rel.CollectionId == returnees.Id && !firsts[rel.Name] {
				t.Errorf("collection %s: its relation %s points at returnees, yet catalog Rights.About has no path through it: "+
					"say whether the person's export holds its records and what their erasure does", col.Name, rel.Name)
			}
			if rel.CollectionId != returnees.Id && len(rights.About) == 0 {
				t.Errorf("collection %s: its relation %s points at records an erasure keeps about a person, yet it has no catalog Rights",
					col.Name, rel.Name)
			}
		}
		if len(rights.About) > 0 && rights.Erase == catalog.NotPersonal {
			t.Errorf("catalog entry %s: Rights.About is set, Rights.Erase is not", col.Name)
		}
		if rights.Erase == catalog.EraseKeep || rights.Erase == catalog.EraseDerived {
			for _, f := range col.Fields {
				if f.Type() == core.FieldTypeFile {
					t.Errorf("catalog entry %s: an erasure keeps its records, and their file field %s would outlive it", col.Name, f.GetName())
				}
			}
		}
	}
}

// leadsTo reports whether path, relations from col ending in "id" or in a
// relation, reaches target.
func leadsTo(app core.App, col *core.Collection, path string, target *core.Collection) bool {
	if path == "id" {
		return col.Id == target.Id
	}
	at := col
	for _, seg := range strings.Split(path, ".") {
		rel, ok := at.Fields.GetByName(seg).(*core.RelationField)
		if !ok {
			return false
		}
		next, err := app.FindCollectionByNameOrId(rel.CollectionId)
		if err != nil {
			return false
		}
		at = next
	}
	return at.Id == target.Id
}
