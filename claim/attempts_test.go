package claim_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// wrongCode is a code that is not the person's.
const wrongCode = "0000000000"

// clock sets the rate limits' clock for the rest of the test and returns
// what moves it.
func clock(t testing.TB) (advance func(time.Duration)) {
	at := time.Now()
	t.Cleanup(claim.SetClock(func() time.Time { return at }))
	return func(d time.Duration) { at = at.Add(d) }
}

// strangers sends n wrong codes for body's person, from the IPs that ip
// gives for 0..n-1; each is refused, as a wrong code or as over a limit.
func strangers(t *testing.T, h http.Handler, n int, ip func(int) string, body func(code string) map[string]any) {
	t.Helper()
	for i := range n {
		got := claimFrom(t, h, ip(i), body(wrongCode))
		if got.status != http.StatusBadRequest && got.status != http.StatusTooManyRequests {
			t.Fatalf("stranger's code %d: %d %s", i+1, got.status, got.raw)
		}
	}
}

// The lock-out of issue 10: a stranger who knows the person's CURP or
// phone sends wrong codes, from one source or many; the person, from their
// own phone, still gets in with the right code.
func TestClaim_StrangerCannotLockOut(t *testing.T) {
	oneIP := func(int) string { return "203.0.113.1" }
	manyIPs := func(i int) string { return fmt.Sprintf("203.0.113.%d", i+1) }
	curpBody := func(c string) map[string]any { return byCURP(personCURP, c) }
	phoneBody := func(c string) map[string]any { return byPhone(personPhone, c) }
	for _, c := range []struct {
		name string
		ip   func(int) string
		body func(string) map[string]any
	}{
		{"one source, by CURP", oneIP, curpBody},
		{"many sources, by CURP", manyIPs, curpBody},
		{"many sources, by phone", manyIPs, phoneBody}, // spends the person's own budget
	} {
		t.Run(c.name, func(t *testing.T) {
			_, h := withCodeServed(t)
			strangers(t, h, 2*claim.PersonAttempts, c.ip, c.body)
			claimWant(t, h, "198.51.100.7", byCURP(personCURP, code), http.StatusOK, fmt.Sprintf("the person's right code after %d wrong ones", 2*claim.PersonAttempts))
		})
	}

	// The person mistyped once from their phone, then strangers spent the
	// budget: that phone's network waits a day from its own attempt, which
	// strangers cannot prolong; any other network works at once.
	t.Run("the person's own network", func(t *testing.T) {
		_, h := withCodeServed(t)
		advance := clock(t)
		const phone = "198.51.100.8"
		claimWant(t, h, phone, byCURP(personCURP, "4821093756"), http.StatusBadRequest, "typo")
		strangers(t, h, 2*claim.PersonAttempts, manyIPs, curpBody)
		claimWant(t, h, phone, byCURP(personCURP, code), http.StatusTooManyRequests, "the same network, budget spent")
		advance(claim.PersonWindow / 2)
		strangers(t, h, 2*claim.PersonAttempts, func(i int) string { return fmt.Sprintf("203.0.114.%d", i+1) }, curpBody)
		advance(claim.PersonWindow/2 + time.Minute)
		claimWant(t, h, phone, byCURP(personCURP, code), http.StatusOK, "the same network a day after its attempt")
	})
}

// One source that spends a CURP's budget is refused on it (429), and the
// person it reached silently by phone (the usual 400); unknown CURPs are
// limited the same way; all lift after the window.
func TestClaim_RateLimitOwnSource(t *testing.T) {
	_, h := withCodeServed(t)
	advance := clock(t)
	const ip = "203.0.113.9"
	strangers(t, h, claim.PersonAttempts, func(int) string { return ip }, func(c string) map[string]any { return byCURP(personCURP, c) })
	claimWant(t, h, ip, byCURP(personCURP, code), http.StatusTooManyRequests, fmt.Sprintf("right code after %d wrong ones from one source", claim.PersonAttempts))
	// by phone the identifier is fresh, but the person is not: refused,
	// the same way as a wrong code
	got := claimFrom(t, h, ip, byPhone(personPhone, code))
	if got.status != http.StatusBadRequest || got.body["message"] != refused {
		t.Fatalf("right code by phone while the person is limited: %d %s", got.status, got.raw)
	}
	// an unknown CURP is limited the same way, so 429 says nothing either
	const other = "203.0.113.10"
	for range claim.PersonAttempts {
		claimFrom(t, h, other, byCURP("SABC560626MDFLRN01", code))
	}
	if got := claimFrom(t, h, other, byCURP("SABC560626MDFLRN01", code)); got.status != http.StatusTooManyRequests {
		t.Errorf("unknown CURP after %d attempts: %d, want 429", claim.PersonAttempts, got.status)
	}

	advance(claim.PersonWindow + time.Minute)
	claimWant(t, h, ip, byCURP(personCURP, code), http.StatusOK, "right code after the window")
}

