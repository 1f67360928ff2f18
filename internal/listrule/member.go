package listrule

import (
	"fmt"
	"strings"

	"github.com/ganigeorgiev/fexpr"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/dbutils"
	"github.com/pocketbase/pocketbase/tools/security"
)

// MemberTable is the name of the membership table of a multiple relation
// field of a collection: one row (record, value) for each value of the
// field of each record, kept by SQLite triggers on the collection's table
// (pb_migrations creates it with CreateMemberTable; an insert of a record
// whose list is empty does not run the trigger's body), so that "records whose
// field holds v" is a range of its (value, record) primary key instead of
// reading the field's JSON on every row.
func MemberTable(collection, field string) string {
	return "_" + collection + "_" + field
}

// memberTables caches which membership tables exist, per app.
const memberTablesKey = "listrule.memberTables"

// hasMemberTable reports whether the membership table of col's field
// exists (created by a migration; looked up once per app).
func hasMemberTable(app core.App, col *core.Collection, field string) bool {
	name := MemberTable(col.Name, field)
	known, _ := app.Store().GetOrSet(memberTablesKey+"."+name, func() any {
		var n int
		err := app.DB().Select("COUNT(*)").From("sqlite_master").
			Where(dbx.HashExp{"type": "table", "name": name}).Row(&n)
		return err == nil && n == 1
	}).(bool)
	return known
}

// memberLookup is F:each ?= "v", for a multiple relation F of col with a
// membership table, as a lookup in that table:
// col.id IN (SELECT record FROM _col_F WHERE value = v AND record > after);
// nil for any other comparison.
func memberLookup(app core.App, col *core.Collection, e fexpr.Expr, after string) dbx.Expression {
	if e.Op != fexpr.SignAnyEq || e.Left.Type != fexpr.TokenIdentifier || e.Right.Type != fexpr.TokenText || e.Right.Literal == "" {
		return nil
	}
	field, ok := strings.CutSuffix(e.Left.Literal, ":each")
	if !ok {
		return nil
	}
	rel, ok := col.Fields.GetByName(field).(*core.RelationField)
	if !ok || !rel.IsMultiple() || !hasMemberTable(app, col, field) {
		return nil
	}
	param := "member" + security.PseudorandomString(8)
	// a page's records after after: the lookup lists only those, a range
	// of the table's key, not every member again on every page
	return dbx.NewExp("[["+col.Name+".id]] IN (SELECT [[record]] FROM {{"+MemberTable(col.Name, field)+"}} WHERE [[value]] = {:"+param+"} AND [[record]] > {:"+param+"after})",
		dbx.Params{param: e.Right.Literal, param + "after": after})
}

// CreateMemberTable creates the membership table of collection's multiple
// relation field, fills it from the records as they are and binds the
// triggers that keep it in step with every later write, whatever its path
// (PocketBase, hooks, raw SQL): the field's values are read as PocketBase's
// :each reads them (dbutils.JSONEach: a value that is not a JSON array
// counts as one value).
func CreateMemberTable(app core.App, collection, field string) error {
	t := MemberTable(collection, field)
	each := func(row string) string { return dbutils.JSONEach(row + "." + field) }
	stmts := []string{
		`CREATE TABLE {{` + t + `}} ([[value]] TEXT NOT NULL, [[record]] TEXT NOT NULL, PRIMARY KEY ([[value]], [[record]])) WITHOUT ROWID`,
		`CREATE INDEX {{` + t + `_record}} ON {{` + t + `}} ([[record]])`,
		`INSERT OR IGNORE INTO {{` + t + `}} ([[value]], [[record]]) SELECT [[je.value]], [[c.id]] FROM {{` + collection + `}} c, ` +
			each("c") + ` je WHERE [[je.value]] IS NOT NULL AND [[je.value]] != ''`,
		`CREATE TRIGGER {{` + t + `_insert}} AFTER INSERT ON {{` + collection + `}} ` +
			`WHEN new.` + field + ` IS NOT NULL AND new.` + field + ` NOT IN ('', '[]') BEGIN ` +
			`INSERT OR IGNORE INTO {{` + t + `}} ([[value]], [[record]]) SELECT [[je.value]], new.id FROM ` + each("new") +
			` je WHERE [[je.value]] IS NOT NULL AND [[je.value]] != ''; END`,
		`CREATE TRIGGER {{` + t + `_update}} AFTER UPDATE OF [[id]], [[` + field + `]] ON {{` + collection + `}} ` +
			`WHEN old.id IS NOT new.id OR old.` + field + ` IS NOT new.` + field + ` BEGIN ` +
			`DELETE FROM {{` + t + `}} WHERE [[record]] = old.id; ` +
			`INSERT OR IGNORE INTO {{` + t + `}} ([[value]], [[record]]) SELECT [[je.value]], new.id FROM ` + each("new") +
			` je WHERE [[je.value]] IS NOT NULL AND [[je.value]] != ''; END`,
		`CREATE TRIGGER {{` + t + `_delete}} AFTER DELETE ON {{` + collection + `}} BEGIN ` +
			`DELETE FROM {{` + t + `}} WHERE [[record]] = old.id; END`,
	}
	for _, s := range stmts {
		if _, err := app.NonconcurrentDB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("member table %s: %w", t, err)
		}
	}
	return nil
}

// DropMemberTable drops what CreateMemberTable created.
func DropMemberTable(app core.App, collection, field string) error {
	t := MemberTable(collection, field)
	for _, s := range []string{"DROP TRIGGER IF EXISTS {{" + t + "_insert}}", "DROP TRIGGER IF EXISTS {{" + t + "_update}}",
		"DROP TRIGGER IF EXISTS {{" + t + "_delete}}", "DROP TABLE IF EXISTS {{" + t + "}}"} {
		if _, err := app.NonconcurrentDB().NewQuery(s).Execute(); err != nil {
			return fmt.Errorf("member table %s: %w", t, err)
		}
	}
	return nil
}
