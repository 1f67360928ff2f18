package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/list"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/names"
)

// AuditErase is the audit_log action of an erasure: one entry for each
// record erased, with who, when and the reason, never a value.
const AuditErase = "erase"

// Errors of an erasure.
var (
	// ErrReasonRequired: an erasure must say why.
	ErrReasonRequired = errors.New("an erasure needs a reason")
	// ErrReasonNamesPerson: the reason, which the audit keeps, holds a
	// value of the person (a name, the CURP, the phone).
	ErrReasonNamesPerson = errors.New("the reason names the person")
	// ErrNotFound: no such person, or one already erased.
	ErrNotFound = errors.New("no such person")
)

// EraseEvent is what an erasure erased, for the handlers of OnErase.
type EraseEvent struct {
	hook.Event
	App    core.App // the erasure's transaction
	Person string   // the person's id (their record stays, blank)
	// Records are the records about the person, by collection, as they
	// were before the erasure (deleted, ended, kept or blanked by their
	// catalog Rights.Erase).
	Records map[string][]*core.Record
}

// OnErase runs inside every erasure's transaction, after the erasure's own
// writes: the place for a feature that keeps a person's data where the
// catalog cannot see it (files outside a record's file fields, copies in
// another system) to erase it too. An error rolls the whole erasure back.
// Bind handlers with an Id: the hook is the package's, shared by every app.
var OnErase = &hook.Hook[*EraseEvent]{}

// Erase removes the personal values of the person id and of every record
// about them, in one transaction, for who (a superuser, or nil for the
// retention job), and audits it with reason (docs/PRIVACY.md, "Erasure"):
//
//   - the records the catalog says are about the person (Rights.About) are
//     deleted (EraseDelete: their files with them), ended (EraseEnd: a
//     savings membership, whose ledger must keep balancing) or kept
//     (EraseKeep: ledger entries);
//   - the person's own record stays as a blank shell (EraseBlank): every
//     field empty, erased_at set, in nobody's scope, so that a device that
//     held them gets an evict and memberships still point at something;
//   - the sync engine's before-images, kept results and aliases of those
//     records lose their values (devicesync.Forget), and the refusals and
//     clashes kept about them or holding their values are deleted;
//   - their claim attempts are forgotten, their account deleted.
//
// The audit keeps one entry per record (action erase, reason), no values.
func Erase(app core.App, who *core.Record, id, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return ErrReasonRequired
	}
	return app.RunInTransaction(func(tx core.App) error {
		person, err := tx.FindRecordById(catalog.Returnees, id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !person.GetDateTime("erased_at").IsZero()) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if namesPerson(reason, person) {
			return ErrReasonNamesPerson
		}
		about, err := personRecords(tx, id, func(catalog.Rights) bool { return true })
		if err != nil {
			return err
		}
		ctx := actor.WithContext(context.Background(), who)
		for _, entry := range catalog.Collections {
			for _, r := range about[entry.Name] {
				if err := writeAudit(tx, who, AuditErase, r.Collection().Name, r.Id, reason); err != nil {
					return err
				}
			}
		}
		// deletes first, children before what they point at (the catalog
		// lists parents first), then the ends, then the person
		for i := len(catalog.Collections) - 1; i >= 0; i-- {
			entry := catalog.Collections[i]
			for _, r := range about[entry.Name] {
				if err := eraseRecord(tx, ctx, entry.Rights.Erase, r); err != nil {
					return fmt.Errorf("erase %s %s: %w", entry.Name, r.Id, err)
				}
			}
		}
		if err := blank(tx, ctx, person.Fresh()); err != nil {
			return fmt.Errorf("erase the person: %w", err)
		}
		if err := claim.ForgetAttempts(tx, person); err != nil {
			return err
		}
		refs := map[string][]string{}
		for name, found := range about {
			for _, r := range found {
				refs[name] = append(refs[name], r.Id)
			}
		}
		aliases, err := devicesync.Forget(tx, refs, id, refs[catalog.ReturneeAccounts])
		if err != nil {
			return err
		}
		if err := dropConflicts(tx, refs, aliases, person); err != nil {
			return err
		}
		return OnErase.Trigger(&EraseEvent{App: tx, Person: id, Records: about})
	})
}

// eraseRecord does step with r, a record about the erased person.
func eraseRecord(tx core.App, ctx context.Context, step catalog.EraseStep, r *core.Record) error {
	fresh, err := tx.FindRecordById(r.Collection(), r.Id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // gone with another record (a cascade)
	}
	if err != nil {
		return err
	}
	switch step {
	case catalog.EraseDelete:
		return tx.DeleteWithContext(ctx, fresh)
	case catalog.EraseEnd:
		if s := fresh.GetString("status"); s == "active" || s == "requested" {
			fresh.Set("status", "left")
		}
		clearFiles(fresh)
		return tx.SaveNoValidateWithContext(ctx, fresh)
	}
	return nil // EraseKeep, EraseDerived (refreshed by the ends' hooks), EraseBlank (below)
}

