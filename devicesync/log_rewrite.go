package devicesync

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// RewriteBefore rewrites the earlier states the change log keeps of record
// id of collection: the before-images of its own rows and of the touch rows
// whose parent it is. rewrite changes one state in place and reports whether
// it changed anything. Go code that takes personal data out of a record (a
// withdrawn consent, an erasure) calls it in the same transaction, so that no
// earlier state keeps what the record no longer holds. A pull judges
// evictions by the fields of list rules: rewrite must leave those alone.
func RewriteBefore(app core.App, collection, id string, rewrite func(before map[string]any) bool) error {
	var rows []struct {
		Seq    int64  `db:"seq"`
		Before string `db:"before"`
	}
	err := app.DB().Select("seq", "before").From("_sync_log").
		Where(dbx.NewExp("(collection = {:c} AND record_id = {:id} AND before IS NOT NULL) OR "+
			"(via != '' AND via = {:c} AND json_extract(before, '$.id') = {:id})", dbx.Params{"c": collection, "id": id})).
		All(&rows)
	if err != nil {
		return fmt.Errorf("rewrite before-images of %s/%s: %w", collection, id, err)
	}
	for _, r := range rows {
		var before map[string]any
		if err := json.Unmarshal([]byte(r.Before), &before); err != nil || !rewrite(before) {
			continue
		}
		raw, err := json.Marshal(before)
		if err != nil {
			return err
		}
		_, err = app.NonconcurrentDB().Update("_sync_log", dbx.Params{"before": string(raw)}, dbx.HashExp{"seq": r.Seq}).Execute()
		if err != nil {
			return fmt.Errorf("rewrite before-image %d: %w", r.Seq, err)
		}
	}
	return nil
}
