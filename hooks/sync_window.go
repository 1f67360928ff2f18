package hooks

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/records"
)

// fieldWindow is the window of a field worker's devices
// (devicesync.Config.Window; docs/sync.md, "The device's window"): of the
// people their point sees (the two-point scope), those whose latest return
// was repatriated within the last field_window_days days of
// device_settings, or who have an open referral (pending or accepted), with
// their records. Older people stay readable online: the REST API keeps the
// whole scope, and the field app's search asks it. Other roles' devices
// hold their whole scope (a coordinator's holds no people at all).
//
// The person's repatriation_date is that of their latest return
// (hooks/returns.go): a new return is a write on the person that brings
// them, and through the touch rows of WindowReads their records, back to
// the point's devices.
func fieldWindow(app core.App, auth *core.Record, now time.Time) (*devicesync.Window, error) {
	if auth.Collection().Name != catalog.Staff || records.AsStaff(auth).Role() != "field_worker" {
		return nil, nil
	}
	days := fieldWindowDays(app)
	if days <= 0 {
		return nil, nil
	}
	since := now.UTC().AddDate(0, 0, -days).Format(time.DateOnly)
	params := dbx.Params{"window_since": since, "window_point": records.AsStaff(auth).ReceptionPoint()}
	person := dbx.NewExp(personInWindow("[[returnees.id]]", "[[returnees.repatriation_date]]"), params)
	return &devicesync.Window{Days: days, Since: since, Where: func(collection string) dbx.Expression {
		switch {
		case collection == catalog.Returnees:
			return person
		case aboutPerson(app, collection):
			// the set of the window's people, read once a query as three
			// index ranges, drives the query through the records' returnee
			// index
			return dbx.NewExp(fmt.Sprintf("[[%s.returnee]] IN (%s)", collection, windowPeople), params)
		}
		return nil
	}, Holds: func(collection string) dbx.Expression {
		switch {
		case collection == catalog.Returnees:
			return person
		case aboutPerson(app, collection):
			// records named by id: their person's test, one lookup each (the
			// rule has already tied the person to the point), instead of
			// the window's whole set for every page of every pull
			return dbx.NewExp(fmt.Sprintf("EXISTS (SELECT 1 FROM {{returnees}} [[wp]] WHERE [[wp.id]] = [[%s.returnee]] AND %s)",
				collection, personInWindow("[[wp.id]]", "[[wp.repatriation_date]]")), params)
		}
		return nil
	}}, nil
}

// personInWindow is the window's test of a person, given the SQL of their
// id and repatriation date: returned within the window, or with an open
// referral (the NODESS has not answered or is following the person up).
// A referral without a status is pending.
func personInWindow(id, repatriated string) string {
	return fmt.Sprintf("(%s >= {:window_since} OR EXISTS (SELECT 1 FROM {{referrals}} [[wr]] WHERE [[wr.returnee]] = %s"+
		" AND [[wr.status]] IN ('', 'pending', 'accepted')))", repatriated, id)
}

// windowPeople selects the ids of the people in the window of a point: the
// same test as personInWindow, as a union of ranges of the point's
// (point, repatriation_date) indexes and of the open referrals' (status,
// returnee) index.
const windowPeople = "SELECT [[id]] FROM {{returnees}} WHERE [[reception_point]] = {:window_point} AND [[repatriation_date]] >= {:window_since}" +
	" UNION SELECT [[id]] FROM {{returnees}} WHERE [[previous_point]] = {:window_point} AND [[repatriation_date]] >= {:window_since}" +
	" UNION SELECT [[wr.returnee]] FROM {{referrals}} [[wr]] JOIN {{returnees}} [[wp]] ON [[wp.id]] = [[wr.returnee]]" +
	" WHERE [[wr.status]] IN ('', 'pending', 'accepted') AND ([[wp.reception_point]] = {:window_point} OR [[wp.previous_point]] = {:window_point})"

// aboutPerson reports whether collection's records belong to one person
// through a returnee relation (consents, returns, referrals...).
func aboutPerson(app core.App, collection string) bool {
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return false
	}
	people, err := app.FindCachedCollectionByNameOrId(catalog.Returnees)
	rel, ok := col.Fields.GetByName("returnee").(*core.RelationField)
	return err == nil && ok && rel.CollectionId == people.Id
}

// windowReads: every synced record about a person enters and leaves a
// window with the person's latest return.
func windowReads() map[string][]string {
	out := map[string][]string{}
	for _, c := range catalog.Collections {
		if c.Synced() && c.Name != catalog.Returnees {
			out[c.Name] = []string{"returnee.repatriation_date"}
		}
	}
	return out
}

// fieldWindowDays is field_window_days of the one record of device_settings
// (the oldest, should a superuser add another), or the catalog's default
// without it.
func fieldWindowDays(app core.App) int {
	found, err := app.FindRecordsByFilter(catalog.DeviceSettings, "", "created", 1, 0)
	if err != nil || len(found) == 0 {
		return catalog.FieldWindowDays
	}
	return found[0].GetInt("field_window_days")
}

// SetFieldWindowDays sets field_window_days of device_settings (creating
// the record if it is missing): the demo data and the tests' fixtures,
// dated once and for all, hold their whole scope (0), which the calendar
// would otherwise empty; tests of the window set a length of their own.
func SetFieldWindowDays(app core.App, days int) error {
	found, err := app.FindRecordsByFilter(catalog.DeviceSettings, "", "created", 1, 0)
	if err != nil {
		return err
	}
	var settings *core.Record
	if len(found) > 0 {
		settings = found[0]
	} else {
		col, err := app.FindCollectionByNameOrId(catalog.DeviceSettings)
		if err != nil {
			return err
		}
		settings = core.NewRecord(col)
	}
	settings.Set("field_window_days", days)
	return app.Save(settings)
}
