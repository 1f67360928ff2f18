package demo

import (
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// weighted draws items in proportion to their weights.
type weighted[T any] struct {
	items []T
	cum   []int // cum[i] is the sum of the weights of items[0..i]
}

func newWeighted[T any](items []T, weight func(T) int) *weighted[T] {
	w := &weighted[T]{}
	total := 0
	for _, it := range items {
		if n := weight(it); n > 0 {
			total += n
			w.items = append(w.items, it)
			w.cum = append(w.cum, total)
		}
	}
	return w
}

// weightedKeys draws the keys of m in proportion to their values; keys are
// sorted first, as map order is random.
func weightedKeys(m map[string]int) *weighted[string] {
	return newWeighted(slices.Sorted(maps.Keys(m)), func(k string) int { return m[k] })
}

func (w *weighted[T]) draw(s *seeder) T { return w.drawWith(s.rng) }

func (w *weighted[T]) drawWith(rng *rand.Rand) T {
	x := rng.IntN(w.cum[len(w.cum)-1])
	return w.items[sort.SearchInts(w.cum, x+1)]
}

// sample returns up to k distinct elements of list in random order.
func sample[T any](s *seeder, list []T, k int) []T {
	out := slices.Clone(list)
	k = min(k, len(out))
	for i := range k {
		j := i + s.rng.IntN(len(out)-i)
		out[i], out[j] = out[j], out[i]
	}
	return out[:k]
}

// pick returns one element of list, uniformly.
func pick[T any](s *seeder, list []T) T { return list[s.rng.IntN(len(list))] }

// chance reports true with probability p.
func (s *seeder) chance(p float64) bool { return s.rng.Float64() < p }

// between returns a day in [from, to], uniformly.
func (s *seeder) between(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, s.rng.IntN(days+1))
}

// day is a calendar date, the form every date field of the schema takes.
func day(t time.Time) string { return t.Format(time.DateOnly) }

// date returns the calendar date y-m-d at UTC midnight.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
