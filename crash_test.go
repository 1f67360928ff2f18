package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBinary_CrashDuringPushes kills the real server with SIGKILL while four
// devices push registrations, restarts it on the same data, and lets the
// devices retry: every registration exists exactly once, every answer is
// applied or duplicate, and a device that pulled before the crash converges
// from its old cursor (the change log has no gap a cursor could skip).
func TestBinary_CrashDuringPushes(t *testing.T) {
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "pb_data")
	seedDemo(t, bin, data, 20)
	addr := freeAddr(t)
	srv := startServer(t, bin, data, addr)
	base := srv.Base
	token, point, gr := fieldWorker(t, base)

	// a device that synced before the crash
	before := map[string]bool{}
	cursor := pullInto(t, base, token, "", before)

	const devices, batches, perBatch = 4, 6, 25
	var pushed atomic.Int64
	var wg sync.WaitGroup
	failures := make(chan string, devices*batches*perBatch)
	for d := 0; d < devices; d++ {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				var ms []map[string]any
				for i := 0; i < perBatch; i++ {
					n := (d*batches+b)*perBatch + i
					ms = append(ms, map[string]any{
						"mutation_id": fmt.Sprintf("crash-%02d-%05d", d, n), "collection": "returnees",
						"record_id": fmt.Sprintf("crash%02d%08d", d, n), "op": "create",
						"fields": returneeFields("Prueba", fmt.Sprintf("Caída %d", n), "H", point, gr),
					})
				}
				body, _ := json.Marshal(map[string]any{"client_id": fmt.Sprintf("crash-device-%02d", d), "schema_version": 1, "mutations": ms})
				results := pushWithRetry(t, base, token, body)
				for _, r := range results {
					if r.Status != "applied" && r.Status != "duplicate" {
						failures <- fmt.Sprintf("%s: %s %s", r.MutationID, r.Status, r.Error)
					}
				}
				pushed.Add(perBatch)
			}
		}(d)
	}

	// kill -9 once about a third of the registrations are in
	for pushed.Load() < devices*batches*perBatch/3 {
		time.Sleep(5 * time.Millisecond)
	}
	srv.Kill()
	startServer(t, bin, data, addr)

	wg.Wait()
	t.Logf("push attempts that failed and were retried: %d", retries.Load())
	close(failures)
	for f := range failures {
		t.Error(f)
	}

	// every registration exactly once
	var list struct {
		TotalItems int
	}
	get(t, base, "/api/collections/returnees/records?perPage=1&filter="+url.QueryEscape(`id ~ "crash%"`), token, &list)
	if got, want := list.TotalItems, devices*batches*perBatch; got != want {
		t.Errorf("registrations on the server = %d, want %d", got, want)
	}

	// the pre-crash device converges from its old cursor
	pullInto(t, base, token, cursor, before)
	rest := map[string]bool{}
	for id := range listIDs(t, base, token, "") {
		rest["returnees/"+id] = true
	}
	for id := range rest {
		if !before[id] {
			t.Errorf("after the crash the device lacks %s", id)
		}
	}
	for id := range before {
		if len(id) > 10 && id[:10] == "returnees/" && !rest[id] {
			t.Errorf("the device holds %s, which the REST list lacks", id)
		}
	}
}

// retries counts the push attempts that failed (the crash's effect).
var retries atomic.Int64

type pushResult struct {
	MutationID string          `json:"mutation_id"`
	Status     string          `json:"status"`
	Error      json.RawMessage `json:"error"`
}

// pushWithRetry retries a push until the server answers 200, as a device
// does when the network or the server fails.
func pushWithRetry(t *testing.T, base, token string, body []byte) []pushResult {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/sync/push", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if resp.StatusCode == http.StatusOK {
				var out struct{ Results []pushResult }
				if err := json.Unmarshal(raw, &out); err == nil {
					return out.Results
				}
			}
		} else {
			cancel()
		}
		retries.Add(1)
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("push never succeeded")
	return nil
}
