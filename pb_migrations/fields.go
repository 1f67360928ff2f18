// Package pb_migrations holds Retorno's schema and reference data as Go
// migrations, applied in file-name order by PocketBase on start-up.
package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Calendar dates (a birth date, a course's first day) are not instants, so
// they are stored as ISO "YYYY-MM-DD" text rather than PocketBase datetimes,
// which would shift them across time zones; hooks check that they exist.
const datePattern = `^\d{4}-\d{2}-\d{2}$`

// Role expressions shared by the API rules. Rules on staff fields always
// test the auth collection first, so a returnee account never matches them.
const (
	isStaff       = `@request.auth.collectionName = "staff"`
	isFieldWorker = `(` + isStaff + ` && @request.auth.role = "field_worker")`
	isNodessStaff = `(` + isStaff + ` && @request.auth.role = "nodess_staff")`
	isCoordinator = `(` + isStaff + ` && @request.auth.role = "coordinator")`
	isReturnee    = `@request.auth.collectionName = "returnee_accounts"`
)

func text(name string, required bool, max int) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: max}
}

func pattern(name string, required bool, max int, re string) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: max, Pattern: re}
}

func date(name string, required bool) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: 10, Pattern: datePattern}
}

// integer is a whole-number field from min to max; help, if given, is the
// dashboard's help text.
func integer(name string, required bool, min, max float64, help ...string) *core.NumberField {
	f := &core.NumberField{Name: name, Required: required, OnlyInt: true, Min: types.Pointer(min), Max: types.Pointer(max)}
	if len(help) > 0 {
		f.Help = help[0]
	}
	return f
}

// rule is an API rule as a collection holds it (a nil rule is "superusers
// only", an empty one "everyone").
func rule(expr string) *string { return &expr }

func choice(name string, required bool, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, Required: required, MaxSelect: 1, Values: values}
}

func choices(name string, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, MaxSelect: len(values), Values: values}
}

func relation(name string, required bool, target *core.Collection) *core.RelationField {
	return &core.RelationField{Name: name, Required: required, MaxSelect: 1, CollectionId: target.Id}
}

// personOf is the relation of a record about one person: required, and
// deleted with the person.
func personOf(people *core.Collection) *core.RelationField {
	return &core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true}
}

func relations(name string, target *core.Collection, max int) *core.RelationField {
	return &core.RelationField{Name: name, MaxSelect: max, CollectionId: target.Id}
}

// addSyncFields adds what every synced collection carries: rev, maintained
// by the server on every write, and the created/updated timestamps.
func addSyncFields(c *core.Collection) {
	c.Fields.Add(
		&core.NumberField{Name: "rev", OnlyInt: true, Min: types.Pointer(0.0),
			Help: "Revision, +1 on every write; set by the server."},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
}

// publicRead lets everyone, signed in or not, list and view the
// collections; writes are for superusers only (nil rules).
func publicRead(collections ...*core.Collection) {
	for _, c := range collections {
		c.ListRule = types.Pointer("")
		c.ViewRule = types.Pointer("")
		c.CreateRule, c.UpdateRule, c.DeleteRule = nil, nil, nil
	}
}

// readWrite sets c's list and view rules to read, its update rule to update
// and its create rule to create; deletes stay with superusers unless set
// afterwards.
func readWrite(c *core.Collection, read, create, update string) {
	c.ListRule = types.Pointer(read)
	c.ViewRule = types.Pointer(read)
	c.CreateRule = types.Pointer(create)
	c.UpdateRule = types.Pointer(update)
	c.DeleteRule = nil
}

// readUpdate sets c's list, view and update rules to rule; creates and
// deletes stay with superusers (nil rules).
func readUpdate(c *core.Collection, rule string) {
	c.ListRule = types.Pointer(rule)
	c.ViewRule = types.Pointer(rule)
	c.UpdateRule = types.Pointer(rule)
	c.CreateRule, c.DeleteRule = nil, nil
}

// or joins rule expressions with ||, each in parentheses.
func or(exprs ...string) string {
	out := ""
	for i, e := range exprs {
		if i > 0 {
			out += " || "
		}
		out += "(" + e + ")"
	}
	return out
}
