package notify_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/notify"
)

// Who reads which messages: the person their own, a message of someone
// else answers like a missing one (404); the field workers of the person's
// point and the coordinator of its state what was sent, field workers no
// savings receipt; nobody but superusers writes one.
func TestNotifications_Scope(t *testing.T) {
	app, srv := testapp.NewServed(t)
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	grant(t, app, testapp.ReturneeB1, "contact_email")
	accept(t, app, testapp.ReferralA1)
	testapp.Save(t, app, "ledger_entries", map[string]any{"id": "entryscope00001", "group": testapp.GroupN1, "member": testapp.MemberA1,
		"type": "share_purchase", "shares": 1, "amount_cents": 5000, "meeting_date": "2026-10-01"})
	testapp.Save(t, app, "referrals", map[string]any{"id": "referralb1n2001", "returnee": testapp.ReturneeB1, "nodess": testapp.NodessN2, "service": "health"})
	accept(t, app, "referralb1n2001")
	ofA1, ofB1 := outbox(t, app, testapp.ReturneeA1), outbox(t, app, testapp.ReturneeB1)
	if len(ofA1) != 2 || len(ofB1) != 1 {
		t.Fatalf("A1 %s, B1 %s", describe(ofA1), describe(ofB1))
	}
	var receipt, referral string
	for _, n := range ofA1 {
		if n.GetString("template") == "savings_receipt" {
			receipt = n.Id
		} else {
			referral = n.Id
		}
	}
	b1 := ofB1[0].Id

	for _, c := range []struct {
		who  [2]string
		sees []string
	}{
		{[2]string{"returnee_accounts", testapp.AccountA1}, []string{referral, receipt}},
		{[2]string{"returnee_accounts", testapp.AccountB1}, []string{b1}},
		{[2]string{"staff", testapp.FieldWorkerA}, []string{referral}},
		{[2]string{"staff", testapp.FieldWorkerB}, []string{b1}},
		{[2]string{"staff", testapp.CoordBC}, []string{referral, receipt}},
		{[2]string{"staff", testapp.NodessStaff1}, nil},
	} {
		token := testapp.Token(t, app, c.who[0], c.who[1])
		listed := testapp.ListRevs(t, srv.URL, token, "notifications")
		for _, id := range []string{referral, receipt, b1} {
			want := strings.Contains(strings.Join(c.sees, " "), id)
			if _, got := listed[id]; got != want {
				t.Errorf("%s lists %s: %v, want %v", c.who[1], id, got, want)
			}
			status, _ := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/collections/notifications/records/"+id, nil)
			if wantStatus := map[bool]int{true: 200, false: 404}[want]; status != wantStatus {
				t.Errorf("%s views %s: %d, want %d", c.who[1], id, status, wantStatus)
			}
		}
		status, _ := testapp.Request(t, srv.URL, token, http.MethodPatch, "/api/collections/notifications/records/"+referral,
			map[string]any{"status": "cancelled"})
		if status == http.StatusOK {
			t.Errorf("%s changed a notification", c.who[1])
		}
		app.Settings().Batch.Enabled = true
		status, _ = testapp.Request(t, srv.URL, token, http.MethodPost, "/api/batch", map[string]any{"requests": []map[string]any{{
			"method": http.MethodPost, "url": "/api/collections/notifications/records",
			"body": map[string]any{"returnee": testapp.ReturneeA1, "channel": "whatsapp", "template": "referral_accepted", "language": "es"},
		}}})
		if status == http.StatusOK {
			t.Errorf("%s created a notification through the batch API", c.who[1])
		}
	}
	if n, _ := app.CountRecords("notifications"); n != 3 {
		t.Errorf("%d notifications, want the three queued", n)
	}
	if n := testapp.Find(t, app, "notifications", referral); n.GetString("status") != notify.StatusQueued {
		t.Errorf("status %s", n.GetString("status"))
	}
}

