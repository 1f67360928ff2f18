package testapp

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Save writes a new record of collection with fields as a system write (no
// actor: every hook runs, as for the fixtures) and returns it; an error
// fails tb.
func Save(tb testing.TB, app core.App, collection string, fields map[string]any) *core.Record {
	tb.Helper()
	r, err := insert(app, collection, fields)
	if err != nil {
		tb.Fatalf("save %s %v: %v", collection, fields["id"], err)
	}
	return r
}

// Find returns the record id of collection; an error fails tb.
func Find(tb testing.TB, app core.App, collection, id string) *core.Record {
	tb.Helper()
	r, err := app.FindRecordById(collection, id)
	if err != nil {
		tb.Fatalf("find %s/%s: %v", collection, id, err)
	}
	return r
}

// Update sets fields on the record id of collection and saves it as a
// system write (every hook runs) and returns it; a missing record or a
// refused save fails tb.
func Update(tb testing.TB, app core.App, collection, id string, fields map[string]any) *core.Record {
	tb.Helper()
	r := Find(tb, app, collection, id)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := app.Save(r); err != nil {
		tb.Fatalf("update %s/%s: %v", collection, id, err)
	}
	return r
}

// insert is Save without a tb: it returns the record, saved or refused, and
// the error.
func insert(app core.App, collection string, fields map[string]any) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	for k, v := range fields {
		r.Set(k, v)
	}
	return r, app.Save(r)
}

// The superuser is not a fixture of the template (some tests count or
// create superusers): AddSuperuser adds it to a clone, with a fixed id and
// token key so that one token is valid in every clone.
const (
	Superuser         = "superuserroot01"
	superuserEmail    = "root@retorno.test"
	superuserTokenKey = "retorno-test-superuser-token-key-000000000000000000"
)

// AddSuperuser adds the superuser Superuser to app and returns it. It has no
// password: the tests never sign in with one, and hashing it in every clone
// would cost more than the request under test.
func AddSuperuser(tb testing.TB, app core.App) *core.Record {
	tb.Helper()
	col, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		tb.Fatal(err)
	}
	su := core.NewRecord(col)
	su.Id = Superuser
	su.SetEmail(superuserEmail)
	su.SetTokenKey(superuserTokenKey)
	if err := app.SaveNoValidate(su); err != nil {
		tb.Fatal(err)
	}
	return su
}

// Count counts the rows of table where where holds; a failed query fails tb.
func Count(tb testing.TB, app core.App, table string, where dbx.Expression) int {
	tb.Helper()
	var n int
	if err := app.DB().Select("count(*)").From(table).Where(where).Row(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
