package main_test

// Helpers shared by the tests that run the real binary (main_test.go,
// crash_test.go, backup_test.go): build it once, seed a data directory, serve
// it on a free loopback port, sign in, call the REST API, pull the change log.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

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

// seedDemo runs `retorno seed --demo` with n returnees into data and returns
// its output (the demo logins).
func seedDemo(t *testing.T, bin, data string, returnees int) []byte {
	t.Helper()
	out, err := exec.Command(bin, "seed", "--demo", "--returnees", strconv.Itoa(returnees), "--dir", data).CombinedOutput()
	if err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	return out
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// logBuffer collects a child process's output; safe for the goroutines of
// os/exec that write it and the test that reads it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// server is the binary serving one data directory on a loopback address.
type server struct {
	Base string // http://127.0.0.1:port
	Logs *logBuffer
	cmd  *exec.Cmd
	done bool
}

// startServer runs `retorno serve --dir data --http addr` and waits until it
// answers /api/health. The test's cleanup kills it and, if the test failed,
// logs its output.
func startServer(t *testing.T, bin, data, addr string) *server {
	t.Helper()
	s := &server{Base: "http://" + addr, Logs: &logBuffer{}}
	s.cmd = exec.Command(bin, "serve", "--dir", data, "--http", addr)
	s.cmd.Stdout, s.cmd.Stderr = s.Logs, s.Logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Kill()
		if t.Failed() {
			t.Logf("server on %s (%s) logs:\n%s", addr, data, s.Logs)
		}
	})
	waitHealthy(t, s.Base, s.Logs)
	return s
}

// Kill ends the server with SIGKILL (no shutdown: a crash, or the machine
// lost) and waits for it to exit. Later calls do nothing.
func (s *server) Kill() {
	if s.done {
		return
	}
	s.done = true
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

func waitHealthy(t *testing.T, base string, logs fmt.Stringer) {
	t.Helper()
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

// fieldWorker signs in as the demo field worker of Tijuana and returns the
// token, the worker's reception point and the id of the state Guerrero (a
// destination for registrations).
func fieldWorker(t *testing.T, base string) (token, point, state string) {
	t.Helper()
	var auth struct {
		Token  string
		Record map[string]any
	}
	post(t, base+"/api/collections/staff/auth-with-password", "",
		`{"identity":"campo.tijuana@retorno.test","password":"retorno-demo"}`, &auth)
	point, _ = auth.Record["reception_point"].(string)
	if auth.Token == "" || point == "" {
		t.Fatalf("sign-in as the Tijuana field worker: %+v", auth)
	}
	var states struct{ Items []struct{ ID string } }
	get(t, base+"/api/collections/states/records?perPage=1&filter="+url.QueryEscape(`curp_code="GR"`), "", &states)
	if len(states.Items) != 1 {
		t.Fatal("state GR not found")
	}
	return auth.Token, point, states.Items[0].ID
}

// returneeFields are the fields of a registration at point bound for state.
func returneeFields(givenNames, surname, sex, point, state string) map[string]any {
	return map[string]any{"given_names": givenNames, "first_surname": surname, "birth_date": "1990-01-01",
		"sex": sex, "reception_point": point, "destination_state": state}
}

// listIDs pages through the REST list of returnees the token's user sees
// (those matching filter, if not empty) and returns their ids.
func listIDs(t *testing.T, base, token, filter string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	for page := 1; ; page++ {
		q := url.Values{"perPage": {"500"}, "skipTotal": {"1"}, "fields": {"id"}, "page": {strconv.Itoa(page)}}
		if filter != "" {
			q.Set("filter", filter)
		}
		var p struct{ Items []struct{ ID string } }
		get(t, base+"/api/collections/returnees/records?"+q.Encode(), token, &p)
		for _, it := range p.Items {
			ids[it.ID] = true
		}
		if len(p.Items) < 500 {
			return ids
		}
	}
}

// pullInto pulls from cursor to the end into replica (collection/id keys)
// and returns the last cursor.
func pullInto(t *testing.T, base, token, cursor string, replica map[string]bool) string {
	for {
		q := url.Values{"client_id": {"crash-observer"}, "limit": {"500"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Changes []struct {
				Op, Collection string
				RecordID       string `json:"record_id"`
			}
			Cursor  string
			HasMore bool `json:"has_more"`
			Reset   bool
		}
		get(t, base+"/api/sync/pull?"+q.Encode(), token, &page)
		if page.Reset {
			t.Fatal("unexpected reset")
		}
		for _, c := range page.Changes {
			if c.Op == "put" {
				replica[c.Collection+"/"+c.RecordID] = true
			} else {
				delete(replica, c.Collection+"/"+c.RecordID)
			}
		}
		cursor = page.Cursor
		if !page.HasMore {
			return cursor
		}
	}
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
