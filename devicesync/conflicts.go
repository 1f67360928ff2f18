package devicesync

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
)

// recordRefusal keeps what a push could not apply as sent, so that nothing a
// device wrote vanishes: the losing value of each merged field, a change to a
// record deleted on the server, or a rejected mutation with its reason. What
// one user can make the server store this way is bounded (conflicts_bound.go):
// past the hourly budget a refusal is counted, not stored; a stored payload
// keeps only the collection's own fields, with cut values.
func (p *plugin) recordRefusal(tx core.App, auth *core.Record, done *outcomes, m Mutation, r Result) error {
	col, err := tx.FindCachedCollectionByNameOrId(p.config.ConflictsCollection)
	if err != nil {
		return err
	}
	target, _ := tx.FindCachedCollectionByNameOrId(m.Collection) // nil for an unknown collection
	yours, dropped := boundFields(target, m.Fields)
	base := func(kind string) *core.Record {
		rec := core.NewRecord(col)
		rec.Set("kind", kind)
		rec.Set("client_id", done.clientID)
		rec.Set("mutation_id", cut(m.MutationID, 64))
		rec.Set("auth_collection", auth.Collection().Name)
		rec.Set("auth_id", auth.Id)
		rec.Set("collection_name", cut(m.Collection, 100))
		rec.Set("record_id", cut(m.RecordID, 50))
		rec.Set("op", cut(m.Op, 10))
		rec.Set("base_rev", m.BaseRev)
		return rec
	}
	var records []*core.Record
	switch {
	case r.Status == StatusRejected:
		rec := base("rejected")
		rec.Set("code", r.Error.Code)
		rec.Set("message", cut(r.Error.Message, 1000))
		rec.Set("yours", mustJSON(yours))
		rec.Set("details", mustJSON(boundDetails(r.Error, dropped)))
		records = append(records, rec)
	case r.Status == StatusConflict:
		rec := base("deleted_on_server")
		rec.Set("code", r.Error.Code)
		rec.Set("message", r.Error.Message)
		rec.Set("yours", mustJSON(yours))
		records = append(records, rec)
	default:
		for _, c := range r.Conflicts {
			rec := base("field_conflict")
			rec.Set("field", c.Field)
			rec.Set("yours", mustJSON(boundValue(c.Yours)))
			rec.Set("kept", mustJSON(boundValue(c.Kept)))
			rec.Set("lost", mustJSON(boundValue(c.lost)))
			rec.Set("policy", string(p.collections[m.Collection].Policy))
			records = append(records, rec)
		}
	}
	for _, rec := range records {
		admitted, err := done.admitRefusal(tx, p.config.ConflictsCollection, p.config.MaxRefusalsPerHour)
		if err != nil || !admitted {
			return err
		}
		if err := tx.SaveNoValidate(rec); err != nil {
			return err
		}
	}
	return nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}
