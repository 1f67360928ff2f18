package catalog

import "slices"

// Names of Retorno's collections.
const (
	States              = "states"
	ReceptionPoints     = "reception_points"
	Nodess              = "nodess"
	Staff               = "staff"
	Returnees           = "returnees"
	ReturneeAccounts    = "returnee_accounts"
	Consents            = "consents"
	Referrals           = "referrals"
	CaseNotes           = "case_notes"
	Returns             = "returns"
	TrainingCourses     = "training_courses"
	Enrollments         = "enrollments"
	SavingsGroups       = "savings_groups"
	GroupMembers        = "group_members"
	LedgerEntries       = "ledger_entries"
	AuditLog            = "audit_log"
	SyncConflicts       = "sync_conflicts"
	DuplicateCandidates = "duplicate_candidates"
	ClaimAttempts       = "claim_attempts"
	ScopeGrants         = "scope_grants"
	FollowUps           = "follow_ups"
	FollowUpSettings    = "follow_up_settings"
	Outcomes            = "outcomes"
	Cooperatives        = "cooperatives"
	CooperativeMembers  = "cooperative_members"
	ConsentTexts        = "consent_texts"
	RectificationReqs   = "rectification_requests"

	Notifications         = "notifications"
	NotificationTemplates = "notification_templates"
	NotificationSettings  = "notification_settings"

	Documents      = "documents"
	DeviceSettings = "device_settings"
)

// Sync says whether and how devices sync a collection.
type Sync int

const (
	// NotSynced collections stay on the server.
	NotSynced Sync = iota
	// LastPushWins: a field both a device and the server changed since the
	// device's base revision takes the device's value.
	LastPushWins
	// ServerWins: such a field keeps the server's value.
	ServerWins
)

// NodePath is how a record reaches the NODESS that runs it: Field of the
// record itself, or Field of the record that its relation Via points to.
//
// With State, that record is placed in the state its field State names, and
// is run by a NODESS whose node covers that state: the node in Field, or,
// while Field is empty (nobody accompanies it yet), any node that covers it.
type NodePath struct {
	Via   string // a relation field of the record, or ""
	Field string // the relation to nodess
	State string // the relation to states the node must cover, or ""
}

// Request is a returnee's own request on a collection: the status a new one
// starts in, and the one status the returnee may later move it to.
type Request struct {
	New, Exit string
}

// MergeStep is what merging one person into another does with the records
// of a collection that point at the person merged away.
type MergeStep int

const (
	// NotAboutPeople: the collection does not point at returnees.
	NotAboutPeople MergeStep = iota
	// MergeRepoint re-points each record at the kept person.
	MergeRepoint
	// MergeAccount moves the login only with an identity check, else closes it.
	MergeAccount
	// MergeEnrollments keeps the better enrollment of a course both are in.
	MergeEnrollments
	// MergeMemberships keeps one membership of a group or cooperative both
	// are in: the one with ledger entries, else the better status.
	MergeMemberships
	// MergePairs marks the pair merged and passes pairs with third people on.
	MergePairs
)

// EraseStep is what erasing a person (package privacy) does with the
// records of a collection that are about them.
type EraseStep int

const (
	// NotPersonal: the collection holds nothing about a person.
	NotPersonal EraseStep = iota
	// EraseDelete deletes the records, and with them their files.
	EraseDelete
	// EraseBlank blanks every field but the id and marks the record erased:
	// the person's own record, which memberships and ledgers keep pointing
	// at, so that a group's ledger still balances.
	EraseBlank
	// EraseEnd keeps the records, which then point at a blank person, and
	// ends an active one (status "left"): a savings group membership, whose
	// ledger entries must keep balancing.
	EraseEnd
	// EraseKeep keeps the records as they are: once the person is blank
	// they say nothing about anyone (ledger entries: amounts and dates).
	EraseKeep
	// EraseDerived: a field derived from other records (a group's hidden
	// active_members), which the collection's hooks refresh when those
	// records change.
	EraseDerived
)

