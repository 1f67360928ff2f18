package main_test

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// serveArgs runs `retorno serve` on a fresh data directory with extra
// arguments and returns its base URL once healthy.
func serveArgs(t *testing.T, bin string, args ...string) string {
	t.Helper()
	return startServer(t, bin, filepath.Join(t.TempDir(), "pb_data"), freeAddr(t), args...).Base
}

// The binary lets no other origin read its answers unless `serve --origins`
// names it (PocketBase's default is "*"), and answers an unknown /api/ path
// with PocketBase's JSON 404, not the web app's HTML.
func TestBinary_OriginsAndUnknownAPI(t *testing.T) {
	bin := buildBinary(t)
	const other = "https://elsewhere.example"
	for _, c := range []struct {
		name string
		args []string
		want string // Access-Control-Allow-Origin for other
	}{
		{"default", nil, ""},
		{"--origins", []string{"--origins", other}, other},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := serveArgs(t, bin, c.args...)
			get, _ := http.NewRequest(http.MethodGet, base+"/api/health", nil)
			preflight, _ := http.NewRequest(http.MethodOptions, base+"/api/collections/staff/auth-with-password", nil)
			preflight.Header.Set("Access-Control-Request-Method", http.MethodPost)
			for _, req := range []*http.Request{get, preflight} {
				req.Header.Set("Origin", other)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if got := resp.Header.Get("Access-Control-Allow-Origin"); got != c.want {
					t.Errorf("%s %s from %s: Access-Control-Allow-Origin %q, want %q", req.Method, req.URL.Path, other, got, c.want)
				}
			}

			for _, method := range []string{http.MethodGet, http.MethodPost} {
				req, _ := http.NewRequest(method, base+"/api/no-such-route", nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"status":404`) {
					t.Errorf("%s /api/no-such-route: %d %.80s, want PocketBase's JSON 404", method, resp.StatusCode, body)
				}
			}
		})
	}
}
