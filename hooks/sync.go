package hooks

import (
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/records"
)

// SyncConfig lists the collections devices sync and how same-field
// conflicts are resolved, from the catalog (package catalog).
var SyncConfig = devicesync.Config{
	Collections: syncedCollections(),
	ScopeKey:    scopeKey,
	// staff.active (package accounts): off, every pull is refused anyway
	ScopeFree:   []string{"active"},
	Pulls:       pulls,
	Window:      fieldWindow,
	WindowReads: windowReads(),
	Estimate:    []string{catalog.Returnees},
}

// pulls keeps personal data off coordinators' devices: their screens read
// the state's figures, people and review queue online (a state's people are
// too many for a phone, and no screen of theirs reads them from the device),
// so their devices pull only the collections that hold neither personal
// data nor money (reference data, courses, savings groups). Everyone else
// pulls every synced collection, under its list rule.
func pulls(auth *core.Record, collection string) bool {
	if auth.Collection().Name != catalog.Staff || records.AsStaff(auth).Role() != "coordinator" {
		return true
	}
	c, _ := catalog.Lookup(collection)
	return !c.Audited
}

// known are the collections whose pushed creates may describe a record the
// server holds under another id.
var known = map[string]devicesync.KnownFunc{catalog.Returnees: knownPerson}

// syncedCollections are the catalog's synced collections, those without
// personal data first: an initial sync sends collections in this order, so
// that the reference data a registration needs (states, points, the
// consents' wording) is on the device before the point's people, and the
// field app can register someone during its first sync.
func syncedCollections() []devicesync.Collection {
	var out []devicesync.Collection
	byData := slices.Clone(catalog.Collections)
	slices.SortStableFunc(byData, func(a, b catalog.Collection) int {
		switch {
		case a.Audited == b.Audited:
			return 0
		case b.Audited:
			return -1
		}
		return 1
	})
	for _, c := range byData {
		if !c.Synced() {
			continue
		}
		policy := devicesync.LastPushWins
		if c.Sync == catalog.ServerWins {
			policy = devicesync.ServerWins
		}
		out = append(out, devicesync.Collection{Name: c.Name, Policy: policy, Immutable: c.Immutable, Known: known[c.Name]})
	}
	return out
}

// scopeKey is what decides a user's scope beyond their auth record: for
// NODESS staff, their node's states; for a returnee, the savings groups they
// are an active member of (whose ledger they see). A change resets their
// devices, which then pull their new scope.
func scopeKey(app core.App, auth *core.Record) (string, error) {
	if auth.Collection().Name == "staff" && auth.GetString("nodess") != "" {
		// NODESS staff see people going to their node's states
		node, err := app.FindRecordById(catalog.Nodess, auth.GetString("nodess"))
		if err != nil {
			return "", nil
		}
		states := node.GetStringSlice("states")
		slices.Sort(states)
		return strings.Join(states, ","), nil
	}
	if auth.Collection().Name != "returnee_accounts" {
		return "", nil
	}
	var groups []string
	err := app.DB().Select("group").From("group_members").
		Where(dbx.HashExp{"returnee": auth.GetString("returnee"), "status": "active"}).
		OrderBy("group").Column(&groups)
	return strings.Join(groups, ","), err
}

// bindSyncConflicts scopes each recorded sync conflict to the state of the
// person it concerns (their reception point's state), so that the
// coordinator of that state reviews it; a coordinator may only mark it
// resolved.
func bindSyncConflicts(app core.App) {
	app.OnRecordCreate(catalog.SyncConflicts).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("state") == "" {
			e.Record.Set("state", reviewState(e.App, e.Record))
		}
		return e.Next()
	})
	app.OnRecordValidate(catalog.SyncConflicts).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			if role(actor.Of(e.Context, e.Record)) == "coordinator" {
				onlyFields(c, e.Record, "resolved", "resolution_note")
			}
		})
	})
}

// reviewState is the state whose coordinator reviews a sync conflict: that
// of the record it concerns if its author could see that record, else (a
// refused create, a mutation aimed at a record out of the author's sight)
// that of the author, so that a refusal for a record someone cannot see never
// lands in that record's state's queue, and guesses at a person's record
// reach the guesser's coordinator, not the person's.
func reviewState(app core.App, conflict *core.Record) string {
	author, err := app.FindRecordById(conflict.GetString("auth_collection"), conflict.GetString("auth_id"))
	if err != nil {
		return ""
	}
	if col, err := app.FindCachedCollectionByNameOrId(conflict.GetString("collection_name")); err == nil {
		info := &core.RequestInfo{Auth: author, Context: core.RequestInfoContextDefault, Method: "GET"}
		if target, err := listrule.Find(app, info, col, col.ViewRule, conflict.GetString("record_id")); err == nil && target != nil {
			return stateOf(app, col.Name, target.Id)
		}
	}
	return authorState(app, author)
}

// authorState is the state an author of sync mutations works in: a field
// worker's reception point's, a coordinator's own, a returnee's reception
// point's; none for NODESS staff (their node spans states) and superusers.
func authorState(app core.App, author *core.Record) string {
	switch author.Collection().Name {
	case catalog.Staff:
		staff := records.AsStaff(author)
		if staff.State() != "" {
			return staff.State()
		}
		if point, err := app.FindRecordById(catalog.ReceptionPoints, staff.ReceptionPoint()); err == nil {
			return point.GetString("state")
		}
	case catalog.ReturneeAccounts:
		return stateOf(app, catalog.Returnees, author.GetString("returnee"))
	}
	return ""
}

// stateOf is the state a record of collection belongs to for review: the
// reception point's state of the person it is about, or its own state.
func stateOf(app core.App, collection, id string) string {
	record, err := app.FindRecordById(collection, id)
	if err != nil {
		return ""
	}
	person := ""
	switch {
	case collection == "returnees":
		person = record.Id
	case record.Collection().Fields.GetByName("returnee") != nil:
		person = record.GetString("returnee")
	case collection == "ledger_entries":
		if member, err := app.FindRecordById(catalog.GroupMembers, record.GetString("member")); err == nil {
			person = member.GetString("returnee")
		}
	}
	if person != "" {
		if r, err := records.FindReturnee(app, person); err == nil {
			if point, err := app.FindRecordById(catalog.ReceptionPoints, r.ReceptionPoint()); err == nil {
				return point.GetString("state")
			}
		}
	}
	return record.GetString("state")
}
