package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/notify"
)

// gateway is a fake WhatsApp Cloud API or SMS gateway on 127.0.0.1: it
// answers each request with the next status of answers (the last one
// afterwards) and keeps what it got.
type gateway struct {
	*httptest.Server
	mu       sync.Mutex
	answers  []int
	requests []gatewayRequest
	delay    time.Duration
}

type gatewayRequest struct {
	auth string
	body map[string]any
}

func newGateway(t testing.TB, answers ...int) *gateway {
	g := &gateway{answers: answers}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		time.Sleep(g.delay)
		g.mu.Lock()
		g.requests = append(g.requests, gatewayRequest{r.Header.Get("Authorization"), body})
		status := g.answers[min(len(g.requests), len(g.answers))-1]
		g.mu.Unlock()
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"status":%d}`, status)
	}))
	t.Cleanup(g.Close)
	return g
}

func (g *gateway) got() []gatewayRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]gatewayRequest(nil), g.requests...)
}

// configure sets notification_settings as a superuser does in the
// dashboard (through the API).
func configure(t testing.TB, app *tests.TestApp, srv *httptest.Server, fields map[string]any) {
	t.Helper()
	if status, body := asSuperuser(t, app, srv)(http.MethodPatch, settingsPath(t, app), fields); status != http.StatusOK {
		t.Fatalf("settings: %d %s", status, body)
	}
}

// deliver runs one round of the worker at now.
func deliver(t testing.TB, app *tests.TestApp, now time.Time) notify.Round {
	t.Helper()
	round, err := notify.Deliver(t.Context(), app, notify.DefaultConfig, now)
	if err != nil {
		t.Fatal(err)
	}
	return round
}

// The sender retries a gateway that fails twice, waiting 60 s and then
// 120 s, and marks the message sent once, after three attempts; the
// gateway gets the WhatsApp Cloud API's request with the superuser's token.
func TestDeliver_RetriesThenSentOnce(t *testing.T) {
	app, srv := testapp.NewServed(t)
	g := newGateway(t, http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusOK)
	configure(t, app, srv, map[string]any{"whatsapp_sender": "http", "whatsapp_url": g.URL + "/v21.0/123/messages", "whatsapp_token": "s3cret"})
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	accept(t, app, testapp.ReferralA1)
	id := outbox(t, app, testapp.ReturneeA1)[0].Id

	now := time.Now()
	steps := []struct {
		at      time.Time
		want    notify.Round
		status  string
		attempt int
	}{
		{now, notify.Round{Retried: 1}, notify.StatusQueued, 1},
		{now.Add(59 * time.Second), notify.Round{}, notify.StatusQueued, 1}, // not due yet
		{now.Add(61 * time.Second), notify.Round{Retried: 1}, notify.StatusQueued, 2},
		{now.Add(61*time.Second + 121*time.Second), notify.Round{Sent: 1}, notify.StatusSent, 3},
		{now.Add(time.Hour), notify.Round{}, notify.StatusSent, 3},
	}
	for i, s := range steps {
		if got := deliver(t, app, s.at); got != s.want {
			t.Errorf("round %d: %+v, want %+v", i, got, s.want)
		}
		n := testapp.Find(t, app, "notifications", id)
		if n.GetString("status") != s.status || n.GetInt("attempts") != s.attempt {
			t.Errorf("round %d: %s after %d attempts, want %s after %d", i, n.GetString("status"), n.GetInt("attempts"), s.status, s.attempt)
		}
	}
	n := testapp.Find(t, app, "notifications", id)
	if n.GetDateTime("sent_at").IsZero() || n.GetString("error") != "" || !strings.Contains(n.GetString("body"), "Hola María, NODESS Centro Uno aceptó") {
		t.Errorf("sent record: %v", n.PublicExport())
	}
	reqs := g.got()
	if len(reqs) != 3 {
		t.Fatalf("gateway got %d requests, want 3", len(reqs))
	}
	last := reqs[2]
	text, _ := last.body["text"].(map[string]any)
	if last.auth != "Bearer s3cret" || last.body["to"] != "527441234567" || last.body["messaging_product"] != "whatsapp" ||
		text["body"] != n.GetString("body") {
		t.Errorf("gateway request: %s %v", last.auth, last.body)
	}
}

// A gateway that keeps failing spends the attempts of the settings, then
// the message is failed with the gateway's answer; a refusal (400) fails it
// at once.
func TestDeliver_CapAndRefusal(t *testing.T) {
	for _, c := range []struct {
		name     string
		answer   int
		attempts int
	}{{"5xx until the cap", http.StatusBadGateway, 3}, {"refused", http.StatusBadRequest, 1}} {
		t.Run(c.name, func(t *testing.T) {
			app, srv := testapp.NewServed(t)
			g := newGateway(t, c.answer)
			configure(t, app, srv, map[string]any{"phone_channel": "sms", "sms_sender": "http", "sms_url": g.URL, "max_attempts": 3, "retry_seconds": 1})
			grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
			accept(t, app, testapp.ReferralA1)
			at := time.Now()
			for range 10 {
				deliver(t, app, at)
				at = at.Add(time.Hour)
			}
			n := outbox(t, app, testapp.ReturneeA1)[0]
			if n.GetString("channel") != "sms" || n.GetString("status") != notify.StatusFailed || n.GetInt("attempts") != c.attempts ||
				!strings.Contains(n.GetString("error"), fmt.Sprint(c.answer)) || len(g.got()) != c.attempts {
				t.Errorf("%s after %d attempts (%d requests): %q", n.GetString("status"), n.GetInt("attempts"), len(g.got()), n.GetString("error"))
			}
			if body := g.got()[0].body; body["to"] != "+527441234567" || strings.ContainsAny(body["text"].(string), "áéíóú") {
				t.Errorf("SMS request %v: want the number in E.164 and no accents but GSM-7's", body)
			}
		})
	}
}

// Two workers at once never send the same message: each is claimed by one
// UPDATE before its attempt.
func TestDeliver_TwoWorkersSendEachOnce(t *testing.T) {
	app, srv := testapp.NewServed(t)
	g := newGateway(t, http.StatusOK)
	g.delay = 2 * time.Millisecond
	configure(t, app, srv, map[string]any{"whatsapp_sender": "http", "whatsapp_url": g.URL})
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	const n = 40
	for i := range n {
		testapp.Save(t, app, "notifications", map[string]any{"returnee": testapp.ReturneeA1, "channel": "whatsapp",
			"template": "referral_accepted", "language": "es", "params": map[string]string{"nodess": fmt.Sprint("N", i), "service": "Empleo"}})
	}
	var wg sync.WaitGroup
	rounds := make([]notify.Round, 2)
	for w := range rounds {
		wg.Go(func() {
			cfg := notify.DefaultConfig
			cfg.Batch = n
			r, err := notify.Deliver(t.Context(), app, cfg, time.Now())
			if err != nil {
				t.Error(err)
			}
			rounds[w] = r
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range g.got() {
		seen[r.body["text"].(map[string]any)["body"].(string)]++
	}
	if len(seen) != n || rounds[0].Sent+rounds[1].Sent != n {
		t.Errorf("%d distinct messages sent, rounds %+v, want %d", len(seen), rounds, n)
	}
	for text, times := range seen {
		if times != 1 {
			t.Errorf("sent %d times: %s", times, text)
		}
	}
}

// A message left sending by an interrupted attempt (a crash between the
// send and the mark) is failed, never sent again: at most once.
func TestDeliver_InterruptedIsNotResent(t *testing.T) {
	app, srv := testapp.NewServed(t)
	g := newGateway(t, http.StatusOK)
	configure(t, app, srv, map[string]any{"whatsapp_sender": "http", "whatsapp_url": g.URL})
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	accept(t, app, testapp.ReferralA1)
	id := outbox(t, app, testapp.ReturneeA1)[0].Id
	if _, err := app.DB().NewQuery("UPDATE notifications SET status = 'sending', attempts = 1 WHERE id = {:id}").
		Bind(map[string]any{"id": id}).Execute(); err != nil {
		t.Fatal(err)
	}
	deliver(t, app, time.Now()) // within the lease: left alone
	if n := testapp.Find(t, app, "notifications", id); n.GetString("status") != notify.StatusSending {
		t.Fatalf("status %s within the lease", n.GetString("status"))
	}
	deliver(t, app, time.Now().Add(notify.DefaultConfig.Lease+time.Minute))
	n := testapp.Find(t, app, "notifications", id)
	if n.GetString("status") != notify.StatusFailed || !strings.Contains(n.GetString("error"), "interrupted") || len(g.got()) != 0 {
		t.Errorf("%s %q, %d requests", n.GetString("status"), n.GetString("error"), len(g.got()))
	}
}

// Email goes through PocketBase's mailer to the account's address, with
// the template's subject; by default every channel goes to the log.
func TestDeliver_EmailAndLog(t *testing.T) {
	app, srv := testapp.NewServed(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	grant(t, app, testapp.ReturneeA1, "contact_email")
	accept(t, app, testapp.ReferralA1)
	configure(t, app, srv, map[string]any{"email_sender": "mail"})
	if got := deliver(t, app, time.Now()); got.Sent != 2 {
		t.Fatalf("round %+v, want 2 sent", got)
	}
	if app.TestMailer.TotalSend() != 1 {
		t.Fatalf("%d mails, want 1", app.TestMailer.TotalSend())
	}
	m := app.TestMailer.LastMessage()
	if m.To[0].Address != "maria@retorno.test" || m.Subject != "Tu canalización fue aceptada" || !strings.Contains(m.Text, "NODESS Centro Uno") {
		t.Errorf("mail to %v: %q %q", m.To, m.Subject, m.Text)
	}
}

// A message whose person withdrew the consent after it was queued (by a
// path that skipped the hooks) is cancelled at its attempt, not sent.
func TestDeliver_ConsentCheckedAgain(t *testing.T) {
	app := testapp.New(t)
	consent := grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	accept(t, app, testapp.ReferralA1)
	if _, err := app.DB().NewQuery("UPDATE consents SET granted = false WHERE id = {:id}").Bind(map[string]any{"id": consent.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if got := deliver(t, app, time.Now()); got != (notify.Round{Cancelled: 1}) {
		t.Errorf("round %+v, want one cancelled", got)
	}
}

// senderFunc is a Sender of a function (Config.Senders).
type senderFunc func(m notify.Message) error

func (f senderFunc) Send(_ context.Context, m notify.Message) error { return f(m) }

// A sender that cannot tell whether the message left (the gateway took the
// request and gave no answer) fails it at once: it is never tried again.
func TestDeliver_OutcomeUnknownIsNotRetried(t *testing.T) {
	app := testapp.New(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	accept(t, app, testapp.ReferralA1)
	tries := 0
	cfg := notify.DefaultConfig
	cfg.Senders = map[string]notify.Sender{"whatsapp": senderFunc(func(m notify.Message) error {
		tries++
		return fmt.Errorf("%w: connection reset after the request", notify.ErrOutcomeUnknown)
	})}
	for i := range 3 {
		if _, err := notify.Deliver(t.Context(), app, cfg, time.Now().Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	n := outbox(t, app, testapp.ReturneeA1)[0]
	if tries != 1 || n.GetString("status") != notify.StatusFailed || n.GetInt("attempts") != 1 {
		t.Errorf("%d tries, %s after %d attempts", tries, n.GetString("status"), n.GetInt("attempts"))
	}
}
