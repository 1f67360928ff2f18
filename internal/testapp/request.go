package testapp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Request sends method path to base as the user of token ("" for a guest)
// with body as JSON (a string is sent as it is, nil sends nothing), and
// returns the status and the answer's body; a failed round trip fails tb.
func Request(tb testing.TB, base, token, method, path string, body any) (int, []byte) {
	tb.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, out
}