// A superuser's message to a person who did not consent to its channel, or
// has no address for it, is refused with a field error, and nothing is
// saved (so nothing sent).
func TestNotifications_RefusedWithoutConsent(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := asSuperuser(t, app, srv)
	grant(t, app, testapp.ReturneeA2, "contact_whatsapp") // A2 has no phone
	for _, c := range []struct {
		name, returnee, channel, code string
	}{
		{"no consent", testapp.ReturneeA1, "whatsapp", "no_consent"},
		{"no consent to email", testapp.ReturneeA1, "email", "no_consent"},
		{"no phone", testapp.ReturneeA2, "sms", "no_address"},
	} {
		status, body := su(http.MethodPost, "/api/collections/notifications/records",
			map[string]any{"returnee": c.returnee, "channel": c.channel, "template": "referral_accepted", "language": "es",
				"params": map[string]string{"nodess": "X", "service": "Y"}})
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"channel":{"code":"`+c.code+`"`) {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
	}
	if n, err := app.CountRecords("notifications"); err != nil || n != 0 {
		t.Errorf("%d notifications saved (%v)", n, err)
	}
	// with the consent it is queued, and a superuser may cancel it
	grant(t, app, testapp.ReturneeA1, "contact_whatsapp")
	status, body := su(http.MethodPost, "/api/collections/notifications/records",
		map[string]any{"returnee": testapp.ReturneeA1, "channel": "whatsapp", "template": "referral_accepted", "language": "es",
			"params": map[string]string{"nodess": "X", "service": "Y"}})
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"queued"`) {
		t.Errorf("with consent: %d %s", status, body)
	}
}

// A template that would not fit two SMS with its longest values, or that
// names a value its event does not have, is refused on save; the seeded
// ones fit.
func TestTemplates_Refused(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := asSuperuser(t, app, srv)
	tpl, err := app.FindFirstRecordByFilter("notification_templates", "template = 'seat_confirmed' && language = 'es'")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ body, code string }{
		{tpl.GetString("body") + strings.Repeat(" Recuerda llevar tu identificación.", 5), "sms_too_long"},
		{"Hola {name}, tu grupo {group}.", "unknown_placeholder"},
	} {
		status, body := su(http.MethodPatch, "/api/collections/notification_templates/records/"+tpl.Id, map[string]any{"body": c.body})
		if status != http.StatusBadRequest || !strings.Contains(string(body), `"body":{"code":"`+c.code+`"`) {
			t.Errorf("%q: %d %s", c.body, status, body)
		}
	}
	if got := testapp.Find(t, app, "notification_templates", tpl.Id).GetString("body"); got != tpl.GetString("body") {
		t.Errorf("body changed to %q", got)
	}
	// one shorter, in the same words, is taken and used by the next message
	status, body := su(http.MethodPatch, "/api/collections/notification_templates/records/"+tpl.Id,
		map[string]any{"body": "{name}: tienes lugar en {course}."})
	if status != http.StatusOK {
		t.Errorf("short body: %d %s", status, body)
	}
	var n int
	if err := app.DB().Select("count(*)").From("notification_templates").Where(dbx.HashExp{}).Row(&n); err != nil ||
		n != 2*len(catalog.MessageTemplates) {
		t.Errorf("%d templates seeded, want %d", n, 2*len(catalog.MessageTemplates))
	}
}

// The seeded templates fit two SMS with every value at its longest, and
// use only their events' values.
func TestTemplates_DefaultsFit(t *testing.T) {
	for _, tpl := range catalog.MessageTemplates {
		for lang, text := range map[string]catalog.MessageText{"es": tpl.ES, "en": tpl.EN} {
			filled := text.Body
			for _, name := range tpl.Params {
				filled = strings.ReplaceAll(filled, "{"+name+"}", strings.Repeat("x", catalog.MessageParams[name]))
			}
			if strings.Contains(filled, "{") {
				t.Errorf("%s/%s: a placeholder its event does not fill: %s", tpl.Event, lang, filled)
			}
			if got := notify.SMSSegments(notify.SMSText(filled)); got > notify.MaxSMSSegments {
				t.Errorf("%s/%s: %d segments", tpl.Event, lang, got)
			}
		}
	}
}

func TestSMSSegments(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{strings.Repeat("a", 160), 1},
		{strings.Repeat("a", 161), 2},
		{strings.Repeat("a", 306), 2},
		{strings.Repeat("a", 307), 3},
		{strings.Repeat("€", 80), 1}, // extension characters take two septets
		{strings.Repeat("€", 81), 2},
		{strings.Repeat("á", 70), 1}, // outside GSM-7: UCS-2
		{strings.Repeat("á", 71), 2},
		{strings.Repeat("á", 135), 3},
		{"ñÑüÜé¿¡", 1},
	} {
		if got := notify.SMSSegments(c.text); got != c.want {
			t.Errorf("%d runes of %q: %d segments, want %d", len([]rune(c.text)), []rune(c.text)[0], got, c.want)
		}
	}
	if got, want := notify.SMSText("Canalización aceptada: “sí”…"), `Canalizacion aceptada: "si"...`; got != want {
		t.Errorf("SMSText = %q, want %q", got, want)
	}
}

// The settings refuse a gateway without its address.
func TestSettings_GatewayNeedsURL(t *testing.T) {
	app, srv := testapp.NewServed(t)
	status, body := asSuperuser(t, app, srv)(http.MethodPatch, settingsPath(t, app), map[string]any{"sms_sender": "http"})
	var res struct {
		Data map[string]struct{ Code string } `json:"data"`
	}
	_ = json.Unmarshal(body, &res)
	if status != http.StatusBadRequest || res.Data["sms_url"].Code != "validation_required" {
		t.Errorf("%d %s", status, body)
	}
}
