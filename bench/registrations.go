package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/retorno-mx/retorno/demo"
	"github.com/retorno-mx/retorno/devicesync"
)

// registrations draws n registrations at point as the field app sends them
// (demo.Register: the person with a claim code, their return, their
// consents); born, if set, draws their birth dates (default: clustered, as
// registers are, demo.BirthDate).
func (b *bench) registrations(n int, point string, born func(*rand.Rand) time.Time) []demo.Registered {
	spec := demo.RegistrationSpec{Point: point, States: b.refs, RepatriationDate: "2026-11-20", Born: born}
	out := make([]demo.Registered, n)
	for i := range out {
		out[i] = demo.Register(b.rng, spec)
	}
	return out
}

// withoutClaimCodes is regs without their claim codes.
func withoutClaimCodes(regs []demo.Registered) []demo.Registered {
	out := make([]demo.Registered, len(regs))
	for i, r := range regs {
		out[i] = r.WithoutClaimCode()
	}
	return out
}

// creates lists the records of regs, in the order a device queues them.
func creates(regs []demo.Registered) []demo.Create {
	var out []demo.Create
	for _, r := range regs {
		out = append(out, r.Records...)
	}
	return out
}

// shape says what n registrations hold: "1000 registrations: 4512 records
// (1000 people with a claim code, 1000 returns, 2512 consents)".
func shape(regs []demo.Registered) string {
	consents, codes := 0, 0
	for _, r := range regs {
		consents += r.Consents
		if _, ok := r.Person()["claim_hash"]; ok {
			codes++
		}
	}
	return fmt.Sprintf("%d registrations: %d records (%d people, %d with a claim code; %d returns; %d consents)",
		len(regs), len(creates(regs)), len(regs), codes, len(regs), consents)
}

// pushRegistrations pushes regs as one device would, in requests of
// devicesync.MaxMutations mutations, and returns the time it took.
func (b *bench) pushRegistrations(ctx context.Context, token, clientID string, regs []demo.Registered) (time.Duration, error) {
	var ms []devicesync.Mutation
	for _, c := range creates(regs) {
		b.seq++
		ms = append(ms, devicesync.Mutation{MutationID: fmt.Sprintf("bench-%010d", b.seq), Collection: c.Collection,
			RecordID: c.ID, Op: "create", Fields: c.Fields, ClientTS: "2026-11-27T10:00:00Z"})
	}
	t0 := time.Now()
	err := b.syncPush(ctx, token, clientID, ms, devicesync.MaxMutations)
	return time.Since(t0), err
}

// restCreate sends each record of regs as one REST create, in order.
func (b *bench) restCreate(ctx context.Context, token string, regs []demo.Registered) (time.Duration, error) {
	t0 := time.Now()
	for _, c := range creates(regs) {
		if err := b.srv.Call(ctx, http.MethodPost, "/api/collections/"+c.Collection+"/records", token, maps(c.Fields, "id", c.ID), nil); err != nil {
			return 0, fmt.Errorf("REST create: %w", err)
		}
	}
	return time.Since(t0), nil
}

// batchCreate sends the records of regs to /api/batch, 50 creates a request.
func (b *bench) batchCreate(ctx context.Context, token string, regs []demo.Registered) (time.Duration, error) {
	all := creates(regs)
	t0 := time.Now()
	for start := 0; start < len(all); start += 50 {
		var reqs []map[string]any
		for _, c := range all[start:min(start+50, len(all))] {
			reqs = append(reqs, map[string]any{"method": "POST", "url": "/api/collections/" + c.Collection + "/records",
				"body": maps(c.Fields, "id", c.ID)})
		}
		if err := b.srv.Call(ctx, http.MethodPost, "/api/batch", token, map[string]any{"requests": reqs}, nil); err != nil {
			return 0, fmt.Errorf("batch: %w", err)
		}
	}
	return time.Since(t0), nil
}

// alternate times two kinds of push on the same machine at the same
// moment: halves of n each, a first then b, then b then a, so that the
// database's growth and the machine's load weigh on both alike. It returns
// the total time of each.
func alternate(n int, a, b func(n int, round int) (time.Duration, error)) (time.Duration, time.Duration, error) {
	var da, db time.Duration
	for round, half := range []int{n / 2, n - n/2} {
		first, second := a, b
		if round == 1 {
			first, second = b, a
		}
		d1, err := first(half, round)
		if err != nil {
			return 0, 0, err
		}
		d2, err := second(half, round)
		if err != nil {
			return 0, 0, err
		}
		if round == 1 {
			d1, d2 = d2, d1
		}
		da, db = da+d1, db+d2
	}
	return da, db, nil
}
