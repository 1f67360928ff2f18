package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

const (
	// maxBackoff bounds the wait between two attempts.
	maxBackoff = 24 * time.Hour
	// maxError is the length of the error field.
	maxError = 1000
)

// Round is what one round of the worker did.
type Round struct {
	Sent, Retried, Failed, Cancelled int
}

// errNoConsent is a queued message whose person's consent no longer holds.
var errNoConsent = errors.New("no_consent: the person's consent for the channel no longer holds")

// run delivers due messages every cfg.Interval, and when woken, until ctx
// ends; a full round is followed by the next at once.
func run(ctx context.Context, app core.App, cfg Config, wake <-chan struct{}) {
	ticker := time.NewTicker(cfg.Interval)
	defer ticker.Stop()
	for {
		round, err := Deliver(ctx, app, cfg, time.Now())
		if err != nil && ctx.Err() == nil {
			app.Logger().Error("notify: deliver", "error", err)
		}
		if round.Sent+round.Retried+round.Failed+round.Cancelled >= cfg.Batch {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-wake:
		}
	}
}

// Deliver sends the messages due at now, at most cfg.Batch, and records
// what became of each: sent; queued again after a wait that doubles with
// each attempt; failed once attempts reach the settings' maximum, at once
// on a refusal a retry would meet again, and at once when the attempt's
// outcome is unknown; cancelled if the person's consent no longer holds.
//
// Each message is sent at most once. Before its attempt a worker claims it
// with one UPDATE ... WHERE status = 'queued', which SQLite's single writer
// lets only one worker win, and it stays sending until the attempt's
// outcome is written. A message found sending for longer than cfg.Lease was
// interrupted (the server stopped between the send and the mark): it may
// have left, so it is marked failed, never sent again; a superuser may queue
// it again from the dashboard.
func Deliver(ctx context.Context, app core.App, cfg Config, now time.Time) (Round, error) {
	var round Round
	began := time.Now()
	// clock is now as the round goes on (a round may take minutes)
	clock := func() time.Time { return now.Add(time.Since(began)) }
	stamp := dateTime(now)
	_, err := app.DB().NewQuery(`UPDATE {{notifications}} SET [[status]] = {:failed},
		[[error]] = 'interrupted: the server stopped during the attempt; it may have been sent, so it is not sent again',
		[[updated]] = {:now} WHERE [[status]] = {:sending} AND [[updated]] < {:lease}`).
		Bind(dbx.Params{"failed": StatusFailed, "sending": StatusSending, "now": stamp, "lease": dateTime(now.Add(-cfg.Lease))}).Execute()
	if err != nil {
		return round, fmt.Errorf("notify: interrupted: %w", err)
	}
	var due []string
	err = app.DB().Select("id").From(catalog.Notifications).
		Where(dbx.HashExp{"status": StatusQueued}).
		AndWhere(dbx.NewExp("[[next_attempt_at]] = '' OR [[next_attempt_at]] <= {:now}", dbx.Params{"now": stamp})).
		OrderBy("next_attempt_at", "id").Limit(int64(cfg.Batch)).Column(&due)
	if err != nil {
		return round, fmt.Errorf("notify: due: %w", err)
	}
	s := loadSettings(app)
	client := &http.Client{Timeout: cfg.SendTimeout}
	for _, id := range due {
		if ctx.Err() != nil {
			break
		}
		mine, err := claim(app, id, dateTime(clock()))
		if err != nil {
			return round, err
		}
		if !mine {
			continue // another worker's
		}
		if err := attempt(ctx, app, cfg, s, client, id, clock, &round); err != nil {
			return round, err
		}
	}
	return round, nil
}

