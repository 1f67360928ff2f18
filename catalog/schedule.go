package catalog

// Defaults of the follow-up schedule, which superusers change in the one
// record of follow_up_settings: the migration that creates it writes these,
// and the hooks use them when the record is missing.
var (
	// FollowUpMonths are the months after a referral's acceptance at which
	// its NODESS follows the person up (the paper's "medium and long-term").
	FollowUpMonths = []int{1, 3, 6, 12}
	// FollowUpKind is how those follow-ups are made.
	FollowUpKind = "call"
	// ReferralDueDays is how many days a NODESS has to act on a referral
	// that names no due date.
	ReferralDueDays = 14
)
