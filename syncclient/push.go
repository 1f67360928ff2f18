package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
)

// PushReport says what a push did.
type PushReport struct {
	// Sent counts the mutations sent, in Batches requests.
	Sent    int
	Batches int
	// Applied, Duplicate, Merged, Conflict and Rejected count the results
	// by status.
	Applied, Duplicate, Merged, Conflict, Rejected int
	// Results are the server's answers, in order.
	Results []devicesync.Result
	// Problems are the mutations refused by this push (also kept in the
	// store: see Client.Problems).
	Problems []Problem
}

// Add adds the counts and lists of o to r.
func (r *PushReport) Add(o PushReport) {
	r.Sent += o.Sent
	r.Batches += o.Batches
	r.Applied += o.Applied
	r.Duplicate += o.Duplicate
	r.Merged += o.Merged
	r.Conflict += o.Conflict
	r.Rejected += o.Rejected
	r.Results = append(r.Results, o.Results...)
	r.Problems = append(r.Problems, o.Problems...)
}

// Push sends the queue in order, in batches of at most BatchSize mutations,
// until it is empty. On a 200 answer the batch leaves the queue: records of
// applied, merged and duplicate results replace the local copy; refused
// ones (rejected, conflict) become Problems. On any error the unconfirmed
// mutations stay queued, unchanged, and the error is returned: retrying is
// safe, since the server answers an applied mutation id with duplicate.
func (c *Client) Push(ctx context.Context) (report PushReport, _ error) {
	if err := c.setUp(); err != nil {
		return report, err
	}
	defer c.lockSync()()

	size := c.BatchSize
	if size <= 0 || size > devicesync.MaxMutations {
		size = DefaultBatchSize
	}
	for {
		batch, err := c.nextBatch(size)
		if err != nil {
			return report, fmt.Errorf("push: %w", err)
		}
		if len(batch) == 0 {
			return report, nil
		}
		req := devicesync.PushRequest{ClientID: c.ClientID, SchemaVersion: devicesync.SchemaVersion, Mutations: batch}
		var resp devicesync.PushResponse
		err = c.call(ctx, http.MethodPost, "/api/sync/push", req, &resp)
		var he *HTTPError
		if errors.As(err, &he) && he.Status == http.StatusRequestEntityTooLarge && len(batch) > 1 {
			size = len(batch) / 2 // too many bytes: smaller batches
			continue
		}
		if err != nil {
			return report, fmt.Errorf("push: %w", err)
		}
		if len(resp.Results) != len(batch) {
			return report, fmt.Errorf("push: %w: %d results for %d mutations", errBadAnswer, len(resp.Results), len(batch))
		}
		if err := c.fillRecords(ctx, batch, resp.Results); err != nil {
			return report, fmt.Errorf("push: %w", err)
		}
		report.Sent += len(batch)
		report.Batches++
		if err := c.settle(batch, resp.Results, &report); err != nil {
			return report, fmt.Errorf("push: %w", err)
		}
	}
}

// nextBatch takes the next mutations to send from the head of the queue and
// marks them sent. It stops before a second mutation of a record already in
// the batch: that one's base_rev comes from the answer to the first.
func (c *Client) nextBatch(size int) ([]devicesync.Mutation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	queue, err := c.Store.Queue()
	if err != nil {
		return nil, err
	}
	var batch []devicesync.Mutation
	inBatch := map[string]bool{}
	for _, p := range queue {
		key := p.Collection + "/" + p.RecordID
		if len(batch) == size || inBatch[key] {
			break
		}
		changed := !p.Sent
		if p.Chained {
			// what it waited for is settled: the local copy has the rev the
			// server answered (or none, if it was refused)
			rec, _, err := c.Store.Record(p.Collection, p.RecordID)
			if err != nil {
				return nil, err
			}
			p.BaseRev, p.Chained, changed = rec.Rev, false, true
		}
		if changed {
			p.Sent = true
			if err := c.Store.UpdatePending(p); err != nil {
				return nil, err
			}
		}
		inBatch[key] = true
		batch = append(batch, p.Mutation)
	}
	return batch, nil
}