// claim takes message id for this worker: it reports whether the message
// was still queued, and marks it sending with one more attempt.
func claim(app core.App, id, now string) (bool, error) {
	res, err := app.DB().NewQuery(`UPDATE {{notifications}} SET [[status]] = {:sending}, [[attempts]] = [[attempts]] + 1,
		[[updated]] = {:now} WHERE [[id]] = {:id} AND [[status]] = {:queued}`).
		Bind(dbx.Params{"sending": StatusSending, "queued": StatusQueued, "now": now, "id": id}).Execute()
	if err != nil {
		return false, fmt.Errorf("notify: claim %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// attempt sends the claimed message id once and writes its outcome.
func attempt(ctx context.Context, app core.App, cfg Config, s settings, client *http.Client, id string, clock func() time.Time, round *Round) error {
	r, err := app.FindRecordById(catalog.Notifications, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // deleted meanwhile (with its person)
	}
	if err != nil {
		return err
	}
	out := outcome{status: StatusSent}
	m, err := compose(app, r)
	if err == nil {
		sendCtx, cancel := context.WithTimeout(ctx, cfg.SendTimeout)
		sender := cfg.Senders[m.Channel]
		if sender == nil {
			sender = s.sender(app, client, m.Channel)
		}
		err = sender.Send(sendCtx, m)
		cancel()
		out.body = m.Body
	}
	now := clock()
	switch {
	case err == nil:
		out.sentAt = dateTime(now)
		round.Sent++
	case errors.Is(err, errNoConsent):
		out = outcome{status: StatusCancelled, err: err.Error()}
		round.Cancelled++
	case errors.Is(err, ErrRejected), errors.Is(err, ErrOutcomeUnknown), r.GetInt("attempts") >= s.maxAttempts:
		out = outcome{status: StatusFailed, err: err.Error(), body: out.body}
		round.Failed++
	default:
		out = outcome{status: StatusQueued, err: err.Error(), body: out.body, next: dateTime(now.Add(backoff(s.retrySeconds, r.GetInt("attempts"))))}
		round.Retried++
	}
	return out.write(app, id, dateTime(now))
}

// backoff is the wait after the failed attempt number attempts: seconds,
// doubled for each attempt before it, at most maxBackoff.
func backoff(seconds, attempts int) time.Duration {
	wait := time.Duration(seconds) * time.Second
	for i := 1; i < attempts && wait < maxBackoff; i++ {
		wait *= 2
	}
	return min(wait, maxBackoff)
}

// outcome is what an attempt wrote of its message.
type outcome struct {
	status, err, body, sentAt, next string
}

// write records o on the message id, which this worker holds (sending).
func (o outcome) write(app core.App, id, now string) error {
	if r := []rune(o.err); len(r) > maxError {
		o.err = string(r[:maxError])
	}
	set := dbx.Params{"status": o.status, "error": o.err, "body": o.body, "updated": now}
	if o.sentAt != "" {
		set["sent_at"] = o.sentAt
	}
	if o.next != "" {
		set["next_attempt_at"] = o.next
	}
	_, err := app.DB().Update(catalog.Notifications, set, dbx.HashExp{"id": id, "status": StatusSending}).Execute()
	if err != nil {
		return fmt.Errorf("notify: outcome of %s: %w", id, err)
	}
	return nil
}

// compose renders message r for its sender: the person's current address,
// the template's current text in the message's language (Spanish if a
// superuser deleted that one). errNoConsent if the consent no longer holds.
func compose(app core.App, r *core.Record) (Message, error) {
	m := Message{ID: r.Id, Channel: r.GetString("channel"), Template: r.GetString("template"), Language: r.GetString("language")}
	person, err := records.FindReturnee(app, r.GetString("returnee"))
	if err != nil {
		return m, fmt.Errorf("%w: person %s: %v", ErrRejected, r.GetString("returnee"), err)
	}
	to, consent, err := reach(app, person, m.Channel)
	switch {
	case err != nil:
		return m, err
	case !consent:
		return m, errNoConsent
	case to == "":
		return m, fmt.Errorf("%w: no address for %s", ErrRejected, m.Channel)
	}
	m.To = to
	tpl, err := findTemplate(app, m.Template, m.Language)
	if err != nil {
		return m, fmt.Errorf("%w: template %s/%s: %v", ErrRejected, m.Template, m.Language, err)
	}
	m.Language = tpl.GetString("language")
	var raw map[string]any
	if err := json.Unmarshal([]byte(r.GetString("params")), &raw); err != nil && r.GetString("params") != "" {
		return m, fmt.Errorf("%w: params: %v", ErrRejected, err)
	}
	m.Params = map[string]string{}
	for k, v := range raw {
		m.Params[k] = cast.ToString(v)
	}
	if m.Params["name"] == "" {
		m.Params["name"] = firstName(person)
	}
	m.Placeholders = placeholders(tpl.GetString("body"))
	for _, name := range m.Placeholders {
		if _, ok := m.Params[name]; !ok {
			return m, fmt.Errorf("%w: no value for {%s}", ErrRejected, name)
		}
	}
	m.Subject = tpl.GetString("subject")
	m.Body = render(tpl.GetString("body"), m.Params)
	if m.Channel == "sms" {
		m.Body = SMSText(m.Body)
	}
	return m, nil
}

// findTemplate is the template of event in lang, or in Spanish.
func findTemplate(app core.App, event, lang string) (*core.Record, error) {
	for _, l := range []string{lang, "es"} {
		r, err := app.FindFirstRecordByFilter(catalog.NotificationTemplates, "template = {:t} && language = {:l}", dbx.Params{"t": event, "l": l})
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return r, err
		}
	}
	return nil, sql.ErrNoRows
}

// dateTime is t as PocketBase stores datetimes.
func dateTime(t time.Time) string {
	d, _ := types.ParseDateTime(t)
	return d.String()
}
