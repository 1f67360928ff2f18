package hooks

import (
	"database/sql"
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/records"
)

// bindDerivedScope keeps two fields of each returnee in step with their
// consents and referrals, so that the NODESS read rule is a plain column test:
// nodess_consent (a granted, not withdrawn share_nodess consent exists) and
// referred_nodess (the NODESS the person was referred to, unless rejected).
//
// A consent or referral write updates its returnee in the same transaction,
// which bumps the returnee's rev: a withdrawal is a write on the person, and
// every device that may no longer see them learns it from that write.
func bindDerivedScope(app core.App) {
	app.OnRecordCreate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		e.Record.Set("nodess_consent", false)
		e.Record.Set("referred_nodess", []string{})
		return e.Next()
	})
	app.OnRecordUpdate(catalog.Returnees).BindFunc(func(e *core.RecordEvent) error {
		consent, referred, err := derivedScope(e.App, e.Record.Id)
		if err != nil {
			return err
		}
		e.Record.Set("nodess_consent", consent)
		e.Record.Set("referred_nodess", referred)
		return e.Next()
	})

	refresh := afterWrite("returnee", refreshDerivedScope)
	onWrite := func(e *core.RecordEvent) error {
		if e.Record.Collection().Name == "consents" &&
			e.Record.GetString("purpose") != "share_nodess" && e.Record.Original().GetString("purpose") != "share_nodess" {
			return e.Next() // other purposes do not open the record to a NODESS
		}
		return refresh(e)
	}
	for _, name := range []string{"consents", "referrals"} {
		hookorder.Hook{ID: "retorno_derived_scope_" + name, Priority: hookorder.DerivedScope, Func: onWrite}.OnWrite(app, name)
	}
}

// bindActiveMembers keeps savings_groups.active_members (hidden) in step
// with the group's memberships, in the membership write's transaction, so
// that the ledger's read rule for members is a lookup on the group rather
// than a join over every membership.
func bindActiveMembers(app core.App) {
	hookorder.Hook{ID: "retorno_active_members", Priority: hookorder.ActiveMembers,
		Func: afterWrite("group", refreshActiveMembers(catalog.SavingsGroups, catalog.GroupMembers, "group"))}.OnWrite(app, catalog.GroupMembers)
}

// afterWrite returns a handler that, in the write's transaction and after
// it, calls refresh for the record that the field names and, on an update
// or delete, the record it named before.
func afterWrite(field string, refresh func(app core.App, id string) error) func(e *core.RecordEvent) error {
	return func(e *core.RecordEvent) error {
		return inTransaction(e, func() error {
			if err := e.Next(); err != nil {
				return err
			}
			ids := []string{e.Record.GetString(field)}
			if !e.Record.IsNew() {
				ids = append(ids, e.Record.Original().GetString(field))
			}
			for _, id := range slices.Compact(ids) {
				if err := refresh(e.App, id); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// refreshActiveMembers returns a refresh that saves record id of collection
// (a savings group, a cooperative) again if its active_members changed: the
// people of the memberships whose relation key points at it and are active.
func refreshActiveMembers(collection, memberships, key string) func(app core.App, id string) error {
	return func(app core.App, id string) error {
		record, err := app.FindRecordById(collection, id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		active := []string{}
		err = app.DB().Select("returnee").From(memberships).
			Where(dbx.HashExp{key: id, "status": "active"}).OrderBy("returnee").Column(&active)
		if err != nil {
			return err
		}
		if slices.Equal(active, record.GetStringSlice("active_members")) {
			return nil
		}
		record.Set("active_members", active)
		return app.SaveNoValidate(record)
	}
}

// refreshDerivedScope saves returnee id again if its derived scope changed.
func refreshDerivedScope(app core.App, id string) error {
	found, err := records.FindReturneeIfAny(app, id)
	if err != nil || found == nil {
		return err // deleted with its children
	}
	person := found.ProxyRecord()
	consent, referred, err := derivedScope(app, id)
	if err != nil {
		return err
	}
	if consent == person.GetBool("nodess_consent") && slices.Equal(referred, person.GetStringSlice("referred_nodess")) {
		return nil
	}
	return app.SaveNoValidate(person) // the update hook recomputes both fields
}

func derivedScope(app core.App, returnee string) (consent bool, referred []string, err error) {
	consent, err = records.HasConsent(app, returnee, "share_nodess")
	if err != nil {
		return false, nil, err
	}
	referred = []string{}
	err = app.DB().Select("nodess").Distinct(true).From("referrals").
		Where(dbx.HashExp{"returnee": returnee}).
		AndWhere(dbx.Not(dbx.HashExp{"status": "rejected"})).
		OrderBy("nodess").Column(&referred)
	return consent, referred, err
}