// Rights is how the rights of the person (package privacy) reach a
// collection: which of its records are about a person, whether the
// person's export holds them, and what erasing the person does with them.
type Rights struct {
	// About are the paths from a record to the person it is about: "id" on
	// returnees, "returnee", "member.returnee" (through a membership). A
	// record is about the person when any path leads to them.
	About []string
	// Export: the person's own export (GET /api/me/export) holds their
	// records. False where a record names other people too (a duplicate
	// pair) or is a derived list of people.
	Export bool
	// Erase is what an erasure does with their records.
	Erase EraseStep
}

// Collection is what Retorno knows about one collection.
type Collection struct {
	Name string
	Sync Sync
	// Immutable collections accept creates only (a ledger's corrections are
	// new entries); devices are refused updates and deletes.
	Immutable bool
	// Audited collections hold personal data or money: every write leaves an
	// audit_log entry in its transaction.
	Audited bool
	// Stamp is the relation to staff that the server sets to the writer of
	// a new record ("" for none).
	Stamp string
	// Node is how a record reaches its NODESS, for collections that NODESS
	// staff run (zero for others).
	Node NodePath
	// DefaultStatus is the status of a new record that names none.
	DefaultStatus string
	// ReturneeRequest, if set, lets a returnee account create records of the
	// collection for themselves, as requests.
	ReturneeRequest *Request
	// Merge is what a merge of two people does with the collection.
	Merge MergeStep
	// Rights is how the rights of the person reach the collection's
	// records (zero for collections about nobody).
	Rights Rights
}

// ownRecords are the Rights of a collection of records about one person
// through their returnee relation: exported, and deleted by an erasure.
var ownRecords = Rights{About: []string{"returnee"}, Export: true, Erase: EraseDelete}

