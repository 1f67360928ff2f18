package notify

import (
	"context"
	"html"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// mailSender sends email through PocketBase's mail settings (SMTP, set in
// the dashboard), from the application's sender name and address.
type mailSender struct{ app core.App }

func (s mailSender) Send(_ context.Context, m Message) error {
	meta := s.app.Settings().Meta
	return s.app.NewMailClient().Send(&mailer.Message{
		From:    mail.Address{Name: meta.SenderName, Address: meta.SenderAddress},
		To:      []mail.Address{{Address: m.To}},
		Subject: m.Subject,
		Text:    m.Body,
		HTML:    "<p>" + strings.ReplaceAll(html.EscapeString(m.Body), "\n", "<br>") + "</p>",
	})
}
