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
}

// Collections describes every collection of Retorno, in the order devices
// pull them (reference data, people, programs) and then the server's own.
var Collections = []Collection{
	{Name: States, Sync: LastPushWins},
	{Name: ReceptionPoints, Sync: LastPushWins},
	{Name: Nodess, Sync: LastPushWins},
	{Name: Staff},
	{Name: Returnees, Sync: LastPushWins, Audited: true, Stamp: "registered_by"},
	{Name: ReturneeAccounts, Audited: true, Merge: MergeAccount},
	{Name: Consents, Sync: LastPushWins, Audited: true, Stamp: "collected_by", Merge: MergeRepoint},
	{Name: Referrals, Sync: LastPushWins, Audited: true, Stamp: "referred_by", Merge: MergeRepoint},
	{Name: CaseNotes, Sync: LastPushWins, Audited: true, Stamp: "author", Merge: MergeRepoint},
	// a return event; its returnee's reception_point, previous_point and
	// repatriation_date are derived from their returns (hooks/returns.go)
	{Name: Returns, Sync: LastPushWins, Audited: true, Stamp: "registered_by", Merge: MergeRepoint},
	{Name: TrainingCourses, Sync: LastPushWins, Node: NodePath{Field: "nodess"}, DefaultStatus: "open"},
	{Name: Enrollments, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "course", Field: "nodess"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "dropped"}, Merge: MergeEnrollments},
	// active_members (derived, hidden) lists returnees
	{Name: SavingsGroups, Sync: LastPushWins, Node: NodePath{Field: "nodess"}, DefaultStatus: "forming", Merge: MergeRepoint},
	{Name: GroupMembers, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "group", Field: "nodess"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "left"}, Merge: MergeMemberships},
	{Name: LedgerEntries, Sync: LastPushWins, Immutable: true, Audited: true, Stamp: "recorded_by",
		Node: NodePath{Via: "group", Field: "nodess"}},
	{Name: AuditLog},
	{Name: SyncConflicts},
	{Name: DuplicateCandidates, Merge: MergePairs},
	{Name: ClaimAttempts},
	// a person a field worker's point gained through a new return, for the
	// state's coordinator to review (hooks/scope_grants.go)
	{Name: ScopeGrants, Audited: true, Stamp: "granted_by", Merge: MergeRepoint},
	// a NODESS's follow-up of a person: scheduled when a referral is
	// accepted, or by hand (hooks/follow_ups.go)
	{Name: FollowUps, Sync: LastPushWins, Audited: true, Stamp: "recorded_by", Node: NodePath{Field: "nodess"},
		DefaultStatus: "scheduled", Merge: MergeRepoint},
	// one record, superusers only: the follow-up schedule (hooks/follow_ups.go)
	{Name: FollowUpSettings},
	// how a person is doing: work, income band, cooperative, migration
	// plans; recorded by NODESS staff or by the person (hooks/outcomes.go)
	{Name: Outcomes, Sync: LastPushWins, Audited: true, Stamp: "recorded_by", Merge: MergeRepoint},
	// a migrant cooperative (an OSSE) and its stage; active_members
	// (derived, hidden) lists returnees (hooks/cooperatives.go)
	{Name: Cooperatives, Sync: LastPushWins, Node: NodePath{Field: "nodess", State: "state"}, Merge: MergeRepoint},
	{Name: CooperativeMembers, Sync: LastPushWins, Audited: true, Node: NodePath{Via: "cooperative", Field: "nodess", State: "state"},
		DefaultStatus: "requested", ReturneeRequest: &Request{New: "requested", Exit: "left"}, Merge: MergeMemberships},
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
