package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// httpSender posts messages to a gateway that a superuser set up in
// notification_settings: the WhatsApp Cloud API, or an SMS gateway that
// takes {"to", "text"} as JSON. The token goes as a Bearer token.
type httpSender struct {
	client *http.Client
	url    string
	token  string
	// channel is whatsapp or sms
	channel string
	// whatsappTemplates sends WhatsApp messages as Meta-approved templates
	// named after the event, with named parameters, rather than free text
	// (which WhatsApp delivers only within 24 hours of the person's last
	// message to the number)
	whatsappTemplates bool
}

func (s httpSender) Send(ctx context.Context, m Message) error {
	if s.url == "" {
		return fmt.Errorf("%w: no %s_url in notification_settings", ErrRejected, s.channel)
	}
	body, err := json.Marshal(s.payload(m))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRejected, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Op == "dial" {
			return fmt.Errorf("gateway unreachable: %w", err) // nothing left: retried
		}
		return fmt.Errorf("%w: %v", ErrOutcomeUnknown, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return fmt.Errorf("gateway answered %d: %s", code, strings.TrimSpace(string(answer)))
	default:
		return fmt.Errorf("%w: gateway answered %d: %s", ErrRejected, code, strings.TrimSpace(string(answer)))
	}
}

// payload is the JSON body of m for the gateway.
func (s httpSender) payload(m Message) any {
	if s.channel != "whatsapp" {
		return map[string]string{"to": m.To, "text": m.Body}
	}
	to := strings.TrimPrefix(m.To, "+")
	if !s.whatsappTemplates {
		return map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
			"type": "text", "text": map[string]any{"preview_url": false, "body": m.Body}}
	}
	params := []map[string]string{}
	for _, name := range m.Placeholders {
		params = append(params, map[string]string{"type": "text", "parameter_name": name, "text": m.Params[name]})
	}
	lang := "es_MX"
	if m.Language == "en" {
		lang = "en"
	}
	return map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "template",
		"template": map[string]any{"name": m.Template, "language": map[string]string{"code": lang},
			"components": []any{map[string]any{"type": "body", "parameters": params}}}}
}
