package devicesync

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"
)

// Forget removes the values of erased records from what the engine keeps
// about them, for the erasure of a person (package privacy), in the
// caller's transaction:
//
//   - the before-images of the change log: of the records named (records:
//     collection -> ids) and of any other row whose before-image mentions
//     needle (the person's id: a membership, a group's member list) keep
//     only the fields a list rule reads of them (their scope: relations,
//     flags, a status), so that a pull still tells every device that held
//     them to evict or delete them, and nothing else;
//   - the results kept of mutations of those records (values of clashes)
//     and every mutation, device and refusal count of authIDs (the erased
//     person's account);
//   - the aliases of those records (a registration rebound to the person),
//     whose device ids it returns, so that the caller drops what else names
//     them.
//
// Call it after the erasure's own writes: they add before-images too.
func Forget(app core.App, records map[string][]string, needle string, authIDs []string) (aliases []string, err error) {
	p, ok := app.Store().Get(storeKey).(*plugin)
	if !ok {
		return nil, errors.New("devicesync: not registered on this app")
	}
	var ids []string
	for _, named := range records {
		ids = append(ids, named...)
	}
	if err := p.scrubBefore(app, records, needle); err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		if err := app.DB().Select("device_id").From("_sync_aliases").
			Where(dbx.Or(dbx.In("record_id", list.ToInterfaceSlice(ids)...), dbx.In("device_id", list.ToInterfaceSlice(ids)...))).
			Column(&aliases); err != nil {
			return nil, fmt.Errorf("sync forget aliases: %w", err)
		}
		if _, err := app.NonconcurrentDB().Delete("_sync_aliases",
			dbx.Or(dbx.In("record_id", list.ToInterfaceSlice(ids)...), dbx.In("device_id", list.ToInterfaceSlice(ids)...))).Execute(); err != nil {
			return nil, fmt.Errorf("sync forget aliases: %w", err)
		}
	}
	if err := scrubOutcomes(app, append(ids, aliases...)); err != nil {
		return nil, err
	}
	if len(authIDs) > 0 {
		for _, table := range []string{"_sync_mutations", "_sync_clients", "_sync_dropped"} {
			if _, err := app.NonconcurrentDB().Delete(table, dbx.In("auth_id", list.ToInterfaceSlice(authIDs)...)).Execute(); err != nil {
				return nil, fmt.Errorf("sync forget %s: %w", table, err)
			}
		}
	}
	return aliases, nil
}

type logImage struct {
	Seq        int64  `db:"seq"`
	Collection string `db:"collection"`
	Via        string `db:"via"`
	Before     string `db:"before"`
}

// scrubBefore rewrites the before-images of the rows about records, and of
// the rows whose before-image holds needle, to their scope fields.
func (p *plugin) scrubBefore(app core.App, records map[string][]string, needle string) error {
	var rows []logImage
	where := []dbx.Expression{}
	for collection, ids := range records {
		if len(ids) > 0 {
			where = append(where, dbx.And(dbx.HashExp{"collection": collection}, dbx.In("record_id", list.ToInterfaceSlice(ids)...)))
		}
	}
	if needle != "" {
		where = append(where, dbx.NewExp("instr(before, {:needle}) > 0", dbx.Params{"needle": needle}))
	}
	if len(where) == 0 {
		return nil
	}
	err := app.DB().Select("seq", "collection", "via", "before").From("_sync_log").
		Where(dbx.NewExp("before IS NOT NULL")).AndWhere(dbx.Or(where...)).All(&rows)
	if err != nil {
		return fmt.Errorf("sync forget: %w", err)
	}
	keep := map[string][]string{}
	for _, r := range rows {
		ruleOf := r.Collection
		if r.Via != "" {
			ruleOf = r.Via // a touch row holds its parent's state
		}
		if _, ok := keep[ruleOf]; !ok {
			keep[ruleOf] = p.scopeFields(app, ruleOf)
		}
		var image map[string]any
		if err := json.Unmarshal([]byte(r.Before), &image); err != nil {
			return fmt.Errorf("sync forget %d: %w", r.Seq, err)
		}
		kept := map[string]any{}
		for _, f := range keep[ruleOf] {
			if v, ok := image[f]; ok {
				kept[f] = v
			}
		}
		b, _ := json.Marshal(kept)
		if _, err := app.NonconcurrentDB().Update("_sync_log", dbx.Params{"before": string(b)}, dbx.HashExp{"seq": r.Seq}).Execute(); err != nil {
			return fmt.Errorf("sync forget %d: %w", r.Seq, err)
		}
	}
	return nil
}

var ruleWord = regexp.MustCompile(`(^|[^@\w.:])([a-zA-Z_]\w*)`)

// scopeFields are the fields of collection that decide who lists its
// records: the id, the fields its list rule reads, and the fields of it
// that the list rules of other collections read through a relation.
func (p *plugin) scopeFields(app core.App, collection string) []string {
	out := []string{core.FieldNameId}
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return out
	}
	add := func(name string) {
		if col.Fields.GetByName(name) != nil && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if col.ListRule != nil {
		for _, m := range ruleWord.FindAllStringSubmatch(*col.ListRule, -1) {
			add(m[2])
		}
	}
	for _, d := range p.dependents(collection) {
		for _, f := range d.fields {
			add(f)
		}
	}
	return out
}

// scrubOutcomes drops the values (clashes) from the kept results of the
// mutations of the records ids.
func scrubOutcomes(app core.App, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ClientID   string `db:"client_id"`
		MutationID string `db:"mutation_id"`
		Result     string `db:"result"`
	}
	err := app.DB().Select("client_id", "mutation_id", "result").From("_sync_mutations").
		Where(dbx.In("record_id", list.ToInterfaceSlice(ids)...)).All(&rows)
	if err != nil {
		return fmt.Errorf("sync forget mutations: %w", err)
	}
	for _, r := range rows {
		var result Result
		if json.Unmarshal([]byte(r.Result), &result) != nil {
			result = Result{}
		}
		for i := range result.Conflicts {
			result.Conflicts[i].Yours, result.Conflicts[i].Kept = nil, nil
		}
		result.Record = nil
		b, _ := json.Marshal(result)
		if _, err := app.NonconcurrentDB().Update("_sync_mutations", dbx.Params{"result": string(b)},
			dbx.HashExp{"client_id": r.ClientID, "mutation_id": r.MutationID}).Execute(); err != nil {
			return fmt.Errorf("sync forget mutations: %w", err)
		}
	}
	return nil
}