func TestClaim_RateLimitPerIP(t *testing.T) {
	app, h := withCodeServed(t)
	advance := clock(t)
	const ip = "192.0.2.77"
	for i := range claim.IPAttempts {
		phone := fmt.Sprintf("+52664000%04d", i) // a new identifier each time
		claimWant(t, h, ip, byPhone(phone, code), http.StatusBadRequest, fmt.Sprintf("attempt %d", i+1))
	}
	claimWant(t, h, ip, byCURP(personCURP, code), http.StatusTooManyRequests, fmt.Sprintf("attempt %d from one IP", claim.IPAttempts+1))
	// the limit survives a restart: it is in the database
	var n int
	if err := app.DB().Select("COUNT(*)").From("claim_attempts").Row(&n); err != nil || n < claim.IPAttempts {
		t.Errorf("claim_attempts holds %d records (%v)", n, err)
	}
	claimWant(t, h, "192.0.2.78", byCURP(personCURP, code), http.StatusOK, "another IP")
	advance(claim.IPWindow + time.Minute)
	if got := claimFrom(t, h, ip, byPhone("+526640009999", code)); got.status != http.StatusBadRequest {
		t.Errorf("the IP after the window: %d %s", got.status, got.raw)
	}
}

// The addresses of one IPv6 /48 are one source: an attacker with a routed
// prefix does not get a source per address.
func TestAdmit_IPv6Prefix(t *testing.T) {
	app := withCode(t)
	clock(t)
	for i := range claim.IPAttempts {
		ip := fmt.Sprintf("2001:db8:7:%x::1", i)
		if ok, _, err := claim.Admit(app, ip, fmt.Sprint("phone:664000", i), nil); err != nil || !ok {
			t.Fatalf("attempt %d from %s: %v %v", i+1, ip, ok, err)
		}
	}
	if ok, _, err := claim.Admit(app, "2001:db8:7:ffff::2", "phone:6640009999", nil); err != nil || ok {
		t.Errorf("attempt %d from the same /48: admitted %v (%v)", claim.IPAttempts+1, ok, err)
	}
	if ok, _, err := claim.Admit(app, "2001:db8:8::1", "phone:6640009999", nil); err != nil || !ok {
		t.Errorf("another /48: admitted %v (%v)", ok, err)
	}
}

// Brute force against one person over days, in steps of an hour, each
// source trying as often as it is admitted (without bcrypt: what is
// counted is the checks that would reach the code). Over each day the
// checks stay within PersonAttempts plus FreshAttempts a source; a network
// the person never used is checked at once every day; the network they
// keep trying from every hour is checked at least once a day.
func TestAdmit_BruteForceBounded(t *testing.T) {
	for _, c := range []struct {
		name    string
		sources int
		days    int
	}{{"one source", 1, 30}, {"40 sources", 40, 4}} {
		t.Run(c.name, func(t *testing.T) {
			app := withCode(t)
			person := []*core.Record{testapp.Find(t, app, "returnees", personID)}
			advance := clock(t)
			id := claim.CURPIdentifier(personCURP)
			try := func(ip string) bool {
				ok, tried, err := claim.Admit(app, ip, id, person)
				if err != nil {
					t.Fatal(err)
				}
				return ok && len(tried) == 1
			}
			checks, lastOwn := 0, -1
			for hour := range c.days * 24 {
				for s := range c.sources {
					for try(fmt.Sprintf("203.0.%d.%d", s/200, s%200+1)) {
						checks++
					}
				}
				if try("192.0.2.200") { // the person's own network
					checks++
					lastOwn = hour
				}
				if hour-lastOwn > int(claim.PersonWindow/time.Hour) {
					t.Fatalf("hour %d: the person's network last checked at hour %d", hour, lastOwn)
				}
				if hour%24 == 12 { // a network the person never used
					if !try(fmt.Sprintf("198.51.100.%d", hour/24+1)) {
						t.Fatalf("day %d: a new network refused", hour/24+1)
					}
					checks++
				}
				advance(time.Hour)
			}
			bound := c.days * (claim.PersonAttempts + claim.FreshAttempts*(c.sources+2))
			if checks > bound || checks < c.days*claim.PersonAttempts {
				t.Errorf("%d checks in %d days from %d sources, want at most %d (and the budget used)", checks, c.days, c.sources, bound)
			}
			t.Logf("%d checks in %d days from %d sources (bound %d)", checks, c.days, c.sources, bound)
		})
	}
}
