package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBinary_SeedAndServe builds the real binary and runs what `make run`
// runs: seed the demo data, print the logins, serve; then signs in as a demo
// field worker and lists returnees through the REST API.
func TestBinary_SeedAndServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	data := filepath.Join(dir, "pb_data")

	out, err := exec.Command(bin, "seed", "--demo", "--returnees", "60", "--dir", data).CombinedOutput()
	if err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	for _, want := range []string{"admin@retorno.test", "campo.tijuana@retorno.test", "coordinacion.bc@retorno.test", "nodess.", "persona.1@retorno.test", "retorno-demo"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("seed output lacks %q:\n%s", want, out)
		}
	}
	again, err := exec.Command(bin, "seed", "--demo", "--dir", data).CombinedOutput()
	if err != nil || !bytes.Contains(again, []byte("already has data")) || !bytes.Contains(again, []byte("campo.tijuana@retorno.test")) {
		t.Errorf("second seed should keep the data and list the accounts: %v\n%s", err, again)
	}

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--dir", data, "--http", addr)
	var logs bytes.Buffer
	serve.Stdout, serve.Stderr = &logs, &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = serve.Wait() }()
	base := "http://" + addr
	waitHealthy(t, base, &logs)

	for _, path := range []string{"/", "/_/"} {
		resp, err := http.Get(base + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %v %v", path, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}

	var auth struct {
		Token  string
		Record map[string]any
	}
	post(t, base+"/api/collections/staff/auth-with-password", "",
		`{"identity":"campo.tijuana@retorno.test","password":"retorno-demo"}`, &auth)
	point, _ := auth.Record["reception_point"].(string)
	if auth.Token == "" || point == "" {
		t.Fatalf("sign-in as the Tijuana field worker: %+v", auth)
	}
	var page struct {
		TotalItems int
		Items      []map[string]any
	}
	get(t, base+"/api/collections/returnees/records?perPage=500", auth.Token, &page)
	if page.TotalItems == 0 {
		t.Fatal("the Tijuana field worker sees no returnees")
	}
	for _, r := range page.Items {
		if r["reception_point"] != point {
			t.Errorf("returnee %v of another reception point is visible", r["id"])
		}
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds ./retorno once per test run into a temp dir.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "retorno_bin_")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "retorno")
		build := exec.Command("go", "build", "-o", binPath, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, base string, logs *bytes.Buffer) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server not healthy after 30 s:\n%s", logs)
}

func post(t *testing.T, url, token, body string, out any) {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	do(t, req, token, out)
}

func get(t *testing.T, url, token string, out any) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	do(t, req, token, out)
}

func do(t *testing.T, req *http.Request, token string, out any) {
	t.Helper()
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		t.Fatalf("%s %s: %s %s", req.Method, req.URL, resp.Status, b.String())
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(fmt.Errorf("%s: %w", req.URL, err))
	}
}
