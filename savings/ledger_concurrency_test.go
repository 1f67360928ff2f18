package savings_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

// TestLedger_ConcurrentLoans: thirty loans of $10 posted at once against a
// loan fund of $112.50: the balance is read in each write's transaction, so
// exactly eleven are written and the fund never goes below zero. (Without
// the transaction, most runs write more than eleven.)
func TestLedger_ConcurrentLoans(t *testing.T) {
	app, staff := baseLedgerServed(t)
	before := countAll(t, app)
	var wg sync.WaitGroup
	statuses := make([]int, 30)
	bodies := make([]string, 30)
	start := make(chan struct{})
	for i := range statuses {
		wg.Go(func() {
			<-start
			member := []string{a1, memberB}[i%2]
			s, b := staff.do(http.MethodPost, "/api/collections/ledger_entries/records",
				entry(fmt.Sprintf("entconcurrent%02d", i), g, member, "loan_disbursement", 0, 1000, "2026-10-27"))
			statuses[i], bodies[i] = s, string(b)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, s := range statuses {
		switch {
		case s == http.StatusOK:
			ok++
		case s != http.StatusBadRequest || !strings.Contains(bodies[i], `"amount_cents":{"code":"exceeds_loan_fund"`):
			t.Errorf("loan %d: %d %s", i, s, bodies[i])
		}
	}
	if ok != 11 || countAll(t, app) != before+11 {
		t.Errorf("%d loans written (%d entries, was %d), want 11", ok, countAll(t, app), before)
	}
	if !newModelOfStored(t, app, g).neverNegative(storedEntries(t, app, g)) {
		t.Error("the loan fund went below zero")
	}
}

// TestLedger_OfflineDevicesShareTheFund: two treasurers' phones, offline at
// the same meeting, each lend most of the loan fund. When they sync, the
// first push is applied and the second is refused and kept as a problem on
// its device; both devices end with the same ledger as the server.
func TestLedger_OfflineDevicesShareTheFund(t *testing.T) {
	app := testapp.New(t)
	baseLedger(t, app)
	testapp.Save(t, app, "staff", map[string]any{"id": secondStaff, "email": "n1b@retorno.test", "name": "Nadia Nodo Uno",
		"role": "nodess_staff", "nodess": testapp.NodessN1, "password": testapp.Password})
	srv := testapp.Serve(t, app)
	phone := func(staffID string) *syncclient.Client {
		return &syncclient.Client{BaseURL: srv.URL, Token: testapp.Token(t, app, "staff", staffID), RetryDelay: time.Millisecond}
	}
	ctx := context.Background()
	one, two := phone(testapp.NodessStaff1), phone(secondStaff)
	for _, c := range []*syncclient.Client{one, two} {
		if _, err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// offline: each records a loan of $80 from the $112.50 in the box
	loanOne, loanTwo := syncclient.NewID(), syncclient.NewID()
	for c, l := range map[*syncclient.Client][2]string{one: {loanOne, a1}, two: {loanTwo, memberB}} {
		if err := c.Create("ledger_entries", l[0], map[string]any{"group": g, "member": l[1], "type": "loan_disbursement",
			"amount_cents": 8000, "meeting_date": "2026-10-27"}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := one.Sync(ctx)
	if err != nil || rep.Push.Applied != 1 {
		t.Fatalf("first phone: %+v %v", rep.Push, err)
	}
	rep, err = two.Sync(ctx)
	if err != nil || rep.Push.Rejected != 1 || len(rep.Push.Problems) != 1 ||
		!strings.Contains(rep.Push.Problems[0].Result.Error.Fields["amount_cents"], "hay $32.50 disponibles") {
		t.Fatalf("second phone: %+v %v", rep.Push, err)
	}
	if _, err := one.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := restIDs(t, staffClient(t, app, srv, testapp.NodessStaff1), "ledger_entries")
	for name, c := range map[string]*syncclient.Client{"one": one, "two": two} {
		items, err := c.List("ledger_entries")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || !slices.Contains(got, loanOne) || slices.Contains(got, loanTwo) {
			t.Errorf("phone %s holds %v, the server %v", name, got, want)
		}
	}
}

// newModelOfStored is a model of group holding its stored entries.
func newModelOfStored(t *testing.T, app core.App, group string) *model {
	t.Helper()
	rec, err := app.FindRecordById("savings_groups", group)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(rec, nil)
	for _, e := range storedEntries(t, app, group) {
		m.record(e)
	}
	return m
}
