package devicesync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// applyIsolated applies one mutation inside a savepoint of the push's
// transaction: a refused mutation is undone alone and recorded, and the
// mutations after it go on. A returned error is a fault of the store, which
// aborts the whole push.
func (p *plugin) applyIsolated(tx core.App, e *core.RequestEvent, done *outcomes, m Mutation) (Result, error) {
	if _, err := tx.DB().NewQuery("SAVEPOINT mutation").Execute(); err != nil {
		return Result{}, err
	}
	r, err := p.apply(tx, e, done, m)
	if err == nil && (r.Status == StatusApplied || r.Status == StatusMerged) {
		_, err = tx.DB().NewQuery("RELEASE mutation").Execute()
		return r, err
	}
	_, rbErr := tx.DB().NewQuery("ROLLBACK TO mutation; RELEASE mutation").Execute()
	txmemo.Forget(tx)
	if rbErr != nil {
		return Result{}, errors.Join(err, rbErr)
	}
	if err != nil {
		return Result{}, err
	}
	if (r.Status == StatusRejected || r.Status == StatusConflict) && !r.replayed {
		if err := p.recordRefusal(tx, e.Auth, done, m, r); err != nil {
			return Result{}, err
		}
		if mutationIDPattern.MatchString(m.MutationID) && !r.reused {
			done.remember(m, r)
		}
	}
	return r, nil
}

// apply runs one mutation: a replay answers from its earlier outcome; a
// malformed mutation or an unknown collection is rejected; otherwise the
// op's own step decides (create, update or delete), and PocketBase's record
// handler's answer becomes the result.
func (p *plugin) apply(tx core.App, e *core.RequestEvent, done *outcomes, m Mutation) (Result, error) {
	res := Result{MutationID: m.MutationID, RecordID: m.RecordID}
	if before, ok := done.lookup(m.MutationID); ok {
		return p.replay(tx, e, done, m, before)
	}
	if bad := checkShape(m); bad != nil {
		return res.rejected(bad), nil
	}
	cfg, ok := p.synced(m.Collection)
	if !ok {
		return res.rejected(&MutationError{Code: CodeUnknownCollection, Message: fmt.Sprintf("%q is not a synced collection.", m.Collection)}), nil
	}
	if m.Op != "create" && cfg.Immutable {
		return res.rejected(&MutationError{Code: CodeImmutable,
			Message: "Records of " + m.Collection + " cannot be changed: record a correcting entry instead."}), nil
	}

	m, err := done.aliases.resolve(tx, m)
	if err != nil {
		return res, err
	}
	res.RecordID = m.RecordID
	if m.Op == "create" {
		if cfg.Known != nil {
			known, refused, err := cfg.Known(tx, e.Auth, m)
			if err != nil || refused != nil {
				if refused != nil {
					res = res.rejected(refused)
				}
				return res, err
			}
			if known.ID != "" {
				return p.rebind(tx, e, done, cfg, m, known)
			}
		}
		rev, made, err := done.aliases.madeByRebind(tx, m)
		if err != nil {
			return res, err
		}
		if made {
			m.Op, m.BaseRev = "update", rev
		}
	}

	res.Status = StatusApplied // unless merged, or refused below
	var call restCall
	switch m.Op {
	case "create":
		call = p.create(m)
	default:
		current, refused, err := p.authorize(tx, e, m)
		if err != nil || refused != nil {
			if refused != nil {
				res.Status, res.Error = refused.status, refused.err
			}
			return res, err
		}
		if m.Op == "delete" {
			call = restCall{method: http.MethodDelete, url: recordsURL(m.Collection) + "/" + m.RecordID}
			break
		}
		send, conflicts, concurrent, err := p.merge(tx, cfg, current, m)
		if err != nil {
			return res, err
		}
		res.Conflicts = conflicts
		if concurrent {
			res.Status = StatusMerged
		}
		if len(send) == 0 {
			// nothing of the device's change survives the policy
			return p.keptServerValues(tx, e, done, m, res)
		}
		call = restCall{method: http.MethodPatch, url: recordsURL(m.Collection) + "/" + m.RecordID, body: send}
	}
	body, refused, err := callRecords(tx, e, call)
	if err != nil || refused != nil {
		if refused != nil {
			res.Conflicts = nil
			res = res.rejected(refused)
		}
		return res, err
	}
	if m.Op != "delete" && len(body) > 0 {
		res.Record = body
		var rev struct{ Rev int }
		if err := json.Unmarshal(body, &rev); err != nil {
			return res, fmt.Errorf("record handler answer: %w", err)
		}
		res.Rev = rev.Rev
	}
	if len(res.Conflicts) > 0 {
		if err := p.recordRefusal(tx, e.Auth, done, m, res); err != nil {
			return res, err
		}
	}
	done.remember(m, res)
	return res, nil
}

