package devicesync

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// KnownFunc looks at a create that a user pushed and, when it describes a
// record the server already holds under another id, prepares the write on
// that record and answers its id, with the fields of the create to write on
// it. It answers a zero Known for a create of a new record, and a refusal
// when the create cannot be rebound. It runs inside the mutation's savepoint:
// what it writes is undone with a refusal.
type KnownFunc func(tx core.App, auth *core.Record, m Mutation) (Known, *MutationError, error)

// Known is the record a create describes: its id, and the create's fields to
// merge into it.
type Known struct {
	ID     string
	Fields map[string]any
}

// A rebound create is answered merged, with the record it was rebound to:
// its record_id is the server's id, which the device takes over from its
// own. Until then, the device's id stays an alias of the server's
// (_sync_aliases, kept for the retention period): the same push's and
// later pushes' mutations that name the device's id, as their record or in a
// relation field, are applied to the server's record, and a create of the
// device's id in another collection whose record the rebinding already made
// (the registration's return) updates it.

// aliases are the device ids of a push that are aliases, by collection.
type aliases struct {
	byKey map[string]alias // collection + "/" + device id
	ids   map[string]bool  // device ids, whatever their collection
}

type alias struct {
	Collection string `db:"collection"`
	DeviceID   string `db:"device_id"`
	RecordID   string `db:"record_id"`
	Rev        int    `db:"rev"`
}

// loadAliases reads the aliases among the ids that the push's mutations name.
func loadAliases(tx core.App, ms []Mutation) (*aliases, error) {
	a := &aliases{byKey: map[string]alias{}, ids: map[string]bool{}}
	var named []any
	seen := map[string]bool{}
	add := func(v any) {
		if s, ok := v.(string); ok && recordIDPattern.MatchString(s) && !seen[s] {
			seen[s] = true
			named = append(named, s)
		}
	}
	for _, m := range ms {
		add(m.RecordID)
		for _, v := range m.Fields {
			if list, ok := v.([]any); ok {
				for _, x := range list {
					add(x)
				}
				continue
			}
			add(v)
		}
	}
	for chunk := range slices.Chunk(named, 500) {
		var rows []alias
		err := tx.DB().Select("collection", "device_id", "record_id", "rev").From("_sync_aliases").
			Where(dbx.In("device_id", chunk...)).All(&rows)
		if err != nil {
			return nil, fmt.Errorf("sync aliases: %w", err)
		}
		for _, r := range rows {
			a.put(r)
		}
	}
	return a, nil
}

func (a *aliases) put(r alias) {
	a.byKey[r.Collection+"/"+r.DeviceID] = r
	a.ids[r.DeviceID] = true
}

// lookup returns the alias of id in collection, if any.
func (a *aliases) lookup(collection, id string) (alias, bool) {
	r, ok := a.byKey[collection+"/"+id]
	return r, ok
}

// add records that the device's id of a create now names record id at rev.
func (a *aliases) add(tx core.App, collection, deviceID, id string, rev int) error {
	_, err := tx.DB().NewQuery(`INSERT INTO _sync_aliases (collection, device_id, record_id, rev, at)
		VALUES ({:c}, {:d}, {:r}, {:rev}, {:at})
		ON CONFLICT (device_id, collection) DO UPDATE SET record_id = excluded.record_id, rev = excluded.rev, at = excluded.at`).
		Bind(dbx.Params{"c": collection, "d": deviceID, "r": id, "rev": rev, "at": nowText()}).Execute()
	if err == nil {
		a.put(alias{Collection: collection, DeviceID: deviceID, RecordID: id, Rev: rev})
	}
	return err
}

