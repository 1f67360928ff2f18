package syncclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// maxResponse bounds the body of an answer the client reads.
const maxResponse = 256 << 20

// HTTPError is a non-2xx answer of the server.
type HTTPError struct {
	// Method and Path are the request's.
	Method string
	Path   string
	// Status is the answer's HTTP status code.
	Status int
	// Message is PocketBase's error message, or the start of the body.
	Message string
}

// Error implements error.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, e.Message)
}

// Transient reports whether the request may succeed if sent again as it is:
// a 5xx, 408 or 429 answer.
func (e *HTTPError) Transient() bool {
	return e.Status >= 500 || e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests
}

// IsTransient reports whether err is worth retrying unchanged: a network
// failure, a cut answer, or a transient HTTPError. A cancelled context and
// 4xx answers are not.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Transient()
	}
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, errBadAnswer)
}

// errBadAnswer marks a 200 answer that could not be read: a cut or garbled
// body, worth a retry.
var errBadAnswer = errors.New("unreadable answer")

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

func (c *Client) token(ctx context.Context) (string, error) {
	if c.Auth != nil {
		t, err := c.Auth(ctx)
		if err != nil {
			return "", fmt.Errorf("auth: %w", err)
		}
		return t, nil
	}
	return c.Token, nil
}

// call sends a JSON request and decodes a 200 answer into out.
func (c *Client) call(ctx context.Context, method, path string, body, out any) error {
	token, err := c.token(ctx)
	if err != nil {
		return err
	}
	return doJSON(ctx, c.httpClient(), method, strings.TrimRight(c.BaseURL, "/")+path, token, body, out)
}

func doJSON(ctx context.Context, hc *http.Client, method, fullURL, token string, body, out any) error {
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, fullURL, reader)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, req.URL.Path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		he := &HTTPError{Method: method, Path: req.URL.Path, Status: resp.StatusCode}
		var pb struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &pb) == nil && pb.Message != "" {
			he.Message = pb.Message
		} else {
			he.Message = strings.TrimSpace(string(raw[:min(len(raw), 200)]))
		}
		return he
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w: %v", method, req.URL.Path, errBadAnswer, err)
		}
	}
	return nil
}

// SignIn authenticates identity (an email) and password against an auth
// collection of the server at baseURL (POST
// /api/collections/{collection}/auth-with-password) and returns the token
// and the auth record. hc may be nil for http.DefaultClient.
func SignIn(ctx context.Context, hc *http.Client, baseURL, collection, identity, password string) (string, map[string]any, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	var out struct {
		Token  string         `json:"token"`
		Record map[string]any `json:"record"`
	}
	u := strings.TrimRight(baseURL, "/") + "/api/collections/" + url.PathEscape(collection) + "/auth-with-password"
	err := doJSON(ctx, hc, http.MethodPost, u, "", map[string]string{"identity": identity, "password": password}, &out)
	if err != nil {
		return "", nil, fmt.Errorf("sign in %s: %w", identity, err)
	}
	if out.Token == "" {
		return "", nil, fmt.Errorf("sign in %s: no token in the answer", identity)
	}
	return out.Token, out.Record, nil
}