// Collections describes every collection of Retorno, in the order devices
// pull them (reference data, people, programs) and then the server's own.
var Collections = []Collection{
	{Name: States, Sync: LastPushWins},
	{Name: ReceptionPoints, Sync: LastPushWins},
	{Name: Nodess, Sync: LastPushWins},
	{Name: Staff},
	{Name: Returnees, Sync: LastPushWins, Audited: true, Stamp: "registered_by",
		Rights: Rights{About: []string{"id"}, Export: true, Erase: EraseBlank}},
	{Name: ReturneeAccounts, Audited: true, Merge: MergeAccount, Rights: ownRecords},
	{Name: Consents, Sync: LastPushWins, Audited: true, Stamp: "collected_by", Merge: MergeRepoint, Rights: ownRecords},
	{Name: Referrals, Sync: LastPushWins, Audited: true, Stamp: "referred_by", Merge: MergeRepoint, Rights: ownRecords},
	// the person's export holds the notes about them (the access right;
	// docs/PRIVACY.md), though their account does not read them in the app
	{Name: CaseNotes, Sync: LastPushWins, Audited: true, Stamp: "author", Merge: MergeRepoint, Rights: ownRecords},
	// a return event; its returnee's reception_point, previous_point and
	// repatriation_date are derived from their returns (hooks/returns.go)
	{Name: Returns, Sync: LastPushWins, Audited: true, Stamp: "registered_by", Merge: MergeRepoint, Rights: ownRecords},
	{Name: TrainingCourses, Sync: LastPushWins, Node: NodePath{Field: "nodess"}, DefaultStatus: "open"},
	{Name: Enrollments, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "course", Field: "nodess"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "dropped"}, Merge: MergeEnrollments, Rights: ownRecords},
	// active_members (derived, hidden) lists returnees
	{Name: SavingsGroups, Sync: LastPushWins, Node: NodePath{Field: "nodess"}, DefaultStatus: "forming", Merge: MergeRepoint,
		Rights: Rights{About: []string{"active_members"}, Erase: EraseDerived}},
	{Name: GroupMembers, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "group", Field: "nodess"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "left"}, Merge: MergeMemberships,
		Rights: Rights{About: []string{"returnee"}, Export: true, Erase: EraseEnd}},
	// the ledger is append-only: an erased member's entries stay, on a
	// membership of a blank person, so that the group's box still balances
	{Name: LedgerEntries, Sync: LastPushWins, Immutable: true, Audited: true, Stamp: "recorded_by",
		Node: NodePath{Via: "group", Field: "nodess"}, Rights: Rights{About: []string{"member.returnee"}, Export: true, Erase: EraseKeep}},
	{Name: AuditLog},
	{Name: SyncConflicts},
	// a pair names two people: in neither's export
	{Name: DuplicateCandidates, Merge: MergePairs, Rights: Rights{About: []string{"returnee", "candidate"}, Erase: EraseDelete}},
	{Name: ClaimAttempts},
	// a person a field worker's point gained through a new return, for the
	// state's coordinator to review (hooks/scope_grants.go)
	{Name: ScopeGrants, Audited: true, Stamp: "granted_by", Merge: MergeRepoint, Rights: ownRecords},
	// a NODESS's follow-up of a person: scheduled when a referral is
	// accepted, or by hand (hooks/follow_ups.go)
	{Name: FollowUps, Sync: LastPushWins, Audited: true, Stamp: "recorded_by", Node: NodePath{Field: "nodess"},
		DefaultStatus: "scheduled", Merge: MergeRepoint, Rights: ownRecords},
	// one record, superusers only: the follow-up schedule (hooks/follow_ups.go)
	{Name: FollowUpSettings},
	// how a person is doing: work, income band, cooperative, migration
	// plans; recorded by NODESS staff or by the person (hooks/outcomes.go)
	{Name: Outcomes, Sync: LastPushWins, Audited: true, Stamp: "recorded_by", Merge: MergeRepoint, Rights: ownRecords},
	// a migrant cooperative (an OSSE) and its stage; active_members
	// (derived, hidden) lists returnees (hooks/cooperatives.go)
	{Name: Cooperatives, Sync: LastPushWins, Node: NodePath{Field: "nodess", State: "state"}, Merge: MergeRepoint,
		Rights: Rights{About: []string{"active_members"}, Erase: EraseDerived}},
	{Name: CooperativeMembers, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "cooperative", Field: "nodess", State: "state"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "left"}, Merge: MergeMemberships, Rights: ownRecords},
	// the wording of each consent purpose, by version: reference data
	// (privacy/consent_texts.go)
	{Name: ConsentTexts, Sync: LastPushWins},
	// a returnee's request to correct a field they cannot edit, decided by
	// the person's field workers or coordinator (privacy/rectification.go)
	{Name: RectificationReqs, Sync: LastPushWins, Audited: true, DefaultStatus: "requested",
		Merge: MergeRepoint, Rights: ownRecords},
	// the outbox of messages to people (package notify): written by the
	// server in the transaction of the event that causes it, sent by its
	// worker; not synced (devices never send or show a queue of them)
	{Name: Notifications, Audited: true, DefaultStatus: "queued", Merge: MergeRepoint, Rights: ownRecords},
	// superusers only: the texts of the messages, per event and language,
	// and which sender hands on each channel (package notify)
	{Name: NotificationTemplates},
	{Name: NotificationSettings},
	// a photo or PDF of one of a person's papers (hooks/documents.go): its
	// metadata syncs, its file (protected) is uploaded and fetched apart
	{Name: Documents, Sync: LastPushWins, Audited: true, Stamp: "captured_by", Merge: MergeRepoint, Rights: ownRecords},
	// one record, superusers only: the window of a reception point's
	// returns that its field devices hold (hooks/sync_window.go)
	{Name: DeviceSettings},
}

// Lookup returns the description of the collection named name.
func Lookup(name string) (Collection, bool) {
	i := slices.IndexFunc(Collections, func(c Collection) bool { return c.Name == name })
	if i < 0 {
		return Collection{}, false
	}
	return Collections[i], true
}

// Where returns the names of the collections for which keep is true, in
// the order of Collections.
func Where(keep func(Collection) bool) []string {
	var out []string
	for _, c := range Collections {
		if keep(c) {
			out = append(out, c.Name)
		}
	}
	return out
}

// Synced reports whether devices sync c.
func (c Collection) Synced() bool { return c.Sync != NotSynced }

// RunByNodess reports whether NODESS staff run c's records (and so may
// write only those of their own node).
func (c Collection) RunByNodess() bool { return c.Node.Field != "" }
