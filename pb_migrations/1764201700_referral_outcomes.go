package pb_migrations

import "github.com/retorno-mx/retorno/catalog"

// Referrals that close the loop: the date by which the NODESS should act
// (hooks default it to 14 days after the referral is made, or the days the
// follow_up_settings say), why a referral was closed or rejected (required
// then, hooks/returnee_children.go) and what the person got from it. The
// referring point reads all three; NODESS staff set the last two with the
// status. Referrals made before this migration keep no due date (they are
// never overdue).
func init() {
	fieldsMigration(catalog.Referrals,
		date("due_on", false),
		choice("closed_reason", false, catalog.ReferralClosedReasons.Codes()...),
		choice("outcome", false, catalog.ReferralOutcomes.Codes()...),
	)
}