// resolve rewrites m to the server's ids: its record, if it is an alias (an
// update then bases on the revision the rebinding left), and each value of
// a relation field that is an alias in the relation's collection.
func (a *aliases) resolve(tx core.App, m Mutation) (Mutation, error) {
	if len(a.ids) == 0 {
		return m, nil
	}
	if r, ok := a.lookup(m.Collection, m.RecordID); ok && m.Op != "create" {
		m.RecordID = r.RecordID
		if m.BaseRev < r.Rev {
			m.BaseRev = r.Rev
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId(m.Collection)
	if err != nil {
		return m, nil // an unknown collection is refused later
	}
	var fields map[string]any
	for _, f := range col.Fields {
		rel, ok := f.(*core.RelationField)
		if !ok || m.Fields[f.GetName()] == nil {
			continue
		}
		target, err := tx.FindCachedCollectionByNameOrId(rel.CollectionId)
		if err != nil {
			return m, err
		}
		rewrite := func(v any) any {
			if s, ok := v.(string); ok {
				if r, ok := a.lookup(target.Name, s); ok {
					return r.RecordID
				}
			}
			return v
		}
		v := m.Fields[f.GetName()]
		var next any
		if list, ok := v.([]any); ok {
			out := make([]any, len(list))
			for i, x := range list {
				out[i] = rewrite(x)
			}
			next = out
		} else {
			next = rewrite(v)
		}
		if !recordwrite.SameValue(next, v) {
			if fields == nil {
				fields = make(map[string]any, len(m.Fields))
				for k, x := range m.Fields {
					fields[k] = x
				}
			}
			fields[f.GetName()] = next
		}
	}
	if fields != nil {
		m.Fields = fields
	}
	return m, nil
}

// madeByRebind reports whether a create is of a record that a rebinding
// already made under the device's id (the registration's return): it then
// updates that record, based on its current revision. It returns the
// revision.
func (a *aliases) madeByRebind(tx core.App, m Mutation) (int, bool, error) {
	if !a.ids[m.RecordID] {
		return 0, false, nil
	}
	if _, err := tx.FindCachedCollectionByNameOrId(m.Collection); err != nil {
		return 0, false, nil // an unknown collection is refused later
	}
	var rev int
	err := tx.DB().Select("rev").From(m.Collection).Where(dbx.HashExp{"id": m.RecordID}).Row(&rev)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, false, nil // none: an ordinary create
	case err != nil:
		return 0, false, fmt.Errorf("rebound create: %w", err)
	}
	return rev, true, nil
}

// rebind applies a create as a write on the record the server knows: the
// create's fields merge into it as an update whose device saw none of it,
// so that a value of the record's that the create would change is a
// conflict the collection's policy resolves; blank fields change nothing.
// The answer is merged, with the server's id and record.
func (p *plugin) rebind(tx core.App, e *core.RequestEvent, done *outcomes, cfg Collection, m Mutation, known Known) (Result, error) {
	res := Result{MutationID: m.MutationID, RecordID: known.ID, Status: StatusMerged}
	current, err := tx.FindRecordById(m.Collection, known.ID)
	if err != nil {
		return res, err
	}
	send := map[string]any{}
	probe := current.Fresh()
	for name, yours := range known.Fields {
		probe.Set(name, yours)
		mine := probe.GetRaw(name)
		if recordwrite.IsZero(mine) || recordwrite.SameValue(mine, current.GetRaw(name)) {
			continue
		}
		if recordwrite.IsZero(current.GetRaw(name)) {
			send[name] = yours
			continue
		}
		c := FieldConflict{Field: name, Yours: yours, Kept: yours, lost: current.Get(name)}
		if cfg.Policy == ServerWins {
			c.Kept, c.lost = current.Get(name), yours
		} else {
			send[name] = yours
		}
		res.Conflicts = append(res.Conflicts, c)
	}
	onRecord := m
	onRecord.RecordID = known.ID
	if len(send) > 0 {
		_, refused, err := callRecords(tx, e, restCall{method: http.MethodPatch, url: recordsURL(m.Collection) + "/" + known.ID, body: send})
		if err != nil || refused != nil {
			return Result{MutationID: m.MutationID, RecordID: m.RecordID}.rejected(refused), err
		}
	}
	if res.Record, res.Rev, err = p.currentFor(tx, e, m.Collection, known.ID); err != nil {
		return res, err
	}
	if err := done.aliases.add(tx, m.Collection, m.RecordID, known.ID, res.Rev); err != nil {
		return res, err
	}
	if len(res.Conflicts) > 0 {
		if err := p.recordRefusal(tx, e.Auth, done, onRecord, res); err != nil {
			return res, err
		}
	}
	done.remember(m, res)
	return res, nil
}