// restCall is one request to PocketBase's record handlers.
type restCall struct {
	method, url string
	body        map[string]any
}

func recordsURL(collection string) string { return "/api/collections/" + collection + "/records" }

// create is the request of a create mutation: its fields, with its id.
func (p *plugin) create(m Mutation) restCall {
	fields := make(map[string]any, len(m.Fields)+1)
	for k, v := range m.Fields {
		fields[k] = v
	}
	fields["id"] = m.RecordID
	return restCall{method: http.MethodPost, url: recordsURL(m.Collection), body: fields}
}

// replay answers a mutation id seen before without changing anything:
// applied, it answers duplicate with the record as it is now; refused, the
// same refusal. An id is bound to the user who first sent it and to its
// record: another user's replay, or a reuse for another change, learns
// nothing of what it did.
func (p *plugin) replay(tx core.App, e *core.RequestEvent, done *outcomes, m Mutation, before outcome) (Result, error) {
	res := Result{MutationID: m.MutationID, RecordID: m.RecordID}
	resolved, err := done.aliases.resolve(tx, m) // remembered with the server's id
	if err != nil {
		return res, err
	}
	if before.AuthID != done.authID || before.Collection != m.Collection ||
		(before.RecordID != m.RecordID && before.RecordID != resolved.RecordID) {
		res.reused = true // recorded, but not stored under the used id
		return res.rejected(&MutationError{Code: CodeValidation, Message: "This mutation_id was already used for another change.",
			Fields: map[string]string{"mutation_id": "Already used for another change: every change needs a new id."}}), nil
	}
	if before.Status == StatusRejected || before.Status == StatusConflict {
		var stored Result
		if json.Unmarshal([]byte(before.Result), &stored) == nil {
			stored.replayed = true
			return stored, nil
		}
	}
	res.Status, res.RecordID = StatusDuplicate, resolved.RecordID
	if a, ok := done.aliases.lookup(m.Collection, m.RecordID); ok && m.Op == "create" {
		// a rebound create: the record is the server's (rebind.go)
		res.Status, res.RecordID = StatusMerged, a.RecordID
	}
	res.Record, res.Rev, err = p.currentFor(tx, e, m.Collection, res.RecordID)
	return res, err
}

// keptServerValues answers an update of which the policy kept every
// clashing value of the server: nothing is written; the losing values are
// recorded.
func (p *plugin) keptServerValues(tx core.App, e *core.RequestEvent, done *outcomes, m Mutation, res Result) (Result, error) {
	var err error
	if res.Record, res.Rev, err = p.currentFor(tx, e, m.Collection, m.RecordID); err != nil {
		return res, err
	}
	if err := p.recordRefusal(tx, e.Auth, done, m, res); err != nil {
		return res, err
	}
	done.remember(m, res)
	return res, nil
}

