package devicesync

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
)

// recordRefusal keeps what a push could not apply as sent, so that nothing a
// device wrote vanishes: the losing value of each merged field, a change to a
// record deleted on the server, or a rejected mutation with its reason.
func (p *plugin) recordRefusal(tx core.App, auth *core.Record, clientID string, m Mutation, r Result) error {
	col, err := tx.FindCachedCollectionByNameOrId(p.config.ConflictsCollection)
	if err != nil {
		return err
	}
	base := func(kind string) *core.Record {
		rec := core.NewRecord(col)
		rec.Set("kind", kind)
		rec.Set("client_id", clientID)
		rec.Set("mutation_id", m.MutationID)
		rec.Set("auth_collection", auth.Collection().Name)
		rec.Set("auth_id", auth.Id)
		rec.Set("collection_name", m.Collection)
		rec.Set("record_id", m.RecordID)
		rec.Set("op", m.Op)
		rec.Set("base_rev", m.BaseRev)
		return rec
	}
	var records []*core.Record
	switch {
	case r.Status == StatusRejected:
		rec := base("rejected")
		rec.Set("code", r.Error.Code)
		rec.Set("message", r.Error.Message)
		rec.Set("yours", mustJSON(m.Fields))
		rec.Set("details", mustJSON(r.Error.Fields))
		records = append(records, rec)
	case r.Status == StatusConflict:
		rec := base("deleted_on_server")
		rec.Set("code", r.Error.Code)
		rec.Set("message", r.Error.Message)
		rec.Set("yours", mustJSON(m.Fields))
		records = append(records, rec)
	default:
		for _, c := range r.Conflicts {
			rec := base("field_conflict")
			rec.Set("field", c.Field)
			rec.Set("yours", mustJSON(c.Yours))
			rec.Set("kept", mustJSON(c.Kept))
			rec.Set("lost", mustJSON(c.lost))
			rec.Set("policy", string(p.collections[m.Collection].Policy))
			records = append(records, rec)
		}
	}
	for _, rec := range records {
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
