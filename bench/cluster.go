package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/retorno-mx/retorno/demo"
)

// clusterDay is the birth date the cluster phase piles people on: a 1
// January, as written for people who do not know their birth date, in the
// decade most returnees were born in.
const clusterDay = "1990-01-01"

// clusterPhase: pushes of registrations all born on clusterDay against
// pushes of registrations with distinct birth dates, alternated in halves,
// first as the day fills by Cluster people, then once the day holds
// ClusterDay people. Duplicate detection reads each registration's block;
// a search that read the whole day slowed down as the day filled.
func (b *bench) clusterPhase(ctx context.Context, rep *report) error {
	n := b.sz.Cluster
	section := fmt.Sprintf("cluster %d", n)
	onDay := func(*rand.Rand) time.Time { return time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC) }
	distinct := distinctDates()
	filter := fmt.Sprintf("birth_date = %q", clusterDay)

	timed := func(before int) (float64, float64, error) {
		spread, day, err := alternate(n, func(half, round int) (time.Duration, error) {
			return b.pushRegistrations(ctx, b.tij.token, fmt.Sprintf("bench-cluster-spread-%d-%d", before, round),
				b.registrations(half, b.tij.point, distinct))
		}, func(half, round int) (time.Duration, error) {
			return b.pushRegistrations(ctx, b.tij.token, fmt.Sprintf("bench-cluster-day-%d-%d", before, round),
				b.registrations(half, b.tij.point, onDay))
		})
		return float64(n) / spread.Seconds(), float64(n) / day.Seconds(), err
	}

	pairsBefore, err := b.srv.Count(ctx, b.su, "duplicate_candidates", "")
	if err != nil {
		return err
	}
	held, err := b.srv.Count(ctx, b.su, "returnees", filter)
	if err != nil {
		return err
	}
	spread, day, err := timed(held)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	pairs, err := b.srv.Count(ctx, b.su, "duplicate_candidates", "")
	if err != nil {
		return err
	}
	rep.add(figure{Section: section, Name: "push, distinct birth dates", Value: spread, Unit: "reg/s",
		Note: "dates drawn like the day's (demo.BirthDate), no two alike, none on 1 January"})
	rep.add(figure{Section: section, Name: "push, all born on " + clusterDay, Value: day, Unit: "reg/s",
		Note: fmt.Sprintf("the day held %d people, then %d; %d duplicate pairs recorded", held, held+n, pairs-pairsBefore)})
	r := day / spread
	rep.check(section, fmt.Sprintf("born on one day vs distinct dates (%d on the day)", held+n), r, "×", "≥ 0.7×", r >= 0.7, "")

	held += n
	if missing := b.sz.ClusterDay - held; missing > 0 {
		t0 := time.Now()
		b.srv.stop()
		if err := sqlLoad(b.srv.data(), missing, b.tij.point, b.tij.id, b.states, clusterDay, 0); err != nil {
			return err
		}
		if err := b.srv.serve(); err != nil {
			return err
		}
		b.logf("filled %s with %d people in %s", clusterDay, missing, time.Since(t0).Round(time.Millisecond))
	}
	if held, err = b.srv.Count(ctx, b.su, "returnees", filter); err != nil {
		return err
	}
	pairsBefore = pairs
	spread, day, err = timed(held)
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	if pairs, err = b.srv.Count(ctx, b.su, "duplicate_candidates", ""); err != nil {
		return err
	}
	rep.add(figure{Section: section, Name: "push, distinct birth dates", Value: spread, Unit: "reg/s"})
	rep.add(figure{Section: section, Name: fmt.Sprintf("push onto a day of %d people", held), Value: day, Unit: "reg/s",
		Note: fmt.Sprintf("filled by SQL (server stopped) to %d, then +%d pushed; %d duplicate pairs recorded", held, n, pairs-pairsBefore)})
	r = day / spread
	rep.check(section, fmt.Sprintf("a day of %d people vs distinct dates", held), r, "×", "≥ 0.5×", r >= 0.5, "")
	return nil
}

// distinctDates draws birth dates as demo.BirthDate does, but never on 1
// January and never twice.
func distinctDates() func(*rand.Rand) time.Time {
	seen := map[time.Time]bool{}
	return func(rng *rand.Rand) time.Time {
		for {
			d := demo.BirthDate(rng)
			if d.YearDay() != 1 && !seen[d] {
				seen[d] = true
				return d
			}
		}
	}
}
