package pb_migrations

import (
	"strconv"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// The follow-up schedule is a setting of the national administrators: one
// record of follow_up_settings, which only superusers read and change, in
// the dashboard (nil rules). PocketBase's own settings hold no fields of an
// application, and a record keeps the dashboard's form, validation and
// history of changes. The record starts with the defaults; without it the
// hooks use the same defaults (hooks/follow_ups.go).
func init() {
	m.Register(func(app core.App) error {
		months := make([]string, 24)
		for i := range months {
			months[i] = strconv.Itoa(i + 1)
		}
		var defaults []string
		for _, n := range catalog.FollowUpMonths {
			defaults = append(defaults, strconv.Itoa(n))
		}
		return createSettings(app, catalog.FollowUpSettings, "pbc_follow_up_settings",
			map[string]any{"months": defaults, "kind": catalog.FollowUpKind, "referral_due_days": catalog.ReferralDueDays},
			&core.SelectField{Name: "months", Required: true, MaxSelect: len(months), Values: months,
				Help: "Months after a referral is accepted at which its NODESS follows the person up."},
			&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: catalog.FollowUpKinds.Codes(),
				Help: "How the scheduled follow-ups are made."},
			integer("referral_due_days", true, 1, 365, "Days a NODESS has to act on a referral that names no due date."),
		)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.FollowUpSettings)
	})
}
