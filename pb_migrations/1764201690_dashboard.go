package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// The national administrators' dashboard (/_/): PocketBase's example users
// collection goes (Retorno's accounts are staff and returnee_accounts, and
// users was never used), and the fields that say what a record is are marked
// presentable, so that the dashboard names related records by them (a
// person's name, a point's name) instead of by id.
var presentable = map[string][]string{
	catalog.States:              {"name"},
	catalog.ReceptionPoints:     {"name"},
	catalog.Nodess:              {"name"},
	catalog.Staff:               {"name", "email"},
	catalog.Returnees:           {"given_names", "first_surname", "second_surname"},
	catalog.TrainingCourses:     {"title"},
	catalog.SavingsGroups:       {"name"},
	catalog.Returns:             {"repatriation_date"},
	catalog.SyncConflicts:       {"kind", "collection_name", "code"},
	catalog.DuplicateCandidates: {"returnee", "candidate", "score"},
	catalog.AuditLog:            {"action", "collection_name", "record_id"},
	catalog.ScopeGrants:         {"returnee", "reception_point"},
}

func init() {
	m.Register(func(app core.App) error {
		if users, err := app.FindCollectionByNameOrId("users"); err == nil {
			if err := app.Delete(users); err != nil {
				return err
			}
		}
		return setPresentable(app, true)
	}, func(app core.App) error {
		// the users collection is not brought back: it held nothing
		return setPresentable(app, false)
	})
}

func setPresentable(app core.App, on bool) error {
	for name, fields := range presentable {
		if err := changeCollection(app, name, func(c *core.Collection) {
			for _, f := range c.Fields {
				if slices.Contains(fields, f.GetName()) {
					setFieldPresentable(f, on)
				}
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

// setFieldPresentable sets the Presentable flag of the field kinds that have one.
func setFieldPresentable(f core.Field, on bool) {
	switch f := f.(type) {
	case *core.TextField:
		f.Presentable = on
	case *core.SelectField:
		f.Presentable = on
	case *core.RelationField:
		f.Presentable = on
	case *core.NumberField:
		f.Presentable = on
	case *core.EmailField:
		f.Presentable = on
	}
}
