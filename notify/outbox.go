package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/records"
)

// event is something that sends a person a message.
type event struct {
	template string
	returnee string
	// key names the event (the template, the record and the moment): one
	// message per key and channel, ever
	key string
	// notBefore holds the message back until then (zero: send now)
	notBefore time.Time
	// refresh lets a later write of the same event give a message that is
	// still queued its new values and time (a meeting's receipt)
	refresh bool
	// params are the values of the template's placeholders in lang, but
	// the person's name, which enqueue adds
	params func(lang string) (map[string]string, error)
}

// enqueue queues ev's message, in the caller's transaction, by every
// channel that may reach its person: one they consented to and have an
// address for. Nothing is queued (and params not computed) otherwise.
func enqueue(app core.App, ev event) error {
	person, err := records.FindReturnee(app, ev.returnee)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	channels, err := reachable(app, person, loadSettings(app).phoneChannel)
	if err != nil || len(channels) == 0 {
		return err
	}
	lang := languageOf(person)
	params, err := ev.params(lang)
	if err != nil {
		return err
	}
	params["name"] = firstName(person)
	for name, v := range params {
		params[name] = cut(name, v)
	}
	col, err := app.FindCachedCollectionByNameOrId(catalog.Notifications)
	if err != nil {
		return err
	}
	notBefore := types.NowDateTime()
	if !ev.notBefore.IsZero() {
		notBefore, _ = types.ParseDateTime(ev.notBefore)
	}
	for _, channel := range channels {
		key := channelKey(ev.key, channel)
		r, err := app.FindFirstRecordByData(col, "dedupe_key", key)
		switch {
		case err == nil && (!ev.refresh || r.GetString("status") != StatusQueued):
			continue // sent, or on its way: an event sends one message
		case errors.Is(err, sql.ErrNoRows):
			r = core.NewRecord(col)
			r.Set("returnee", person.Id)
			r.Set("channel", channel)
			r.Set("template", ev.template)
			r.Set("status", StatusQueued)
			r.Set("dedupe_key", key)
		case err != nil:
			return err
		}
		r.Set("language", lang)
		r.Set("params", params)
		r.Set("next_attempt_at", notBefore)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("notify: %s: %w", key, err)
		}
	}
	return nil
}

// channelKey is the dedupe_key of the message of the event key by channel.
func channelKey(key, channel string) string { return key + "/" + channel }

// eventKeys are the dedupe_keys of the event key's messages, one a channel.
func eventKeys(key string) []any {
	var out []any
	for _, channel := range catalog.NotificationChannels.Codes() {
		out = append(out, channelKey(key, channel))
	}
	return out
}

// reachable lists the channels that may carry messages to person: their
// phone, by phoneChannel, with the contact_whatsapp consent; email, at
// their account's address, with contact_email.
func reachable(app core.App, person *records.Returnee, phoneChannel string) ([]string, error) {
	var out []string
	for _, channel := range []string{phoneChannel, "email"} {
		ok, err := mayReach(app, person, channel)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, channel)
		}
	}
	return out, nil
}

// mayReach reports whether person has an address for channel and a
// consent to be reached by it.
func mayReach(app core.App, person *records.Returnee, channel string) (bool, error) {
	to, consent, err := reach(app, person, channel)
	return to != "" && consent, err
}

// reach is where channel reaches person (address) and whether they
// consented to be reached by it.
func reach(app core.App, person *records.Returnee, channel string) (to string, consent bool, err error) {
	if to, err = address(app, person, channel); err != nil {
		return "", false, err
	}
	consent, err = records.HasConsent(app, person.Id, catalog.ChannelConsent[channel])
	return to, consent, err
}

// address is where channel reaches person: their phone in E.164, or the
// email of their account; "" if they have none.
func address(app core.App, person *records.Returnee, channel string) (string, error) {
	if channel != "email" {
		phone, _ := hooks.NormalizePhone(person.Phone())
		return phone, nil
	}
	account, err := app.FindFirstRecordByData(catalog.ReturneeAccounts, "returnee", person.Id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return account.Email(), nil
}

// firstName is the first of person's given names: how a message greets
// them.
func firstName(person *records.Returnee) string {
	return cut("name", strings.Fields(person.GivenNames() + " ")[0])
}

// languageOf is the language of person's messages: English if they speak
// it and not Spanish, else Spanish (the data model has no preferred
// language; languages lists those the person speaks).
func languageOf(person *records.Returnee) string {
	langs := person.Languages()
	if slices.Contains(langs, "en") && !slices.Contains(langs, "es") {
		return "en"
	}
	return "es"
}

// dateIn writes a YYYY-MM-DD date as people read it in lang: 27/11/2026 in
// Spanish, as it is in English.
func dateIn(lang, date string) string {
	if lang == "en" || len(date) != len(time.DateOnly) {
		return date
	}
	return date[8:10] + "/" + date[5:7] + "/" + date[:4]
}

// channelsOf lists the channels that purpose's consent opens.
func channelsOf(purpose string) []string {
	var out []string
	for _, channel := range catalog.NotificationChannels.Codes() {
		if catalog.ChannelConsent[channel] == purpose {
			out = append(out, channel)
		}
	}
	return out
}

// cancelQueued cancels the queued messages of returnee by channels, saying
// why in their error.
func cancelQueued(app core.App, returnee string, channels []string, why string) error {
	in := make([]any, len(channels))
	for i, c := range channels {
		in[i] = c
	}
	return cancelWhere(app, dbx.And(dbx.HashExp{"returnee": returnee}, dbx.In("channel", in...)), why)
}

// cancelWhere cancels the queued messages that where selects, saying why
// in their error.
func cancelWhere(app core.App, where dbx.Expression, why string) error {
	queued, err := app.FindAllRecords(catalog.Notifications, dbx.HashExp{"status": StatusQueued}, where)
	if err != nil {
		return err
	}
	for _, r := range queued {
		r.Set("status", StatusCancelled)
		r.Set("error", why)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("notify: cancel %s: %w", r.Id, err)
		}
	}
	return nil
}