// callRecords runs call through PocketBase's record handlers (callREST): a
// refusal of the handler is answered as the mutation's, with its field
// errors; an error is a fault of the store.
func callRecords(tx core.App, e *core.RequestEvent, call restCall) ([]byte, *MutationError, error) {
	status, body, err := callREST(tx, e, call.method, call.url, call.body)
	if err != nil {
		var apiErr *router.ApiError
		if !errors.As(err, &apiErr) {
			return nil, nil, err
		}
		return nil, refusalOf(apiErr), nil
	}
	if status >= 300 {
		return nil, &MutationError{Code: CodeValidation, Message: strings.TrimSpace(string(body))}, nil
	}
	return body, nil, nil
}

// rejected is r refused with err.
func (r Result) rejected(err *MutationError) Result {
	r.Status, r.Error = StatusRejected, err
	return r
}

// refusalOf turns a record handler's API error into a mutation's refusal,
// with its field errors.
func refusalOf(apiErr *router.ApiError) *MutationError {
	code := CodeValidation
	switch {
	case apiErr.Status == http.StatusNotFound:
		code = CodeNotFound
	case apiErr.Status == http.StatusForbidden, apiErr.Status == http.StatusUnauthorized:
		code = CodeForbidden
	case apiErr.Status == http.StatusBadRequest && len(apiErr.Data) == 0:
		code = CodeForbidden // the create rule refused it
	}
	fields, codes := map[string]string{}, map[string]string{}
	for k, v := range apiErr.Data {
		switch item := v.(type) {
		case router.SafeErrorItem:
			fields[k], codes[k] = item.Error(), item.Code()
		case map[string]any:
			fields[k], codes[k] = fmt.Sprint(item["message"]), fmt.Sprint(item["code"])
		default:
			fields[k] = fmt.Sprint(v)
		}
	}
	if len(codes) == 0 {
		codes = nil
	}
	return &MutationError{Code: code, Message: apiErr.Message, Fields: fields, FieldCodes: codes}
}

// currentFor is the record as the user's REST view would show it now, or
// nothing if they cannot see it.
func (p *plugin) currentFor(tx core.App, e *core.RequestEvent, collection, id string) (json.RawMessage, int, error) {
	col, err := tx.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, 0, err
	}
	// not e.RequestInfo(): the push has consumed the request body
	info := &core.RequestInfo{Auth: e.Auth, Context: core.RequestInfoContextDefault}
	records, err := visibleRecords(tx, info, col, []string{id})
	if err != nil || len(records) == 0 {
		return nil, 0, err
	}
	raw, err := json.Marshal(records[0])
	return raw, records[0].GetInt("rev"), err
}

// merge decides what of an update to send: fields the server did not change
// since base_rev go through; a field both sides changed to different values
// is resolved by the collection's policy and reported as a conflict.
func (p *plugin) merge(tx core.App, cfg Collection, current *core.Record, m Mutation) (map[string]any, []FieldConflict, bool, error) {
	send := map[string]any{}
	concurrent := current.GetInt("rev") != m.BaseRev
	serverChanged := map[string]bool{}
	everything := false
	if concurrent {
		var rows []struct {
			Fields string `db:"fields"`
		}
		err := tx.DB().Select("fields").From("_sync_log").
			Where(dbx.HashExp{"collection": m.Collection, "record_id": m.RecordID, "via": ""}).
			AndWhere(dbx.NewExp("rev > {:base}", dbx.Params{"base": m.BaseRev})).All(&rows)
		if err != nil {
			return nil, nil, false, err
		}
		// unless every revision after base_rev is in the log (older ones
		// may have been collected), assume every field changed
		var revs int
		err = tx.DB().Select("COUNT(DISTINCT rev)").From("_sync_log").
			Where(dbx.HashExp{"collection": m.Collection, "record_id": m.RecordID, "via": ""}).
			AndWhere(dbx.NewExp("rev > {:base}", dbx.Params{"base": m.BaseRev})).Row(&revs)
		if err != nil {
			return nil, nil, false, err
		}
		everything = revs < current.GetInt("rev")-m.BaseRev
		for _, r := range rows {
			var names []string
			if json.Unmarshal([]byte(r.Fields), &names) != nil {
				names = []string{unknownFields} // unreadable: assume every field changed
			}
			for _, n := range names {
				serverChanged[n] = true
			}
		}
		everything = everything || serverChanged[unknownFields] || m.BaseRev > current.GetInt("rev")
	}
	var conflicts []FieldConflict
	probe := current.Fresh()
	for name, yours := range m.Fields {
		probe.Set(name, yours)
		if recordwrite.SameValue(probe.GetRaw(name), current.GetRaw(name)) {
			// nothing to change, but still sent: the handler's checks see
			// the value as the device wrote it ("abc" for a number stored
			// as 0 is refused, not taken as 0), and a write that changes
			// nothing writes nothing
			send[name] = yours
			continue
		}
		if concurrent && (everything || serverChanged[name]) {
			c := FieldConflict{Field: name, Yours: yours, Kept: yours, lost: current.Get(name)}
			if cfg.Policy == ServerWins {
				c.Kept, c.lost = current.Get(name), yours
			}
			conflicts = append(conflicts, c)
			if cfg.Policy == ServerWins {
				continue
			}
		}
		send[name] = yours
	}
	return send, conflicts, concurrent, nil
}

