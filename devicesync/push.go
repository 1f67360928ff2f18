package devicesync

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Mutation is one offline write of a device.
type Mutation struct {
	MutationID string         `json:"mutation_id"`
	Collection string         `json:"collection"`
	RecordID   string         `json:"record_id"`
	Op         string         `json:"op"`
	BaseRev    int            `json:"base_rev"`
	Fields     map[string]any `json:"fields"`
	ClientTS   string         `json:"client_ts"`
}

// PushRequest is the body of POST /api/sync/push.
type PushRequest struct {
	ClientID      string     `json:"client_id"`
	SchemaVersion int        `json:"schema_version"`
	Mutations     []Mutation `json:"mutations"`
}

// Result statuses and error codes of a mutation.
const (
	StatusApplied   = "applied"
	StatusDuplicate = "duplicate"
	StatusMerged    = "merged"
	StatusConflict  = "conflict"
	StatusRejected  = "rejected"

	CodeValidation        = "validation_failed"
	CodeForbidden         = "forbidden"
	CodeNotFound          = "not_found"
	CodeImmutable         = "immutable"
	CodeUnknownCollection = "unknown_collection"
)

// FieldConflict is a field both sides changed since the device's base_rev.
type FieldConflict struct {
	Field string `json:"field"`
	Yours any    `json:"yours"`
	Kept  any    `json:"kept"`
	lost  any    // the value the policy overwrote or dropped, kept for review
}

// MutationError says why a mutation was rejected: a code, a message, and
// per field a message (Fields) and, where the server has one, a stable code
// (FieldCodes) that clients translate.
type MutationError struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	FieldCodes map[string]string `json:"field_codes,omitempty"`
}

// Result is the server's answer to one mutation.
type Result struct {
	MutationID string          `json:"mutation_id"`
	Status     string          `json:"status"`
	RecordID   string          `json:"record_id"`
	Rev        int             `json:"rev,omitzero"`
	Record     json.RawMessage `json:"record,omitempty"`
	Conflicts  []FieldConflict `json:"conflicts,omitempty"`
	Error      *MutationError  `json:"error,omitempty"`
	replayed   bool            // answered from the store of earlier results
	reused     bool            // its mutation_id was used before for another change
}

// PushResponse is the answer of POST /api/sync/push.
type PushResponse struct {
	Results []Result `json:"results"`
}

var (
	mutationIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)
	recordIDPattern   = regexp.MustCompile(`^[a-z0-9]{15}$`)
)

func (p *plugin) push(e *core.RequestEvent) error {
	release, err := take(e.Request.Context(), p.pushing)
	if err != nil {
		return err
	}
	defer release()
	body, err := io.ReadAll(http.MaxBytesReader(e.Response, e.Request.Body, MaxPushBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return e.Error(http.StatusRequestEntityTooLarge, fmt.Sprintf("A push may carry at most %d bytes.", MaxPushBytes), nil)
	}
	if err != nil {
		return e.BadRequestError("The request body could not be read.", err)
	}
	req, err := decodePush(body)
	if err != nil {
		if errors.Is(err, errTooMany) {
			return e.Error(http.StatusRequestEntityTooLarge, err.Error(), nil)
		}
		return e.BadRequestError(err.Error(), nil)
	}

	results := make([]Result, len(req.Mutations))
	err = e.App.RunInTransaction(func(tx core.App) error {
		done, err := loadOutcomes(tx, req.ClientID, e.Auth.Id, req.Mutations)
		if err != nil {
			return err
		}
		for i, m := range req.Mutations {
			r, err := p.applyIsolated(tx, e, done, m)
			if err != nil {
				return err
			}
			results[i] = r
		}
		return done.flush(tx)
	})
	if err != nil {
		return e.InternalServerError("The push could not be stored; nothing of it was applied. Retry it.", err)
	}
	return e.JSON(http.StatusOK, PushResponse{Results: results})
}

var errTooMany = fmt.Errorf("A push may carry at most %d mutations.", MaxMutations)

// decodePush parses and checks a push body: any problem with the request as a
// whole is an error (a 400); problems of one mutation are left to its result.
func decodePush(body []byte) (*PushRequest, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	req := &PushRequest{}
	if err := dec.Decode(req); err != nil {
		return nil, fmt.Errorf("The body is not a valid push: %v.", strings.TrimPrefix(err.Error(), "json: "))
	}
	// dec.More() misses a stray closing } or ]: only the end may follow
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("The body must hold one JSON object.")
	}
	if !clientIDPattern.MatchString(req.ClientID) {
		return nil, errors.New("client_id is required: 8-64 characters of A-Z, a-z, 0-9, _ and -.")
	}
	if req.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("schema_version %d is not supported; this server speaks %d.", req.SchemaVersion, SchemaVersion)
	}
	if len(req.Mutations) > MaxMutations {
		return nil, errTooMany
	}
	return req, nil
}

// checkShape reports what is wrong with a mutation before it reaches a
// collection, or nil.
func checkShape(m Mutation) *MutationError {
	fields := map[string]string{}
	if !mutationIDPattern.MatchString(m.MutationID) {
		fields["mutation_id"] = "Must be 8-64 characters of A-Z, a-z, 0-9, _ and -."
	}
	if !recordIDPattern.MatchString(m.RecordID) {
		fields["record_id"] = "Must be 15 characters of a-z and 0-9."
	}
	switch m.Op {
	case "create", "update", "delete":
	default:
		fields["op"] = "Must be create, update or delete."
	}
	if m.BaseRev < 0 {
		fields["base_rev"] = "Must not be negative."
	}
	for name := range m.Fields {
		if name == "id" || name == "rev" || name == "created" || name == "updated" {
			fields["fields."+name] = "Is set by the server."
		}
	}
	if len(fields) > 0 {
		return &MutationError{Code: CodeValidation, Message: "The mutation is malformed.", Fields: fields}
	}
	return nil
}
