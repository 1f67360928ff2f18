package main_test

// Helpers shared by the tests that run the real binary (main_test.go,
// crash_test.go, backup_test.go): build it once, seed a data directory, serve
// it on a free loopback port, sign in, call the REST API, pull the change log.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/internal/testingutil"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds ./retorno once per test run into a temp dir; in -short
// mode it skips the test, which runs the real binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "retorno_bin_")
		if err != nil {
			buildErr = err
			return
		}
		binPath, buildErr = testingutil.BuildBinary(context.Background(), dir)
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
	out, err := testingutil.Seed(context.Background(), bin, data, returnees)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func freeAddr(t *testing.T) string {
	addr, err := testingutil.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// logBuffer collects a child process's output.
type logBuffer = testingutil.LogBuffer

// startServer runs `retorno serve --dir data --http addr [args...]` and
// waits until it answers /api/health. The test's cleanup kills it and, if
// the test failed, logs its output.
func startServer(t *testing.T, bin, data, addr string, args ...string) *testingutil.Server {
	t.Helper()
	s, err := testingutil.Serve(bin, data, addr, 30*time.Second, args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Kill()
		if t.Failed() {
			t.Logf("server on %s (%s) logs:\n%s", addr, data, s.Logs)
		}
	})
	return s
}

func waitHealthy(t *testing.T, base string, logs fmt.Stringer) {
	t.Helper()
	if err := testingutil.WaitHealthy(base, 30*time.Second); err != nil {
		t.Fatalf("%v:\n%s", err, logs)
	}
}

// fieldWorker signs in as the demo field worker of Tijuana and returns the
// token, the worker's reception point and the id of the state Guerrero (a
// destination for registrations).
func fieldWorker(t *testing.T, base string) (token, point, state string) {
	t.Helper()
	token, rec, err := testingutil.REST{Base: base}.SignIn(context.Background(), "staff", "campo.tijuana@retorno.test")
	point, _ = rec["reception_point"].(string)
	if err != nil || token == "" || point == "" {
		t.Fatalf("sign-in as the Tijuana field worker: %v %v", rec, err)
	}
	var states struct{ Items []struct{ ID string } }
	get(t, base, "/api/collections/states/records?perPage=1&filter="+url.QueryEscape(`curp_code="GR"`), "", &states)
	if len(states.Items) != 1 {
		t.Fatal("state GR not found")
	}
	return token, point, states.Items[0].ID
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
	q := url.Values{"fields": {"id"}}
	if filter != "" {
		q.Set("filter", filter)
	}
	items, err := testingutil.REST{Base: base}.List(context.Background(), token, "returnees", q)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, it := range items {
		ids[it["id"].(string)] = true
	}
	return ids
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
		get(t, base, "/api/sync/pull?"+q.Encode(), token, &page)
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

// get reads path of the server at base as token's user into out, and
// fails t unless the answer is a 2xx.
func get(t *testing.T, base, path, token string, out any) {
	t.Helper()
	if err := (testingutil.REST{Base: base}).Call(context.Background(), http.MethodGet, path, token, nil, out); err != nil {
		t.Fatal(err)
	}
}
