package savings

import (
	"cmp"
	"math/bits"
	"slices"
)

// RemainderRule states how a share-out splits centavos that do not divide
// evenly.
const RemainderRule = "largest_remainder: each member gets the whole centavos of shares × fund ÷ all shares; " +
	"the centavos left over (fewer than the members) go one each to the largest remainders, ties to the lower member id"

// Payout is one member's part of a share-out.
type Payout struct {
	Member string
	Shares int
	Amount int64 // centavos
}

// Payouts splits fund (centavos) among the members holding shares, in
// proportion to their shares, by the largest remainder method
// (RemainderRule). The amounts sum to fund exactly; they come ordered by
// member id, members without shares left out. With no shares, or a fund
// below zero, there is nothing to split and Payouts returns nil.
func Payouts(fund int64, shares map[string]int) []Payout {
	var total uint64
	for _, n := range shares {
		if n > 0 {
			total += uint64(n)
		}
	}
	if total == 0 || fund < 0 {
		return nil
	}
	type part struct {
		Payout
		rest uint64 // remainder of shares × fund ÷ total
	}
	parts := make([]part, 0, len(shares))
	left := fund
	for member, n := range shares {
		if n <= 0 {
			continue
		}
		// 128-bit product: shares × fund cannot overflow, and the quotient
		// fits since shares <= total
		hi, lo := bits.Mul64(uint64(n), uint64(fund))
		q, r := bits.Div64(hi, lo, total)
		parts = append(parts, part{Payout{Member: member, Shares: n, Amount: int64(q)}, r})
		left -= int64(q)
	}
	slices.SortFunc(parts, func(a, b part) int { return cmp.Or(cmp.Compare(b.rest, a.rest), cmp.Compare(a.Member, b.Member)) })
	for i := range parts[:left] {
		parts[i].Amount++
	}
	slices.SortFunc(parts, func(a, b part) int { return cmp.Compare(a.Member, b.Member) })
	out := make([]Payout, len(parts))
	for i, p := range parts {
		out[i] = p.Payout
	}
	return out
}
