package notify

import (
	"context"
	"errors"

	"github.com/pocketbase/pocketbase/core"
)

// Message is one notification as a sender gets it: rendered, addressed.
type Message struct {
	ID       string // the notification's id
	Channel  string
	To       string // a phone in E.164, or an email address
	Template string
	Language string
	Params   map[string]string
	// Placeholders are the names the template uses, in its order
	Placeholders []string
	Subject      string // for email
	Body         string // the text, as it goes out
}

// Sender hands messages of a channel on to whatever delivers them. A nil
// error means the message was accepted. Errors wrapping ErrRejected or
// ErrOutcomeUnknown are final; any other error is retried.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

var (
	// ErrRejected is a refusal that a retry would meet again (a malformed
	// number, a wrong token): the message is marked failed at once.
	ErrRejected = errors.New("rejected")
	// ErrOutcomeUnknown is a failure after the message may have left (the
	// gateway took the request and gave no answer): to send each message
	// at most once, it is marked failed, never retried.
	ErrOutcomeUnknown = errors.New("outcome unknown")
)

// logSender writes messages to the server's log: nothing leaves the server.
// It is every channel's sender until a superuser sets a gateway up, so that
// `make run` shows what would be sent.
type logSender struct{ app core.App }

func (s logSender) Send(_ context.Context, m Message) error {
	s.app.Logger().Info("notify: message (log sender: not sent)",
		"id", m.ID, "channel", m.Channel, "to", masked(m.To), "template", m.Template, "text", m.Body)
	return nil
}

// masked hides all but the first four and the last three characters of
// an address, for the log.
func masked(to string) string {
	r := []rune(to)
	if len(r) <= 7 {
		return "***"
	}
	return string(r[:4]) + "***" + string(r[len(r)-3:])
}
