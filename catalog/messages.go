package catalog

// MessageTemplate is the default text of the message one event sends
// (NotificationEvents), in Spanish (es-MX, tú) and English: the migration
// seeds notification_templates with it, and superusers edit it there.
// Body holds {placeholders}, each one of Params.
type MessageTemplate struct {
	Event  string
	Params []string
	ES, EN MessageText
}

// MessageText is a template's text in one language; Subject is for email.
type MessageText struct {
	Subject, Body string
}

// MessageParams are the placeholders a template may use, with the longest
// value each may take in runes: the server cuts a longer value to it (with
// "…"), and a template must fit the SMS limit with every placeholder that
// long (package notify).
var MessageParams = map[string]int{
	"name":      20, // the first of the person's given names
	"nodess":    60,
	"service":   22, // a referral's service, its label
	"course":    60,
	"starts_on": 10, // dates: 27/11/2026 in Spanish, 2026-11-27 in English
	"group":     60,
	"date":      10,
	"shares":    4,
	"savings":   14, // money: $1,234,567.00
	"debt":      14,
	"due_on":    10,
	"kind":      8, // a follow-up's kind, its label
	"expires":   10,
	"url":       40, // the web app's address (PocketBase's application URL)
}

// MessageTemplates are the default texts, one per event. They avoid
// characters outside the GSM-7 alphabet other than accented vowels, which
// SMS sends as plain vowels, so that an SMS stays in at most two segments.
var MessageTemplates = []MessageTemplate{
	{Event: "referral_accepted", Params: []string{"name", "nodess", "service"},
		ES: MessageText{"Tu canalización fue aceptada",
			"Hola {name}, {nodess} aceptó tu canalización para {service}. Pronto te buscarán para darte seguimiento."},
		EN: MessageText{"Your referral was accepted",
			"Hi {name}, {nodess} accepted your referral for {service}. They will contact you soon to follow up."}},
	{Event: "seat_confirmed", Params: []string{"name", "course", "starts_on"},
		ES: MessageText{"Tienes lugar en el curso",
			`Hola {name}, ya tienes lugar en el curso "{course}", que empieza el {starts_on}. Te esperamos.`},
		EN: MessageText{"You have a seat in the course",
			`Hi {name}, you have a seat in the course "{course}", which starts on {starts_on}. See you there.`}},
	{Event: "seat_promoted", Params: []string{"name", "course", "starts_on"},
		ES: MessageText{"Se liberó un lugar para ti",
			`Hola {name}, se liberó un lugar para ti en el curso "{course}" (empieza el {starts_on}). Ya quedaste inscrita o inscrito.`},
		EN: MessageText{"A seat opened up for you",
			`Hi {name}, a seat opened up for you in the course "{course}" (it starts on {starts_on}). You are now enrolled.`}},
	{Event: "savings_receipt", Params: []string{"name", "group", "date", "shares", "savings", "debt"},
		ES: MessageText{"Recibo de tu grupo de ahorro",
			"Hola {name}, recibo de {group}, reunión del {date}: tienes {shares} acciones, {savings} ahorrados y un préstamo por pagar de {debt}."},
		EN: MessageText{"Receipt from your savings group",
			"Hi {name}, receipt from {group}, meeting of {date}: you have {shares} shares, {savings} saved and {debt} of loans to repay."}},
	{Event: "follow_up_reminder", Params: []string{"name", "nodess", "due_on", "kind"},
		ES: MessageText{"Te buscaremos pronto",
			"Hola {name}, {nodess} te buscará el {due_on} ({kind}) para saber cómo vas. Si cambiaste de teléfono, avísales."},
		EN: MessageText{"We will contact you soon",
			"Hi {name}, {nodess} will contact you on {due_on} ({kind}) to see how you are doing. If your phone changed, let them know."}},
	{Event: "claim_code", Params: []string{"name", "expires", "url"},
		ES: MessageText{"Tu código para abrir tu cuenta",
			"Hola {name}, te dimos un código para abrir tu cuenta de Retorno; vence el {expires}. Entra a {url} con tu CURP o teléfono. No compartas el código."},
		EN: MessageText{"Your code to open your account",
			"Hi {name}, you were given a code to open your Retorno account; it expires on {expires}. Go to {url} with your CURP or phone. Never share the code."}},
}

// Defaults of the notification settings, which superusers change in the one
// record of notification_settings: the migration that creates it writes
// these, and package notify uses them when the record is missing.
var (
	// PhoneChannel is the channel of messages to a person's phone.
	PhoneChannel = "whatsapp"
	// DefaultSender hands every channel's messages to the server's log, so
	// that nothing leaves the server until a superuser sets a gateway up.
	DefaultSender = "log"
	// NotificationMaxAttempts is how many times a message is tried before
	// it is marked failed.
	NotificationMaxAttempts = 5
	// NotificationRetrySeconds is the wait before the first retry; each
	// later retry waits twice the one before.
	NotificationRetrySeconds = 60
)

// ChannelConsent is the consent purpose each notification channel needs: a
// granted, not withdrawn consent of that purpose. WhatsApp and SMS are both
// messages to the phone the person gave.
var ChannelConsent = map[string]string{
	"whatsapp": "contact_whatsapp",
	"sms":      "contact_whatsapp",
	"email":    "contact_email",
}

// PhoneChannels are the channels that may carry messages to a phone.
var PhoneChannels = []string{"whatsapp", "sms"}

// ChannelSenders are the senders (NotificationSenders) that may hand on
// each channel's messages.
var ChannelSenders = map[string][]string{
	"whatsapp": {"log", "http"},
	"sms":      {"log", "http"},
	"email":    {"log", "mail"},
}
