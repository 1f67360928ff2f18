package devicesync

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/listrule"
)

// refusal is how an update or delete is answered without being applied.
type refusal struct {
	status string
	err    *MutationError
}

// Messages of the refusals that authorize gives.
const (
	msgNotFound = "The record does not exist or is not visible to you."
	msgDeleted  = "The record was deleted on the server; the change was kept for review."
	msgRule     = "You may see this record but not make this change."
)

// authorize decides whether the caller may make update or delete m, before
// anything about the stored record can shape the answer: the record is read
// through the collection's view rule for the caller, so one they may not see
// is answered exactly as one that does not exist (same status, code and
// message, and the same queries), whatever the mutation's fields or
// base_rev; then the update or delete rule decides, with the mutation's
// fields as the request body, as PocketBase's record API would. Only then may
// the merge compare the device's values with the stored ones.
//
// A record deleted on the server is a conflict (the change is kept for
// review) only if the caller could see it before it was deleted; otherwise it
// too does not exist. It returns the record, or the refusal to answer.
func (p *plugin) authorize(tx core.App, e *core.RequestEvent, m Mutation) (*core.Record, *refusal, error) {
	col, err := tx.FindCachedCollectionByNameOrId(m.Collection)
	if err != nil {
		return nil, nil, err
	}
	view := &core.RequestInfo{Auth: e.Auth, Context: core.RequestInfoContextDefault, Method: http.MethodGet,
		Query: map[string]string{}, Headers: map[string]string{}, Body: map[string]any{}}
	current, err := listrule.Find(tx, view, col, col.ViewRule, m.RecordID)
	if err != nil {
		return nil, nil, err
	}
	if current == nil {
		deleted, err := p.deletedInSight(tx, view, col, m.RecordID)
		if err != nil {
			return nil, nil, err
		}
		if deleted {
			return nil, &refusal{StatusConflict, &MutationError{Code: CodeNotFound, Message: msgDeleted}}, nil
		}
		return nil, &refusal{StatusRejected, &MutationError{Code: CodeNotFound, Message: msgNotFound}}, nil
	}

	act := *view
	act.Method, act.Body, act.Auth = http.MethodPatch, m.Fields, e.Auth
	rule := col.UpdateRule
	if m.Op == "delete" {
		act.Method, act.Body, rule = http.MethodDelete, map[string]any{}, col.DeleteRule
	}
	if act.Body == nil {
		act.Body = map[string]any{}
	}
	allowed, err := listrule.Find(tx, &act, col, rule, m.RecordID)
	if err != nil {
		return nil, nil, err
	}
	if allowed == nil {
		return nil, &refusal{StatusRejected, &MutationError{Code: CodeForbidden, Message: msgRule}}, nil
	}
	return current, nil, nil
}

// deletedInSight reports whether the record id of col was deleted on the
// server while info's auth could see it: the newest log row of the record is
// a delete whose before-image passes the list rule.
func (p *plugin) deletedInSight(tx core.App, info *core.RequestInfo, col *core.Collection, id string) (bool, error) {
	var last struct {
		Seq int64  `db:"seq"`
		Op  string `db:"op"`
	}
	err := tx.DB().Select("seq", "op").From("_sync_log").
		Where(dbx.HashExp{"collection": col.Name, "record_id": id}).
		OrderBy("seq DESC").Limit(1).One(&last)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && last.Op != opDelete) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	seen, err := visibleBefore(tx, info, col, []int64{last.Seq})
	return seen[last.Seq], err
}
