package syncclient

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// SyncReport says what a sync did, over all its attempts.
type SyncReport struct {
	// Push and Pull sum the pushes and pulls of every attempt.
	Push PushReport
	Pull PullReport
	// Attempts counts the tries; more than one means transient errors were
	// retried.
	Attempts int
}

// Sync pushes the queue, then pulls. After a pull that was reset with
// mutations still queued, it pushes and pulls once more. A transient error
// (see IsTransient) is retried up to MaxAttempts tries with exponential
// backoff and jitter; the last error is returned with what was done.
func (c *Client) Sync(ctx context.Context) (SyncReport, error) {
	var report SyncReport
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	delay := c.RetryDelay
	if delay <= 0 {
		delay = DefaultRetryDelay
	}
	for {
		report.Attempts++
		err := c.syncOnce(ctx, &report)
		if err == nil {
			return report, nil
		}
		if !IsTransient(err) || report.Attempts >= attempts {
			return report, fmt.Errorf("sync (attempt %d of %d): %w", report.Attempts, attempts, err)
		}
		wait := delay/2 + rand.N(delay/2+1) // jitter: spread the retries of many devices
		select {
		case <-ctx.Done():
			return report, fmt.Errorf("sync: %w (after: %v)", ctx.Err(), err)
		case <-time.After(wait):
		}
		delay = min(delay*2, MaxRetryDelay)
	}
}

func (c *Client) syncOnce(ctx context.Context, report *SyncReport) error {
	for round := 0; round < 2; round++ {
		push, err := c.Push(ctx)
		report.Push.Add(push)
		if err != nil {
			return err
		}
		pull, err := c.Pull(ctx)
		report.Pull.Add(pull)
		if err != nil {
			return err
		}
		if !pull.Reset {
			return nil
		}
		queue, err := c.Pending()
		if err != nil {
			return err
		}
		if len(queue) == 0 {
			return nil
		}
	}
	return nil
}
