package devicesync

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Bounds of what refusals one user can make the server store in the
// conflicts collection: a refusal costs its sender nothing, so without them a
// single account could fill the disk and the review queues (issue 10).
const (
	// DefaultMaxRefusalsPerHour is Config.MaxRefusalsPerHour's default: the
	// refusal records one user may add in an hour. A field worker's honest
	// day has a handful; past the budget, refusals are still answered to the
	// device (which keeps its own copy) but only counted on the server.
	DefaultMaxRefusalsPerHour = 200
	// MaxStoredValueRunes cuts each stored string value.
	MaxStoredValueRunes = 1000
	// MaxStoredItems cuts each stored list value.
	MaxStoredItems = 100
	// MaxStoredPayloadBytes bounds the stored fields of one refusal; a larger
	// payload keeps its field names only.
	MaxStoredPayloadBytes = 16 << 10
)

// admitRefusal reports whether one more refusal record of the push's user
// fits in their hourly budget, and counts one that does not. The user's
// records of the last hour are counted once per push.
func (o *outcomes) admitRefusal(tx core.App, collection string, perHour int) (bool, error) {
	if !o.refusalsCounted {
		since := time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
		err := tx.DB().Select("COUNT(*)").From(collection).
			Where(dbx.HashExp{"auth_id": o.authID}).
			AndWhere(dbx.NewExp("created >= {:since}", dbx.Params{"since": since})).Row(&o.refusals)
		if err != nil {
			return false, err
		}
		o.refusalsCounted = true
	}
	if o.refusals >= perHour {
		o.refusalsDropped++
		return false, nil
	}
	o.refusals++
	return true, nil
}

// flushDropped adds the refusals of this push that were not stored to the
// user's count of the hour (table _sync_dropped, collected with the log).
func (o *outcomes) flushDropped(tx core.App) error {
	if o.refusalsDropped == 0 {
		return nil
	}
	hour := time.Now().UTC().Format("2006-01-02 15:00")
	_, err := tx.DB().NewQuery("INSERT INTO _sync_dropped (auth_id, hour, count) VALUES ({:a}, {:h}, {:n}) " +
		"ON CONFLICT (auth_id, hour) DO UPDATE SET count = count + excluded.count").
		Bind(dbx.Params{"a": o.authID, "h": hour, "n": o.refusalsDropped}).Execute()
	if err != nil {
		return err
	}
	tx.Logger().Warn("sync: refusals over the hourly budget were counted, not stored",
		"auth_id", o.authID, "client_id", o.clientID, "dropped", o.refusalsDropped)
	o.refusalsDropped = 0
	return nil
}

// DroppedRefusals returns how many refusals of authID were counted but not
// stored since since (an hour's count is kept until the log's retention).
func DroppedRefusals(app core.App, authID string, since time.Time) (int, error) {
	var n int
	err := app.DB().Select("COALESCE(SUM(count), 0)").From("_sync_dropped").
		Where(dbx.HashExp{"auth_id": authID}).
		AndWhere(dbx.NewExp("hour >= {:h}", dbx.Params{"h": since.UTC().Format("2006-01-02 15:00")})).Row(&n)
	return n, err
}

// boundFields keeps of a mutation's fields only those of the target
// collection (none for an unknown one), each value cut; it returns how many
// names were dropped.
func boundFields(target *core.Collection, fields map[string]any) (map[string]any, int) {
	out := map[string]any{}
	dropped := 0
	for name, v := range fields {
		if target == nil || target.Fields.GetByName(name) == nil {
			dropped++
			continue
		}
		out[name] = boundValue(v)
	}
	if raw, _ := json.Marshal(out); len(raw) > MaxStoredPayloadBytes {
		for name := range out {
			out[name] = "(too long to keep)"
		}
	}
	return out, dropped
}

// boundValue cuts strings to MaxStoredValueRunes and lists to
// MaxStoredItems; an object is kept as its JSON text, cut.
func boundValue(v any) any {
	switch x := v.(type) {
	case string:
		return cut(x, MaxStoredValueRunes)
	case []any:
		if len(x) > MaxStoredItems {
			x = x[:MaxStoredItems]
		}
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = boundValue(item)
		}
		return out
	case map[string]any:
		raw, _ := json.Marshal(x)
		return cut(string(raw), MaxStoredValueRunes)
	}
	return v
}

// boundDetails is the field errors of a refusal, each with its stable code
// where the server has one ({"code", "message"}: clients word them in their
// own language), with a note of the fields that were not kept.
func boundDetails(e *MutationError, dropped int) map[string]any {
	type fieldError struct {
		Code    string `json:"code,omitempty"`
		Message string `json:"message"`
	}
	out := map[string]any{}
	for k, v := range e.Fields {
		if len(out) == MaxStoredItems {
			break
		}
		out[cut(k, 100)] = fieldError{Code: cut(e.FieldCodes[k], 100), Message: cut(v, MaxStoredValueRunes)}
	}
	if dropped > 0 {
		out["_not_kept"] = strconv.Itoa(dropped) + " field(s) that the collection does not have"
	}
	return out
}

// cut returns s cut to at most n runes, marked with an ellipsis when cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
