package seats_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/syncclient"
)

// phone is one returnee's phone: their sync client and the id of the
// enrollment it asks for.
type phone struct {
	client     *syncclient.Client
	enrollment string
}

// status is the status of the phone's enrollment as the phone shows it.
func (p *phone) status(t *testing.T) string {
	t.Helper()
	it, ok, err := p.client.Get("enrollments", p.enrollment)
	if err != nil || !ok {
		t.Fatalf("%s: enrollment %s on the phone: %v, %v", p.client.ClientID, p.enrollment, ok, err)
	}
	return fmt.Sprint(it.Fields["status"])
}

// newPhones registers n returnees with an account each, and gives each a
// phone that has queued, offline, a request to enroll in course.
func newPhones(t *testing.T, app core.App, baseURL, course string, n int) []*phone {
	t.Helper()
	accounts, err := app.FindCollectionByNameOrId("returnee_accounts")
	if err != nil {
		t.Fatal(err)
	}
	// one bcrypt hash for all: hashing a password per account is slow
	hash := testapp.Find(t, app, "returnee_accounts", testapp.AccountA1).GetString(core.FieldNamePassword + ":hash")
	people := newPeople(t, app, "phoneperson", n)
	phones := make([]*phone, n)
	for i, person := range people {
		account := core.NewRecord(accounts)
		account.Id = fmt.Sprintf("phoneaccount%03d", i)
		account.Set("returnee", person)
		account.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: hash})
		if err := app.Save(account); err != nil {
			t.Fatal(err)
		}
		p := &phone{
			client: &syncclient.Client{
				BaseURL:    baseURL,
				Token:      testapp.Token(t, app, "returnee_accounts", account.Id),
				ClientID:   fmt.Sprintf("phone-%03d", i),
				RetryDelay: time.Millisecond,
			},
			enrollment: syncclient.NewID(),
		}
		err := p.client.Create("enrollments", p.enrollment, map[string]any{"course": course, "returnee": person, "status": "requested"})
		if err != nil {
			t.Fatal(err)
		}
		phones[i] = p
	}
	return phones
}

// all runs f for every phone at once and waits for them.
func all(phones []*phone, f func(p *phone) error) []error {
	errs := make([]error, len(phones))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(p)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// commitOrder lists the course's enrollments in the order their creates
// committed: the order of their first rows in the sync engine's change log,
// whose seq is commit order (SQLite has one writer).
func commitOrder(t *testing.T, app core.App, course string) []string {
	t.Helper()
	var ids []string
	err := app.DB().NewQuery(`SELECT l.record_id FROM _sync_log l JOIN enrollments e ON e.id = l.record_id
		WHERE l.collection = 'enrollments' AND l.via = '' AND e.course = {:course}
		GROUP BY l.record_id ORDER BY MIN(l.seq)`).Bind(dbx.Params{"course": course}).Column(&ids)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// 100 phones ask offline for a seat in a 20-seat course and push at once:
// exactly 20 are enrolled, the other 80 waitlisted in push order, none lost
// or refused, and each phone sees its status after its next pull. A drop
// then gives the seat to the first waitlisted, whose phone sees it.
func TestSeats_HundredPhonesTwentySeats(t *testing.T) {
	const phones, capacity, course = 100, 20, "coursephones001"
	app, srv := testapp.NewServed(t)
	newCourse(t, app, course, capacity)
	devices := newPhones(t, app, srv.URL, course, phones)
	ctx := context.Background()

	reports := make([]syncclient.PushReport, phones)
	errs := all(devices, func(p *phone) error {
		i := slices.Index(devices, p)
		var err error
		reports[i], err = p.client.Push(ctx)
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("phone %d: push: %v", i, err)
		}
		if r := reports[i]; r.Applied != 1 || len(r.Problems) > 0 {
			t.Fatalf("phone %d: push applied %d, problems %v", i, r.Applied, r.Problems)
		}
	}

	order := commitOrder(t, app, course)
	if len(order) != phones {
		t.Fatalf("%d enrollments reached the server, want %d", len(order), phones)
	}
	byID := map[string]*phone{}
	for _, p := range devices {
		byID[p.enrollment] = p
	}
	count := map[string]int{}
	for i, id := range order {
		e := testapp.Find(t, app, "enrollments", id)
		want := "enrolled"
		if i >= capacity {
			want = "waitlisted"
		}
		count[e.GetString("status")]++
		if got := e.GetString("status"); got != want {
			t.Errorf("push %d (%s): %s, want %s", i+1, id, got, want)
		}
		if got := e.GetInt("request_order"); got != i+1 {
			t.Errorf("push %d (%s): request_order %d", i+1, id, got)
		}
		if byID[id] == nil {
			t.Errorf("enrollment %s is no phone's", id)
		}
	}
	if count["enrolled"] != capacity || count["waitlisted"] != phones-capacity {
		t.Fatalf("statuses = %v, want %d enrolled and %d waitlisted", count, capacity, phones-capacity)
	}

	for i, err := range all(devices, func(p *phone) error { _, err := p.client.Pull(ctx); return err }) {
		if err != nil {
			t.Fatalf("phone %d: pull: %v", i, err)
		}
	}
	for _, p := range devices {
		if got, want := p.status(t), testapp.Find(t, app, "enrollments", p.enrollment).GetString("status"); got != want {
			t.Errorf("%s shows %s, the server holds %s", p.client.ClientID, got, want)
		}
	}

	// the fifth to push drops out: the first waitlisted (21st) gets the seat
	dropper, first, second := byID[order[4]], byID[order[capacity]], byID[order[capacity+1]]
	if err := dropper.client.Update("enrollments", dropper.enrollment, map[string]any{"status": "dropped"}); err != nil {
		t.Fatal(err)
	}
	if _, err := dropper.client.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := first.status(t); got != "waitlisted" {
		t.Fatalf("before its pull the first waitlisted phone shows %s", got)
	}
	for _, p := range []*phone{first, second} {
		if _, err := p.client.Pull(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for p, want := range map[*phone]string{dropper: "dropped", first: "enrolled", second: "waitlisted"} {
		if got := p.status(t); got != want {
			t.Errorf("%s shows %s, want %s", p.client.ClientID, got, want)
		}
		if got := testapp.Find(t, app, "enrollments", p.enrollment).GetString("status"); got != want {
			t.Errorf("server holds %s for %s, want %s", got, p.client.ClientID, want)
		}
	}
	var enrolled int
	if err := app.DB().Select("COUNT(*)").From("enrollments").
		Where(dbx.HashExp{"course": course, "status": "enrolled"}).Row(&enrolled); err != nil || enrolled != capacity {
		t.Errorf("enrolled after the drop = %d (%v), want %d", enrolled, err, capacity)
	}
}