// blank empties every field of the person's record but its id and the
// server's bookkeeping, and marks it erased.
func blank(tx core.App, ctx context.Context, person *core.Record) error {
	for _, f := range person.Collection().Fields {
		switch f.GetName() {
		case core.FieldNameId, "rev", "created", "updated":
			continue
		}
		person.Set(f.GetName(), nil)
	}
	person.Set("erased_at", types.NowDateTime())
	return tx.SaveNoValidateWithContext(ctx, person)
}

// clearFiles empties r's file fields: PocketBase deletes the files once the
// record is saved.
func clearFiles(r *core.Record) {
	for _, f := range r.Collection().Fields {
		if f.Type() == core.FieldTypeFile {
			r.Set(f.GetName(), nil)
		}
	}
}

// dropConflicts deletes the refusals and clashes kept for review that are
// about the erased records (or their aliases), that the erased account
// pushed, or that hold the person's values (a refused registration of them
// under another id).
func dropConflicts(tx core.App, refs map[string][]string, aliases []string, person *core.Record) error {
	ids := slices.Clone(aliases)
	for _, named := range refs {
		ids = append(ids, named...)
	}
	where := []dbx.Expression{dbx.NewExp("instr(yours, {:id}) > 0", dbx.Params{"id": person.Id})}
	if len(ids) > 0 {
		where = append(where, dbx.In("record_id", list.ToInterfaceSlice(ids)...))
	}
	if accounts := refs[catalog.ReturneeAccounts]; len(accounts) > 0 {
		where = append(where, dbx.And(dbx.HashExp{"auth_collection": catalog.ReturneeAccounts}, dbx.In("auth_id", list.ToInterfaceSlice(accounts)...)))
	}
	for i, v := range []string{person.GetString("curp"), person.GetString("phone")} {
		if v != "" {
			where = append(where, dbx.NewExp(fmt.Sprintf("instr(yours, {:v%d}) > 0", i), dbx.Params{fmt.Sprintf("v%d", i): v}))
		}
	}
	if given, first := person.GetString("given_names"), person.GetString("first_surname"); given != "" && first != "" {
		where = append(where, dbx.NewExp("instr(yours, {:given}) > 0 AND instr(yours, {:first}) > 0",
			dbx.Params{"given": given, "first": first}))
	}
	_, err := tx.NonconcurrentDB().Delete(catalog.SyncConflicts, dbx.Or(where...)).Execute()
	return err
}

// namesPerson reports whether reason holds a value of the person: the audit
// keeps the reason, and must keep nothing of them.
func namesPerson(reason string, person *core.Record) bool {
	folded := names.Fold(reason)
	words := strings.Fields(folded)
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	if c := person.GetString("curp"); c != "" && strings.Contains(folded, names.Fold(c)) {
		return true
	}
	if p := digits(person.GetString("phone")); len(p) >= 7 && strings.Contains(digits(reason), p[len(p)-7:]) {
		return true
	}
	for _, f := range []string{"given_names", "first_surname", "second_surname"} {
		for _, word := range strings.Fields(names.Fold(person.GetString(f))) {
			if len(word) >= 3 && slices.Contains(words, word) {
				return true
			}
		}
	}
	return false
}

// writeAudit appends an audit entry with a reason.
func writeAudit(tx core.App, who *core.Record, action, collection, id, reason string) error {
	return hooks.WriteAuditReason(tx, who, action, collection, id, nil, reason)
}

// bindErasedRefusals keeps the values of a refused push about an erased
// record out of sync_conflicts: a phone offline since the erasure may still
// edit the person, or add a consent for them, and its refusal would store
// their values again. The refusal is kept (who, when, which mutation),
// without what was sent.
func bindErasedRefusals(app core.App) {
	app.OnRecordCreate(catalog.SyncConflicts).BindFunc(func(e *core.RecordEvent) error {
		erased := func(collection, id string) bool {
			var n int
			err := e.App.DB().Select("count(*)").From(catalog.AuditLog).
				Where(dbx.HashExp{"action": AuditErase, "collection_name": collection, "record_id": id}).Row(&n)
			return err == nil && n > 0
		}
		var sent map[string]any
		_ = json.Unmarshal([]byte(e.Record.GetString("yours")), &sent)
		person, _ := sent["returnee"].(string)
		if erased(e.Record.GetString("collection_name"), e.Record.GetString("record_id")) ||
			(person != "" && erased(catalog.Returnees, person)) {
			for _, f := range []string{"yours", "kept", "lost"} {
				e.Record.Set(f, nil)
			}
		}
		return e.Next()
	})
}
