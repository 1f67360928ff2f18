package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// A field device's window (docs/sync.md, "The device's window") is the
// point's people returned since a day, or with an open referral. The
// records about them (consents, returns...) are read from the set of those
// people: with (point, repatriation_date) and (status, returnee) that set is
// three index ranges, where it was a walk of the point's whole scope for
// every collection of every page.
func init() {
	people := []index{
		{"idx_returnees_point_returned", false, "reception_point, repatriation_date", ""},
		{"idx_returnees_previous_returned", false, "previous_point, repatriation_date", ""},
	}
	referrals := []index{{"idx_referrals_status", false, "status, returnee", ""}}
	peopleUp, peopleDown := replaceIndexes(catalog.Returnees, nil, people)
	referralsUp, referralsDown := replaceIndexes(catalog.Referrals, nil, referrals)
	m.Register(func(app core.App) error {
		if err := peopleUp(app); err != nil {
			return err
		}
		return referralsUp(app)
	}, func(app core.App) error {
		if err := referralsDown(app); err != nil {
			return err
		}
		return peopleDown(app)
	})
}
