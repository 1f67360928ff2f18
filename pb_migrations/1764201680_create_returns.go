package pb_migrations

import (
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Returns are events: the same person is often returned several times,
// through different points. This migration
//   - creates the synced collection returns (one record a return: point, date,
//     the device's time of the registration, needs at that return, services
//     delivered at reception);
//   - adds returnees.previous_point, derived with reception_point and
//     repatriation_date from the person's returns (hooks/returns.go): the
//     point of the latest return, and the latest other point before it;
//   - widens every scope through a person's reception point to either point,
//     so that a field worker keeps the people returned at their point until
//     two later returns at other points move them on (docs/DESIGN.md, "Who
//     sees a person"); coordinators likewise by either point's state;
//   - turns every existing person's point and date into their first return
//     (same id as the person, registered by whoever registered the person, at
//     the time the person was created), losing nothing.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.Returnees, catalog.ReceptionPoints, catalog.Staff)
		if err != nil {
			return err
		}
		people, points, staff := found[0], found[1], found[2]

		people.Fields.Add(&core.RelationField{Name: "previous_point", MaxSelect: 1, CollectionId: points.Id,
			Help: "Derived from returns: the point of the latest return at another point than the latest one."})
		people.AddIndex("idx_returnees_previous_point_id", false, "previous_point, id", "")
		if err := app.Save(people); err != nil {
			return err
		}
		if err := mapAllRules(app, func(c *core.Collection, rule string) string {
			return widenScope(rule, c.Name == catalog.Returnees)
		}); err != nil {
			return err
		}

		returns := synced(core.NewBaseCollection(catalog.Returns, "pbc_returns"),
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true},
			relation("reception_point", true, points),
			date("repatriation_date", false),
			&core.DateField{Name: "registered_at",
				Help: "When the device registered the return (kept from offline); never in the future."},
			relation("registered_by", false, staff),
			choices("needs", catalog.Needs.Codes()...),
			choices("services", catalog.ReceptionServices.Codes()...),
			text("notes", false, 2000),
		)
		returns.AddIndex("idx_returns_returnee", false, "returnee, repatriation_date", "")
		returns.AddIndex("idx_returns_point", false, "reception_point, repatriation_date", "")
		readWrite(returns,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), isReturnee+` && returnee = @request.auth.returnee`), false),
			isFieldWorker,
			widenScope(fieldWorkerScope("returnee."), false)+` && reception_point = @request.auth.reception_point`,
		)
		if err := app.Save(returns); err != nil {
			return err
		}

		_, err = app.DB().NewQuery(`INSERT INTO returns
			(id, returnee, reception_point, repatriation_date, registered_at, registered_by,
			 needs, services, notes, rev, created, updated)
			SELECT id, id, reception_point, repatriation_date, created, registered_by,
			 CASE WHEN needs = '' THEN '[]' ELSE needs END, '[]', '', 1, created, created
			FROM returnees`).Execute()
		return err
	}, func(app core.App) error {
		if err := deleteCollections(app, catalog.Returns); err != nil {
			return err
		}
		if err := mapAllRules(app, func(_ *core.Collection, rule string) string {
			return widened.ReplaceAllString(rule, "$1")
		}); err != nil {
			return err
		}
		return changeCollection(app, catalog.Returnees, func(c *core.Collection) {
			c.RemoveIndex("idx_returnees_previous_point_id")
			c.Fields.RemoveByName("previous_point")
		})
	})
}

// pointTest matches a rule's test of a person's reception point, or of its
// state, against the caller's: "returnee.reception_point = @request.auth.
// reception_point", "member.returnee.reception_point.state = @request.auth.
// state". Its path (group 1) must lead to a returnee to be widened.
var pointTest = regexp.MustCompile(`((?:[a-z_]+\.)*)reception_point(\.state)? = @request\.auth\.(reception_point|state)`)

// widenScope makes every test of a person's reception point (or its state)
// in rule a test of either of their last two points. A bare path is the
// person's own point only in the rules of returnees (onPeople).
func widenScope(rule string, onPeople bool) string {
	return pointTest.ReplaceAllStringFunc(rule, func(match string) string {
		parts := pointTest.FindStringSubmatch(match)
		path, state, auth := parts[1], parts[2], parts[3]
		toPerson := (path == "" && onPeople) || strings.HasSuffix(path, "returnee.") || strings.HasSuffix(path, "candidate.")
		if !toPerson || (state == "") != (auth == "reception_point") {
			return match
		}
		return "(" + match + " || " + path + "previous_point" + state + " = @request.auth." + auth + ")"
	})
}

// widened matches what widenScope wrote, to undo it.
var widened = regexp.MustCompile(`\(((?:[a-z_]+\.)*reception_point(?:\.state)? = @request\.auth\.[a-z_]+) \|\| (?:[a-z_]+\.)*previous_point(?:\.state)? = @request\.auth\.[a-z_]+\)`)

// mapAllRules replaces every API rule of every collection with f of it, and
// saves the collections whose rules changed.
func mapAllRules(app core.App, f func(c *core.Collection, rule string) string) error {
	all, err := app.FindAllCollections()
	if err != nil {
		return err
	}
	for _, c := range all {
		changed := false
		for _, rule := range []**string{&c.ListRule, &c.ViewRule, &c.CreateRule, &c.UpdateRule, &c.DeleteRule} {
			if *rule == nil {
				continue
			}
			if next := f(c, **rule); next != **rule {
				*rule = &next
				changed = true
			}
		}
		if changed {
			if err := app.Save(c); err != nil {
				return err
			}
		}
	}
	return nil
}
