package dedup

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/dbutils"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
)

// The better of two statuses of the same enrollment or membership is kept.
var (
	enrollmentRank = map[string]int{"dropped": 1, "requested": 2, "waitlisted": 3, "enrolled": 4, "completed": 5}
	membershipRank = map[string]int{"left": 1, "requested": 2, "active": 3}
)

// account moves the other person's returnee account, if they have one, only
// after an explicit identity check: whoever claimed the other record's
// account may be someone else with the same name and birth date, and a merge
// must not hand them the kept person's record. With the check (the staff
// member saw an identity document and says so in a note) the account moves
// and the audit log keeps who checked and why; without it the account is
// closed and its sessions end, and the person claims the kept record again
// with a claim code. Two accounts are refused: each is someone's login, and
// choosing which to close is a decision for an administrator.
func (m *merger) account() error {
	theirs, err := m.first("returnee_accounts", dbx.HashExp{"returnee": m.from})
	if err != nil || theirs == nil {
		return err
	}
	ours, err := m.first("returnee_accounts", dbx.HashExp{"returnee": m.kept})
	if err != nil {
		return err
	}
	if ours != nil {
		return refusal("accounts_conflict", "Las dos personas tienen su propia cuenta de acceso: un administrador debe dar de baja una de ellas antes de fusionar.")
	}
	if !m.opts.IdentityVerified {
		m.res.AccountClosed = true
		return m.remove(theirs)
	}
	theirs.Set("returnee", m.kept)
	if err := m.move(theirs); err != nil {
		return err
	}
	return hooks.WriteAudit(m.tx, m.who, "merge", theirs,
		[]string{"returnee", "identity_verified", "identity_note:" + m.opts.IdentityNote})
}

// enrollments moves the other person's enrollments; in a course where both
// are enrolled (one seat each), the one with the better status stays and the
// other is deleted, which frees its seat.
func (m *merger) enrollments() error {
	return m.eachShared(catalog.Enrollments, "course", func(e, ours *core.Record) error {
		if ours != nil && enrollmentRank[e.GetString("status")] <= enrollmentRank[ours.GetString("status")] {
			return m.remove(e)
		}
		if ours != nil {
			if err := m.remove(ours); err != nil {
				return err
			}
		}
		e.Set("returnee", m.kept)
		return m.move(e)
	})
}

// memberships moves the other person's savings-group and cooperative
// memberships; ledger entries point at a group membership, so they follow it
// unchanged (entries are immutable). Where both people are members of one
// group or cooperative (one membership per person there), the membership
// with ledger entries stays, else the one with the better status, with the
// better status and a role if either had one, and the other, which has no
// entries, is deleted. If both have entries the merge is refused: the
// entries of one membership cannot be moved to another without rewriting
// them.
func (m *merger) memberships() error {
	if err := m.membershipsOf(catalog.GroupMembers, "group"); err != nil {
		return err
	}
	return m.membershipsOf(catalog.CooperativeMembers, "cooperative")
}

// membershipsOf is memberships for the collection of memberships whose
// relation key names the group or cooperative.
func (m *merger) membershipsOf(collection, key string) error {
	return m.eachShared(collection, key, func(mm, ours *core.Record) error {
		if ours == nil {
			mm.Set("returnee", m.kept)
			return m.move(mm)
		}
		theirEntries, err := m.entries(mm.Id)
		if err != nil {
			return err
		}
		ourEntries, err := m.entries(ours.Id)
		if err != nil {
			return err
		}
		if theirEntries > 0 && ourEntries > 0 {
			return refusal("ledger_conflict", "Las dos personas tienen movimientos en el mismo grupo de ahorro: "+
				"los movimientos no se pueden reasignar. Consulta con el NODESS del grupo antes de fusionar.")
		}
		keep, drop := ours, mm
		if theirEntries > 0 || (ourEntries == 0 && membershipRank[mm.GetString("status")] > membershipRank[ours.GetString("status")]) {
			keep, drop = mm, ours
		}
		status := keep.GetString("status")
		if membershipRank[drop.GetString("status")] > membershipRank[status] {
			status = drop.GetString("status")
		}
		role := keep.GetString("role")
		if role == "" || role == "member" {
			role = drop.GetString("role")
		}
		if err := m.remove(drop); err != nil {
			return err
		}
		keep.Set("returnee", m.kept)
		keep.Set("status", status)
		keep.Set("role", role)
		if keep == mm {
			return m.move(keep)
		}
		return m.save(keep)
	})
}