var batchActions = func() map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for re := range apis.ValidBatchActions {
		out[re.String()] = re
	}
	return out
}()

// recordHandler finds PocketBase's own record handler for method and url
// among the batch API's actions (apis.ValidBatchActions), with the url's path
// parameters. The push relies on this PocketBase internal; a test
// (TestRecordHandlers_PocketBaseStillOffersThem) fails loudly if an upgrade
// changes it.
func recordHandler(method, url string) (apis.BatchActionHandlerFunc, map[string]string, bool) {
	full := method + " " + url
	for _, re := range batchActions {
		match := re.FindStringSubmatch(full)
		if match == nil || strings.HasPrefix(re.String(), "^PUT") {
			continue
		}
		params := map[string]string{}
		for i, name := range re.SubexpNames() {
			if name != "" && i < len(match) {
				params[name] = match[i]
			}
		}
		return apis.ValidBatchActions[re], params, true
	}
	return nil, nil, false
}

// callREST runs one record request through PocketBase's own REST handler on
// the push's transaction, as the batch API does: the same API rules, request
// hooks, validation and model hooks as any REST call of this user.
func callREST(tx core.App, e *core.RequestEvent, method, url string, body map[string]any) (int, []byte, error) {
	if action, params, ok := recordHandler(method, url); ok {
		ir := &core.InternalRequest{Method: method, URL: url, Body: body}
		handle := action(tx, ir, params, nil)

		payload, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r, err := http.NewRequestWithContext(e.Request.Context(), method, url, bytes.NewReader(payload))
		if err != nil {
			return 0, nil, err
		}
		for k, v := range params {
			r.SetPathValue(k, v)
		}
		r.RemoteAddr = e.Request.RemoteAddr
		r.Header = e.Request.Header.Clone()
		r.Header.Set("Content-Type", "application/json")

		event := &core.RequestEvent{}
		event.App = tx
		event.Auth = e.Auth
		event.Set(core.RequestEventKeyInfoContext, core.RequestInfoContextDefault)
		event.Request = r
		event.Request.Body = &router.RereadableReadCloser{ReadCloser: r.Body}
		rec := httptest.NewRecorder()
		event.Response = &router.ResponseWriter{ResponseWriter: rec}
		if err := handle(event); err != nil {
			return 0, nil, err
		}
		return rec.Code, rec.Body.Bytes(), nil
	}
	return 0, nil, fmt.Errorf("no record handler for %s %s", method, url)
}

// RefusalOf turns the validation errors of a record's save into a
// mutation's refusal, with its field errors; ok is false for any other
// error (a fault of the store).
func RefusalOf(err error) (refused *MutationError, ok bool) {
	var fieldErrs validation.Errors
	if !errors.As(err, &fieldErrs) {
		return nil, false
	}
	return refusalOf(router.NewBadRequestError("Failed to save the record.", fieldErrs)), true
}
