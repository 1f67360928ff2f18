package main_test

import (
	"bytes"
	"net/http"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestBinary_SeedAndServe builds the real binary and runs what `make run`
// runs: seed the demo data, print the logins, serve; then signs in as a demo
// field worker and lists returnees through the REST API.
func TestBinary_SeedAndServe(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "pb_data")

	out := seedDemo(t, bin, data, 60)
	for _, want := range []string{"admin@retorno.test", "campo.tijuana@retorno.test", "coordinacion.bc@retorno.test", "nodess.", "persona.1@retorno.test", "retorno-demo"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("seed output lacks %q:\n%s", want, out)
		}
	}
	again, err := exec.Command(bin, "seed", "--demo", "--dir", data).CombinedOutput()
	if err != nil || !bytes.Contains(again, []byte("already has data")) || !bytes.Contains(again, []byte("campo.tijuana@retorno.test")) {
		t.Errorf("second seed should keep the data and list the accounts: %v\n%s", err, again)
	}

	base := startServer(t, bin, data, freeAddr(t)).Base
	for _, path := range []string{"/", "/_/"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}

	// the web app goes out gzipped to clients that accept it (slow 3G phones)
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("GET / with Accept-Encoding gzip: Content-Encoding %q, want gzip", got)
	}

	token, point, _ := fieldWorker(t, base)
	var page struct {
		TotalItems int
		Items      []map[string]any
	}
	get(t, base, "/api/collections/returnees/records?perPage=500", token, &page)
	if page.TotalItems == 0 {
		t.Fatal("the Tijuana field worker sees no returnees")
	}
	for _, r := range page.Items {
		if r["reception_point"] != point && r["previous_point"] != point {
			t.Errorf("returnee %v returned through other points only is visible", r["id"])
		}
	}
}
