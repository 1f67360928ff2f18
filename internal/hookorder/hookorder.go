// Package hookorder names the priorities of Retorno's record execute hooks,
// in one place, because their order is part of what a write means.
//
// PocketBase runs a record's execute hooks from the lowest priority to the
// highest, each around the next (e.Next()), and its own row write last (at
// 99). So a hook's code before e.Next() runs in this order, and its code
// after e.Next() in the reverse order, once the row is written. The first
// hook that opens a transaction (recordwrite.InTransaction) holds every later
// hook's writes in it.
//
//	NoOp          an update that changes no field stops here: nothing below runs
//	ClaimCode     a new claim code is hashed (returnees)
//	Seats         an enrollment's status and queue place are decided, seats counted
//	Revision      rev = stored rev + 1, read in the write's transaction
//	ScopeGrant    after the write: the scope_grants record of a return that opens a person to a point
//	ReturnFields  after the write: the person's point, previous point and date from their returns
//	DerivedScope  after the write: the person's nodess_consent and referred_nodess
//	ActiveMembers after the write: the group's or cooperative's active_members (and a
//	              cooperative's stage, stepped back if too few are left); a proposed
//	              cooperative's founder; a person's names on their memberships
//	Audit         after the write: the audit_log entry (names of fields written)
//	SyncLog       after the write: the change log row and the touch rows of dependents
//	Duplicates    after the write: the person's duplicate candidate pairs
//	FollowUps     after the write: the follow-ups an accepted referral schedules, or a
//	              withdrawn consent cancels
//	Notifications after the write: the messages an event queues for its person (a
//	              referral accepted, a seat, a meeting's receipt, a claim code), or a
//	              withdrawn contact consent cancels (package notify)
//	Rectification after the write: an approved rectification request's change,
//	              saved on the person (whose own hooks check it)
//	SensitiveData after the write: a withdrawn sensitive_data consent takes the sensitive
//	              needs out of the person and their returns
//	Memo          around the row's write: what the transaction read of the collection
//	              is forgotten (package txmemo), so every hook after it reads the row
//	              as written
//
// What each needs: the sync log and the audit must see the final rev, status
// and claim code, so Revision, Seats and ClaimCode come before them; derived
// scope saves the person after the consent or referral row exists, which
// writes the person's own audit and log rows in the same transaction; the
// messages read the record as written, its seat and claim code included.
package hookorder

// Priorities of the execute hooks, lowest first.
const (
	NoOp      = -1000
	ClaimCode = -30
	Seats     = -20
)

// From Revision on, each priority is the next after the one above it: a new
// hook's place in the list is its priority.
const (
	Revision = iota - 13
	ScopeGrant
	ReturnFields
	DerivedScope
	ActiveMembers
	Audit
	SyncLog
	Duplicates
	FollowUps
	Notifications
	Rectification
	SensitiveData
	Memo
)
