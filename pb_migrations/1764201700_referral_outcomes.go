package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// Referrals that close the loop: the date by which the NODESS should act
// (hooks default it to 14 days after the referral is made, or the days the
// follow_up_settings say), why a referral was closed or rejected (required
// then, hooks/returnee_children.go) and what the person got from it. The
// referring point reads all three; NODESS staff set the last two with the
// status. Referrals made before this migration keep no due date (they are
// never overdue).
func init() {
	m.Register(func(app core.App) error {
		return changeCollection(app, catalog.Referrals, func(c *core.Collection) {
			c.Fields.Add(
				date("due_on", false),
				choice("closed_reason", false, catalog.ReferralClosedReasons.Codes()...),
				choice("outcome", false, catalog.ReferralOutcomes.Codes()...),
			)
		})
	}, func(app core.App) error {
		return changeCollection(app, catalog.Referrals, func(c *core.Collection) {
			for _, name := range []string{"due_on", "closed_reason", "outcome"} {
				c.Fields.RemoveByName(name)
			}
		})
	})
}