// eachShared calls f with each record of the other person in collection and
// the kept person's record of the same key (a course, a group), nil if they
// have none: the collection holds one record per person and key.
func (m *merger) eachShared(collection, key string, f func(theirs, ours *core.Record) error) error {
	theirs, err := m.tx.FindAllRecords(collection, dbx.HashExp{"returnee": m.from})
	if err != nil {
		return err
	}
	for _, t := range theirs {
		ours, err := m.first(collection, dbx.HashExp{"returnee": m.kept, key: t.GetString(key)})
		if err != nil {
			return err
		}
		if err := f(t, ours); err != nil {
			return err
		}
	}
	return nil
}

// references re-points every record of the collections whose merge step is
// catalog.MergeRepoint (consents, referrals, case notes, and those of any
// collection added later with that step) at the kept person. A collection
// with a relation to returnees that the catalog does not describe refuses
// the merge: what a merge should do with it is a decision, not a default.
func (m *merger) references() error {
	col, err := m.tx.FindCachedCollectionByNameOrId(catalog.Returnees)
	if err != nil {
		return err
	}
	refs, err := m.tx.FindCachedCollectionReferences(col)
	if err != nil {
		return err
	}
	cols := make([]*core.Collection, 0, len(refs))
	for c := range refs {
		if c.IsView() {
			continue
		}
		entry, _ := catalog.Lookup(c.Name)
		switch entry.Merge {
		case catalog.MergeRepoint:
			cols = append(cols, c)
		case catalog.NotAboutPeople:
			return fmt.Errorf("merge: collection %s points at returnees and the catalog has no merge step for it", c.Name)
		}
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].Name < cols[j].Name })
	for _, c := range cols {
		for _, f := range refs[c] {
			rel, ok := f.(*core.RelationField)
			if !ok {
				continue
			}
			var where dbx.Expression = dbx.HashExp{rel.Name: m.from}
			if rel.IsMultiple() {
				where = dbx.Exists(dbx.NewExp(fmt.Sprintf("SELECT 1 FROM %s {{__je__}} WHERE [[__je__.value]] = {:from}",
					dbutils.JSONEach(c.Name+"."+rel.Name)), dbx.Params{"from": m.from}))
			}
			records, err := m.tx.FindAllRecords(c, where)
			if err != nil {
				return err
			}
			for _, r := range records {
				if rel.IsMultiple() {
					ids := r.GetStringSlice(rel.Name)
					for i, id := range ids {
						if id == m.from {
							ids[i] = m.kept
						}
					}
					slices.Sort(ids)
					r.Set(rel.Name, slices.Compact(ids))
				} else {
					r.Set(rel.Name, m.kept)
				}
				if err := m.move(r); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// move saves a record re-pointed to the kept person and counts it.
func (m *merger) move(r *core.Record) error {
	if err := m.save(r); err != nil {
		return err
	}
	m.res.Moved[r.Collection().Name]++
	return nil
}

// save writes r for the merge's actor, without the checks of a direct edit;
// a unique index that refuses it becomes a refusal of the merge.
func (m *merger) save(r *core.Record) error {
	actor.Set(r, m.who)
	err := m.tx.SaveNoValidate(r)
	var errs validation.Errors
	if errors.As(err, &errs) {
		return refusal("merge_conflict", fmt.Sprintf("No se pudo pasar %s %s a la persona que se conserva: %v", r.Collection().Name, r.Id, errs))
	}
	return err
}

// remove deletes a record of one person that the other already has.
func (m *merger) remove(r *core.Record) error {
	actor.Set(r, m.who)
	if err := m.tx.Delete(r); err != nil {
		return err
	}
	m.res.Removed[r.Collection().Name]++
	return nil
}

func (m *merger) entries(member string) (int, error) {
	var n int
	err := m.tx.DB().Select("count(*)").From("ledger_entries").Where(dbx.HashExp{"member": member}).Row(&n)
	return n, err
}

// first returns the first record of collection matching where, or nil.
func (m *merger) first(collection string, where dbx.Expression) (*core.Record, error) {
	found, err := m.tx.FindAllRecords(collection, where)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

func refusal(code, message string) error {
	return validation.Errors{"from": validation.NewError(code, message)}
}
