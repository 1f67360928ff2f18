package dedup

import (
	"fmt"
	"maps"
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// MergeResult is what a merge did.
type MergeResult struct {
	// Record is the kept person, as saved.
	Record *core.Record `json:"record"`
	// From is the id of the person merged into Record, now deleted.
	From string `json:"from"`
	// Moved counts, by collection, the records that now point at the kept
	// person instead of the other.
	Moved map[string]int `json:"moved"`
	// Removed counts the other person's records dropped because the kept
	// person had the same one (an enrollment in the same course, a
	// membership of the same group without ledger entries).
	Removed map[string]int `json:"removed"`
	// Filled lists the kept record's fields that were empty and now hold
	// the other's value (languages and needs are joined).
	Filled []string `json:"filled"`
	// AccountClosed tells that the other person's account was closed, not
	// moved, for want of an identity check: the person claims the kept
	// record again with a new claim code.
	AccountClosed bool `json:"account_closed"`
}

// MergeOptions are the staff member's statements that a merge acts on.
type MergeOptions struct {
	// IdentityVerified states that the staff member checked, with an
	// identity document, that the person holding the other record's account
	// is the kept person; only then does the account move (see account).
	IdentityVerified bool
	// IdentityNote says how identity was checked (kept in the audit log).
	IdentityNote string
}

// fillable are the fields the other record fills when they are empty on the
// kept one; joined are the multi-valued fields whose values are joined.
// Names, birth date, sex, reception point and destination state are always
// the kept record's: staff chose it.
var (
	fillable = []string{"second_surname", "curp", "birth_state", "destination_municipality",
		"repatriation_date", "phone", "sector_in_us", "years_in_us", "skills"}
	joined = []string{"languages", "needs"}
)

// Merge merges the returnee from into kept, in one transaction, acting for
// who (attached as the actor of every write, so that the audit log names
// them): every record that points at from is moved to kept, empty fields of
// kept are filled from from, from is deleted (devices receive its
// tombstone), their duplicate candidate pair is marked merged and the audit
// log records the merge. Refusals are validation.Errors on "from".
//
// The merge is authorised as a whole by the caller, so the moves are saved
// without the per-role validation of direct edits (a field worker may not
// edit memberships or returnee accounts, yet merging moves them); the kept
// record itself is saved with full validation.
func Merge(app core.App, who, kept, from *core.Record, opts MergeOptions) (*MergeResult, error) {
	if kept.Id == from.Id {
		return nil, validation.Errors{"from": validation.NewError("merge_self", "No se puede fusionar un registro consigo mismo.")}
	}
	res := &MergeResult{From: from.Id, Moved: map[string]int{}, Removed: map[string]int{}, Filled: []string{}}
	err := app.RunInTransaction(func(tx core.App) error {
		m := &merger{tx: tx, who: who, kept: kept.Id, from: from.Id, res: res, opts: opts}
		return m.run()
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

type merger struct {
	tx         core.App
	who        *core.Record
	kept, from string
	res        *MergeResult
	opts       MergeOptions
}

func (m *merger) run() error {
	kept, err := m.tx.FindRecordById(catalog.Returnees, m.kept)
	if err != nil {
		return fmt.Errorf("kept record: %w", err)
	}
	from, err := m.tx.FindRecordById(catalog.Returnees, m.from)
	if err != nil {
		return fmt.Errorf("merged record: %w", err)
	}
	score, reasons := Score(PersonOf(kept), PersonOf(from))
	values := fill(kept, from)

	steps := []func() error{m.account, m.enrollments, m.memberships, m.references, func() error { return m.pairs(score, reasons) }}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := hooks.WriteAudit(m.tx, m.who, "merge", from, []string{"merged_into:" + m.kept}); err != nil {
		return err
	}
	actor.Set(from, m.who)
	if err := m.tx.Delete(from); err != nil {
		return fmt.Errorf("delete merged record: %w", err)
	}

	// reload: moving consents and referrals saved kept's derived scope
	kept, err = m.tx.FindRecordById(catalog.Returnees, m.kept)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		kept.Set(name, values[name])
		m.res.Filled = append(m.res.Filled, name)
	}
	if len(values) > 0 {
		actor.Set(kept, m.who)
		if err := m.tx.Save(kept); err != nil {
			return err // field errors of the kept record, as a direct edit would get
		}
	}
	if err := refreshCandidates(m.tx, kept, false); err != nil {
		return err
	}
	if err := hooks.WriteAudit(m.tx, m.who, "merge", kept, append([]string{"merged_from:" + m.from}, m.res.Filled...)); err != nil {
		return err
	}
	m.res.Record, err = m.tx.FindRecordById(catalog.Returnees, m.kept)
	return err
}

// fill returns the values of from for the fields empty on kept.
func fill(kept, from *core.Record) map[string]any {
	values := map[string]any{}
	for _, name := range fillable {
		if name == "destination_municipality" && kept.GetString("destination_state") != from.GetString("destination_state") {
			continue // a municipality of another state
		}
		if recordwrite.IsZero(kept.GetRaw(name)) && !recordwrite.IsZero(from.GetRaw(name)) {
			values[name] = from.Get(name)
		}
	}
	// a CURP comes with the worker's confirmation that the document says so
	if _, ok := values["curp"]; ok && from.GetBool("curp_confirmed") {
		values["curp_confirmed"] = true
	}
	for _, name := range joined {
		have := kept.GetStringSlice(name)
		all := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(have), from.GetStringSlice(name)...))))
		if len(all) > len(have) {
			values[name] = all
		}
	}
	return values
}
