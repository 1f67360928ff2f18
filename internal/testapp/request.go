package testapp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/retorno-mx/retorno/internal/testingutil"
)

// Request sends method path to base as the user of token ("" for a guest)
// with body as JSON (a string is sent as it is, nil sends nothing), and
// returns the status and the answer's body; a failed round trip fails tb.
func Request(tb testing.TB, base, token, method, path string, body any) (int, []byte) {
	tb.Helper()
	if s, ok := body.(string); ok {
		body = []byte(s)
	}
	req, err := testingutil.REST{Base: base}.Request(context.Background(), method, path, "", body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json") // a request without a body says JSON too
	return Do(tb, req, token)
}

// Do sends req as the user of token ("" for a guest) and returns the status
// and the answer's body; a failed round trip fails tb.
func Do(tb testing.TB, req *http.Request, token string) (int, []byte) {
	tb.Helper()
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

// ListRevs pages through the REST list of collection as the user of token
// and returns the rev of every record it gives, by id (0 in a collection
// without revs); an answer other than 200 fails tb.
func ListRevs(tb testing.TB, base, token, collection string) map[string]int {
	tb.Helper()
	revs := map[string]int{}
	for page := 1; ; page++ {
		path := "/api/collections/" + collection + "/records?perPage=500&skipTotal=1&fields=id,rev&page=" + strconv.Itoa(page)
		status, body := Request(tb, base, token, http.MethodGet, path, nil)
		var res struct {
			Items []struct {
				ID  string
				Rev int
			}
		}
		if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK {
			tb.Fatalf("list %s: %d %s", collection, status, body)
		}
		for _, it := range res.Items {
			revs[it.ID] = it.Rev
		}
		if len(res.Items) < 500 {
			return revs
		}
	}
}