// settle applies the answers of a batch to the local copy and takes the batch
// out of the queue, in that order.
func (c *Client) settle(batch []devicesync.Mutation, results []devicesync.Result, report *PushReport) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var problems []Problem
	done := make([]string, 0, len(batch))
	for i, m := range batch {
		r := results[i]
		if r.MutationID != m.MutationID {
			return fmt.Errorf("%w: result %d is for mutation %q, not %q", errBadAnswer, i, r.MutationID, m.MutationID)
		}
		report.Results = append(report.Results, r)
		switch r.Status {
		case devicesync.StatusApplied, devicesync.StatusMerged, devicesync.StatusDuplicate:
			switch r.Status {
			case devicesync.StatusApplied:
				report.Applied++
			case devicesync.StatusMerged:
				report.Merged++
			default:
				report.Duplicate++
			}
			var err error
			if len(r.Record) > 0 {
				err = c.putServer(m.Collection, m.RecordID, r.Rev, r.Record)
			} else if m.Op == "delete" {
				err = c.Store.DeleteRecord(m.Collection, m.RecordID)
			}
			if err != nil {
				return err
			}
		default: // conflict, rejected, or a status this client does not know
			if r.Status == devicesync.StatusConflict {
				report.Conflict++
			} else {
				report.Rejected++
			}
			problems = append(problems, Problem{Mutation: m, Result: r, At: time.Now().UTC()})
		}
		done = append(done, m.MutationID)
	}
	if len(problems) > 0 {
		if err := c.Store.AddProblems(problems...); err != nil {
			return err
		}
		report.Problems = append(report.Problems, problems...)
	}
	return c.Store.RemovePending(done...)
}

// putServer saves a server copy unless the store has a newer one; the caller
// holds c.mu.
func (c *Client) putServer(collection, id string, rev int, data json.RawMessage) error {
	if rev == 0 {
		var r struct {
			Rev int `json:"rev"`
		}
		_ = json.Unmarshal(data, &r)
		rev = r.Rev
	}
	old, ok, err := c.Store.Record(collection, id)
	if err != nil {
		return err
	}
	if ok && old.Rev > rev {
		return nil // an answer older than what a pull already brought
	}
	return c.Store.PutRecord(Record{Collection: collection, ID: id, Rev: rev, Data: data})
}

// fillRecords fetches, through the REST API, the record of each successful
// result that came without one (some servers answer duplicate without the
// current record): the local copy, and the base_rev of a mutation chained
// behind it, need the server's rev. It runs before the batch leaves the
// queue, so a failure leaves the queue as it was.
func (c *Client) fillRecords(ctx context.Context, batch []devicesync.Mutation, results []devicesync.Result) error {
	for i, r := range results {
		m := batch[i]
		if len(r.Record) > 0 || m.Op == "delete" || r.MutationID != m.MutationID {
			continue
		}
		switch r.Status {
		case devicesync.StatusApplied, devicesync.StatusMerged, devicesync.StatusDuplicate:
		default:
			continue
		}
		var raw json.RawMessage
		err := c.call(ctx, http.MethodGet, "/api/collections/"+url.PathEscape(m.Collection)+"/records/"+url.PathEscape(m.RecordID), nil, &raw)
		var he *HTTPError
		if errors.As(err, &he) && (he.Status == http.StatusNotFound || he.Status == http.StatusForbidden) {
			continue // no longer visible to the user: a pull will evict it
		}
		if err != nil {
			return fmt.Errorf("fetch %s/%s: %w", m.Collection, m.RecordID, err)
		}
		results[i].Record, results[i].Rev = raw, 0 // putServer reads the rev from the record
	}
	return nil
}
