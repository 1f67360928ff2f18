package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// How messages leave the server: one record of notification_settings, which
// only superusers read and change, in the dashboard (nil rules), like
// follow_up_settings. Which channel a phone gets (WhatsApp or SMS), the
// sender of each channel (the log, an HTTP gateway, PocketBase's mail), the
// gateways' URLs and tokens (hidden: no API answer but a superuser's shows
// them), and the retries. The record starts with every channel on the log:
// nothing leaves the server until a superuser sets a gateway up.
func init() {
	settingsMigration(catalog.NotificationSettings, "pbc_notification_settings",
		map[string]any{
			"phone_channel": catalog.PhoneChannel, "whatsapp_sender": catalog.DefaultSender, "whatsapp_mode": "text",
			"sms_sender": catalog.DefaultSender, "email_sender": catalog.DefaultSender,
			"max_attempts": catalog.NotificationMaxAttempts, "retry_seconds": catalog.NotificationRetrySeconds,
		},
		&core.SelectField{Name: "phone_channel", Required: true, MaxSelect: 1, Values: catalog.PhoneChannels,
			Help: "How messages reach a person's phone (both need the contact_whatsapp consent)."},
		&core.SelectField{Name: "whatsapp_sender", Required: true, MaxSelect: 1, Values: catalog.ChannelSenders["whatsapp"]},
		&core.URLField{Name: "whatsapp_url",
			Help: "The WhatsApp Cloud API's messages endpoint: https://graph.facebook.com/v21.0/<phone number id>/messages"},
		&core.TextField{Name: "whatsapp_token", Hidden: true, Max: 1000, Help: "The access token (sent as Bearer)."},
		&core.SelectField{Name: "whatsapp_mode", Required: true, MaxSelect: 1, Values: catalog.WhatsAppModes.Codes()},
		&core.SelectField{Name: "sms_sender", Required: true, MaxSelect: 1, Values: catalog.ChannelSenders["sms"]},
		&core.URLField{Name: "sms_url", Help: `The SMS gateway's endpoint; it gets {"to": "+52...", "text": "..."} as JSON.`},
		&core.TextField{Name: "sms_token", Hidden: true, Max: 1000, Help: "The gateway's token (sent as Bearer)."},
		&core.SelectField{Name: "email_sender", Required: true, MaxSelect: 1, Values: catalog.ChannelSenders["email"],
			Help: "mail sends through PocketBase's mail settings (SMTP)."},
		integer("max_attempts", true, 1, 20),
		integer("retry_seconds", true, 1, 86400, "The wait before the first retry; each later one waits twice as long."),
	)
}
