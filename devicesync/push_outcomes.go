package devicesync

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// outcome is what an earlier push (or an earlier mutation of this one) did
// with a mutation id.
type outcome struct {
	MutationID string `db:"mutation_id"`
	Status     string `db:"status"`
	Result     string `db:"result"`
	Collection string `db:"collection"`
	RecordID   string `db:"record_id"`
	AuthID     string `db:"auth_id"`
}

// outcomes is the idempotency store of one push: the outcomes of its
// mutation ids read in one query before the first mutation, and the new
// ones written in a few multi-row inserts after the last, in the push's
// transaction (so they are durable together with the writes they describe).
type outcomes struct {
	clientID string
	authID   string
	known    map[string]outcome
	pending  []outcome
	// the device ids that the push names and the server knows under
	// another id (rebind.go)
	aliases *aliases

	// the user's refusal records of the last hour, once counted, and those
	// of this push that were over the budget (conflicts_bound.go)
	refusals, refusalsDropped int
	refusalsCounted           bool
}

// loadOutcomes reads what was done before with the push's mutation ids.
func loadOutcomes(tx core.App, clientID, authID string, ms []Mutation) (*outcomes, error) {
	o := &outcomes{clientID: clientID, authID: authID, known: make(map[string]outcome, len(ms))}
	ids := make([]any, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.MutationID)
	}
	var rows []outcome
	err := tx.DB().Select("mutation_id", "status", "result", "collection", "record_id", "auth_id").From("_sync_mutations").
		Where(dbx.HashExp{"client_id": clientID}).AndWhere(dbx.In("mutation_id", ids...)).All(&rows)
	for _, r := range rows {
		o.known[r.MutationID] = r
	}
	if err != nil {
		return nil, err
	}
	o.aliases, err = loadAliases(tx, ms)
	return o, err
}

// lookup returns the earlier outcome of id, if any.
func (o *outcomes) lookup(id string) (outcome, bool) {
	r, ok := o.known[id]
	return r, ok
}

// remember keeps a mutation's id and result, which makes a retry answer the
// same (duplicate for an applied one) and change nothing.
func (o *outcomes) remember(m Mutation, r Result) {
	result := r
	result.Record = nil // the record is read afresh for a duplicate
	raw, _ := json.Marshal(result)
	row := outcome{MutationID: m.MutationID, Status: r.Status, Result: string(raw), Collection: m.Collection, RecordID: m.RecordID, AuthID: o.authID}
	o.known[m.MutationID] = row
	o.pending = append(o.pending, row)
}

// flush writes the remembered outcomes, 100 rows a statement.
func (o *outcomes) flush(tx core.App) error {
	at := nowText()
	for start := 0; start < len(o.pending); start += 100 {
		chunk := o.pending[start:min(start+100, len(o.pending))]
		var sql strings.Builder
		sql.WriteString("INSERT INTO _sync_mutations (client_id, mutation_id, auth_id, status, collection, record_id, result, at) VALUES ")
		params := dbx.Params{"c": o.clientID, "a": o.authID, "at": at}
		for i, r := range chunk {
			if i > 0 {
				sql.WriteString(",")
			}
			n := strconv.Itoa(i)
			sql.WriteString("({:c},{:m" + n + "},{:a},{:s" + n + "},{:k" + n + "},{:r" + n + "},{:j" + n + "},{:at})")
			params["m"+n], params["s"+n], params["k"+n], params["r"+n], params["j"+n] = r.MutationID, r.Status, r.Collection, r.RecordID, r.Result
		}
		if _, err := tx.DB().NewQuery(sql.String()).Bind(params).Execute(); err != nil {
			return err
		}
	}
	o.pending = o.pending[:0]
	return o.flushDropped(tx)
}
