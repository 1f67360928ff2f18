package syncclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/retorno-mx/retorno/devicesync"
)

// PullReport says what a pull did.
type PullReport struct {
	// Pages counts the pull requests answered.
	Pages int
	// Puts, Deletes and Evicts count the changes applied.
	Puts, Deletes, Evicts int
	// Reset says the server reset the cursor: the local copy was dropped and
	// pulled again from the start.
	Reset bool
}

// Add adds the counts of o to r.
func (r *PullReport) Add(o PullReport) {
	r.Pages += o.Pages
	r.Puts += o.Puts
	r.Deletes += o.Deletes
	r.Evicts += o.Evicts
	r.Reset = r.Reset || o.Reset
}

// maxResets bounds how many resets one pull accepts before giving up.
const maxResets = 3

// Pull fetches the change log from the saved cursor until has_more is false,
// applying each page to the local copy before saving the page's cursor. On
// reset it drops the local copy of synced records (never the queue), clears
// the cursor and pulls from the start.
func (c *Client) Pull(ctx context.Context) (report PullReport, _ error) {
	if err := c.setUp(); err != nil {
		return report, err
	}
	defer c.lockSync()()

	cursor, err := c.Store.Cursor()
	if err != nil {
		return report, fmt.Errorf("pull: cursor: %w", err)
	}
	limit := c.PullLimit
	if limit <= 0 {
		limit = DefaultPullLimit
	}
	resets := 0
	for {
		q := url.Values{"client_id": {c.ClientID}, "limit": {strconv.Itoa(limit)}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page devicesync.PullResponse
		if err := c.call(ctx, http.MethodGet, "/api/sync/pull?"+q.Encode(), nil, &page); err != nil {
			return report, fmt.Errorf("pull: %w", err)
		}
		report.Pages++
		if page.Reset {
			if resets++; resets > maxResets {
				return report, fmt.Errorf("pull: the server reset the cursor %d times in a row", resets)
			}
			report.Reset = true
			if err := c.reset(); err != nil {
				return report, fmt.Errorf("pull: reset: %w", err)
			}
			cursor = ""
			continue
		}
		if err := c.applyPage(page, &report); err != nil {
			return report, fmt.Errorf("pull: %w", err)
		}
		if !page.HasMore {
			return report, nil
		}
		if page.Cursor == cursor && len(page.Changes) == 0 {
			return report, fmt.Errorf("pull: %w: has_more without progress", errBadAnswer)
		}
		cursor = page.Cursor
	}
}

// reset drops the local copy and the cursor, keeping the queue and problems.
func (c *Client) reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.Store.ClearRecords(); err != nil {
		return err
	}
	return c.Store.SetCursor("")
}

// applyPage applies a page's changes, then saves its cursor.
func (c *Client) applyPage(page devicesync.PullResponse, report *PullReport) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ch := range page.Changes {
		var err error
		switch ch.Op {
		case "put":
			report.Puts++
			err = c.putServer(ch.Collection, ch.RecordID, ch.Rev, ch.Record)
		case "delete":
			report.Deletes++
			err = c.Store.DeleteRecord(ch.Collection, ch.RecordID)
		case "evict":
			report.Evicts++
			err = c.Store.DeleteRecord(ch.Collection, ch.RecordID)
		default:
			err = fmt.Errorf("%w: unknown change op %q", errBadAnswer, ch.Op)
		}
		if err != nil {
			return fmt.Errorf("%s %s/%s: %w", ch.Op, ch.Collection, ch.RecordID, err)
		}
	}
	if err := c.Store.SetCursor(page.Cursor); err != nil {
		return fmt.Errorf("save cursor: %w", err)
	}
	return nil
}
