package notify

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// settings is the one record of notification_settings.
type settings struct {
	phoneChannel string
	maxAttempts  int
	retrySeconds int
	record       *core.Record // nil without the record: every channel on the log
}

// loadSettings reads the one record of notification_settings (the oldest,
// should a superuser add another), or the catalog's defaults without it;
// once in a transaction (txmemo). The record is only read.
func loadSettings(app core.App) settings {
	s := settings{catalog.PhoneChannel, catalog.NotificationMaxAttempts, catalog.NotificationRetrySeconds, nil}
	found, err := txmemo.Get(app, catalog.NotificationSettings+"/", func() ([]*core.Record, error) {
		return app.FindRecordsByFilter(catalog.NotificationSettings, "", "created", 1, 0)
	})
	if err != nil || len(found) == 0 {
		return s
	}
	r := found[0]
	s.record = r
	s.phoneChannel = r.GetString("phone_channel")
	s.maxAttempts = max(1, r.GetInt("max_attempts"))
	s.retrySeconds = max(1, r.GetInt("retry_seconds"))
	return s
}

// sender returns what hands on the messages of channel.
func (s settings) sender(app core.App, client *http.Client, channel string) Sender {
	if s.record == nil {
		return logSender{app}
	}
	r := s.record
	switch r.GetString(channel + "_sender") {
	case "http":
		return httpSender{client: client, url: r.GetString(channel + "_url"), token: r.GetString(channel + "_token"),
			channel: channel, whatsappTemplates: r.GetString("whatsapp_mode") == "template"}
	case "mail":
		return mailSender{app}
	}
	return logSender{app}
}
