package testingutil

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/retorno-mx/retorno/demo"
)

// REST calls a running server's REST API with JSON, as the web app does.
type REST struct {
	Base string       // http://127.0.0.1:port
	HTTP *http.Client // nil: http.DefaultClient
}

// Call sends body (nil, []byte, or a value to send as JSON) with token and
// decodes the answer into out. With out it wants a 200 (PocketBase's answer
// with a body), without it any 2xx (a 204 too); any other status is an
// error that quotes the start of the answer.
func (r REST) Call(ctx context.Context, method, path, token string, body, out any) error {
	req, err := r.Request(ctx, method, path, token, body)
	if err != nil {
		return err
	}
	resp, err := r.Client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 || (out != nil && resp.StatusCode != http.StatusOK) {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, Truncate(raw, 400))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// Request is a request of path with token and body (nil, []byte, or a
// value to send as JSON).
func (r REST) Request(ctx context.Context, method, path, token string, body any) (*http.Request, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.Base+path, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	return req, nil
}

// Client is the HTTP client the calls go through.
func (r REST) Client() *http.Client {
	if r.HTTP == nil {
		return http.DefaultClient
	}
	return r.HTTP
}

// SignIn signs in to an auth collection with the demo password and returns
// the token and the auth record.
func (r REST) SignIn(ctx context.Context, collection, identity string) (string, map[string]any, error) {
	var auth struct {
		Token  string         `json:"token"`
		Record map[string]any `json:"record"`
	}
	err := r.Call(ctx, http.MethodPost, "/api/collections/"+collection+"/auth-with-password", "",
		map[string]string{"identity": identity, "password": demo.DefaultPassword}, &auth)
	return auth.Token, auth.Record, err
}

// List returns every record of collection that token may list, 500 a page;
// query adds to the list's parameters (filter, fields, sort).
func (r REST) List(ctx context.Context, token, collection string, query url.Values) ([]map[string]any, error) {
	var all []map[string]any
	q := url.Values{"perPage": {"500"}, "skipTotal": {"1"}}
	for k, v := range query {
		q[k] = v
	}
	for page := 1; ; page++ {
		var res struct {
			Items []map[string]any `json:"items"`
		}
		q.Set("page", strconv.Itoa(page))
		if err := r.Call(ctx, http.MethodGet, "/api/collections/"+collection+"/records?"+q.Encode(), token, nil, &res); err != nil {
			return nil, err
		}
		all = append(all, res.Items...)
		if len(res.Items) < 500 {
			return all, nil
		}
	}
}

// Count returns how many records of collection matching filter (all when
// empty) token may list.
func (r REST) Count(ctx context.Context, token, collection, filter string) (int, error) {
	var res struct {
		TotalItems int `json:"totalItems"`
	}
	q := url.Values{"perPage": {"1"}, "fields": {"id"}}
	if filter != "" {
		q.Set("filter", filter)
	}
	err := r.Call(ctx, http.MethodGet, "/api/collections/"+collection+"/records?"+q.Encode(), token, nil, &res)
	return res.TotalItems, err
}

// Truncate is b as a string, cut after n bytes.
func Truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
