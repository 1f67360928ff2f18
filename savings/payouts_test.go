package savings_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/savings"
)

func TestPayouts(t *testing.T) {
	cases := []struct {
		name   string
		fund   int64
		shares map[string]int
		want   []savings.Payout
	}{
		{"three equal shares: the lowest id gets the extra centavo", 10000, map[string]int{"c": 1, "a": 1, "b": 1},
			[]savings.Payout{{"a", 1, 3334}, {"b", 1, 3333}, {"c", 1, 3333}}},
		{"the largest remainder gets the extra centavo", 100, map[string]int{"a": 1, "b": 2},
			[]savings.Payout{{"a", 1, 33}, {"b", 2, 67}}},
		{"two centavos left over", 31250 + 2, map[string]int{"a": 1, "b": 1, "c": 1, "d": 3},
			[]savings.Payout{{"a", 1, 5209}, {"b", 1, 5209}, {"c", 1, 5208}, {"d", 3, 15626}}},
		{"members without shares are left out", 900, map[string]int{"a": 0, "b": 3},
			[]savings.Payout{{"b", 3, 900}}},
		{"an empty fund", 0, map[string]int{"a": 2, "b": 1},
			[]savings.Payout{{"a", 2, 0}, {"b", 1, 0}}},
		{"no shares", 500, map[string]int{"a": 0}, nil},
		{"a fund whose products overflow 64 bits", 2_000_000_000_000_000_000, map[string]int{"a": 7, "b": 5},
			[]savings.Payout{{"a", 7, 1_166_666_666_666_666_667}, {"b", 5, 833_333_333_333_333_333}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := savings.Payouts(c.fund, c.shares); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestPayouts_Random checks the stated rule on random funds and shares,
// against exact rational arithmetic.
func TestPayouts_Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 2000 {
		fund := rng.Int64N(1 << uint(1+rng.IntN(50)))
		shares := map[string]int{}
		for m := range 1 + rng.IntN(25) {
			shares[fmt.Sprintf("m%03d", m)] = rng.IntN(60)
		}
		got := savings.Payouts(fund, shares)
		total := 0
		for _, n := range shares {
			total += n
		}
		if total == 0 {
			if got != nil {
				t.Fatalf("case %d: payouts %v without shares", i, got)
			}
			continue
		}
		var sum int64
		type extra struct {
			member string
			rest   *big.Int
			got    bool
		}
		var rests []extra
		for _, p := range got {
			exact := new(big.Int).Mul(big.NewInt(int64(p.Shares)), big.NewInt(fund))
			floor, rest := new(big.Int).QuoRem(exact, big.NewInt(int64(total)), new(big.Int))
			switch d := p.Amount - floor.Int64(); {
			case p.Shares != shares[p.Member] || d < 0 || d > 1:
				t.Fatalf("case %d: %s gets %d for %d of %d shares of %d", i, p.Member, p.Amount, p.Shares, total, fund)
			default:
				rests = append(rests, extra{p.Member, rest, d == 1})
			}
			sum += p.Amount
		}
		if sum != fund {
			t.Fatalf("case %d: payouts sum to %d, fund %d", i, sum, fund)
		}
		// every member given an extra centavo comes before every member not
		// given one: larger remainder, or equal remainder and lower id
		for _, a := range rests {
			for _, b := range rests {
				if a.got && !b.got && (a.rest.Cmp(b.rest) < 0 || a.rest.Cmp(b.rest) == 0 && a.member > b.member) {
					t.Fatalf("case %d: %s (remainder %v) got the extra centavo before %s (remainder %v)", i, a.member, a.rest, b.member, b.rest)
				}
			}
		}
	}
}
