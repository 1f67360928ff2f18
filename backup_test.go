package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/backup"
)

// TestBinary_LitestreamRestore runs the real server under `litestream
// replicate -exec` with the documented config and a file replica while four
// devices push registrations, waits (bounded) for the replica to catch up,
// then kills Litestream and the server with SIGKILL (no final sync: the
// machine is lost), restores the replica into a new directory, serves the
// restored data and finds every registration the server acknowledged.
func TestBinary_LitestreamRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and litestream")
	}
	// Litestream's first build takes minutes (its command links every cloud
	// SDK); make test-backup installs it and runs this test. Open point of
	// issue 5: whether CI pays that build on every run.
	if os.Getenv("LITESTREAM") == "" {
		t.Skip("LITESTREAM is not set: run make test-backup")
	}
	began := time.Now()
	phase := func(what string) { t.Logf("%-28s %v", what, time.Since(began).Round(10*time.Millisecond)) }
	bin := buildBinary(t)
	phase("binary built")
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	lsDir := filepath.Join(cache, "retorno-litestream-"+backup.LitestreamVersion)
	if err := os.MkdirAll(lsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	ls, err := backup.Litestream(lsDir)
	if err != nil {
		t.Fatal(err)
	}
	config, err := filepath.Abs(backup.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	data := filepath.Join(tmp, "pb_data")
	replica := filepath.Join(tmp, "replica")
	if out, err := exec.Command(bin, "seed", "--demo", "--returnees", "20", "--dir", data).CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	env := append(os.Environ(), "RETORNO_DATA="+data, "LITESTREAM_REPLICA="+replica)

	addr := freeAddr(t)
	base := "http://" + addr
	var logs bytes.Buffer
	rep := exec.Command(ls, "replicate", "-config", config,
		"-exec", fmt.Sprintf("%s serve --dir %s --http %s", bin, data, addr))
	rep.Env = env
	rep.Stdout, rep.Stderr = &logs, &logs
	rep.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // litestream and its -exec child
	if err := rep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("litestream and server logs:\n%s", logs.String())
		}
	})
	stopped := false
	defer func() {
		if !stopped {
			_ = syscall.Kill(-rep.Process.Pid, syscall.SIGKILL)
			_ = rep.Wait()
		}
	}()
	waitHealthy(t, base, &logs)
	phase("seeded, serving")
	// Litestream's first sync creates its bookkeeping tables and the first
	// snapshot; under a stream of writes from the start it can lose the race
	// for the write lock, so (as in operations: start it, then open the
	// reception point) wait for the first snapshot before devices write.
	waitReplicaCaughtUp(t, ls, config, filepath.Join(data, "data.db"), env, 1200*time.Millisecond, 15*time.Second)
	phase("first snapshot replicated")

	var auth struct {
		Token  string
		Record map[string]any
	}
	post(t, base+"/api/collections/staff/auth-with-password", "", `{"identity":"campo.tijuana@retorno.test","password":"retorno-demo"}`, &auth)
	point := auth.Record["reception_point"].(string)
	var states struct{ Items []struct{ ID string } }
	get(t, base+"/api/collections/states/records?perPage=1&filter="+url.QueryEscape(`curp_code="GR"`), "", &states)
	gr := states.Items[0].ID

	// four devices push concurrently; keep every acknowledged record id
	const devices, batches, perBatch = 4, 5, 25
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for d := 0; d < devices; d++ {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			for b := 0; b < batches; b++ {
				var ms []map[string]any
				ids := map[string]string{}
				for i := 0; i < perBatch; i++ {
					n := (d*batches+b)*perBatch + i
					mid, rid := fmt.Sprintf("bak-%02d-%05d", d, n), fmt.Sprintf("bak%02d%010d", d, n)
					ids[mid] = rid
					ms = append(ms, map[string]any{
						"mutation_id": mid, "collection": "returnees", "record_id": rid, "op": "create",
						"fields": map[string]any{"given_names": "Respaldo", "first_surname": fmt.Sprintf("Prueba %d", n),
							"birth_date": "1990-01-01", "sex": "M", "reception_point": point, "destination_state": gr},
					})
				}
				body, _ := json.Marshal(map[string]any{"client_id": fmt.Sprintf("backup-device-%02d", d), "schema_version": 1, "mutations": ms})
				for _, r := range pushWithRetry(t, base, auth.Token, body) {
					if r.Status != "applied" && r.Status != "duplicate" {
						t.Errorf("%s: %s %s", r.MutationID, r.Status, r.Error)
						continue
					}
					mu.Lock()
					acked[ids[r.MutationID]] = true
					mu.Unlock()
				}
			}
		}(d)
	}
	wg.Wait()
	if len(acked) != devices*batches*perBatch {
		t.Fatalf("acknowledged %d registrations, want %d", len(acked), devices*batches*perBatch)
	}

	phase(fmt.Sprintf("pushes acknowledged (%d retried)", retries.Load()))
	// wait (bounded) until the replica has caught up: its list of LTX files
	// stops changing for longer than monitor-interval + sync-interval
	t0 := time.Now()
	waitReplicaCaughtUp(t, ls, config, filepath.Join(data, "data.db"), env, 2500*time.Millisecond, 15*time.Second)
	t.Logf("replica caught up %v after the last acknowledged push", time.Since(t0).Round(time.Millisecond))

	// lose the machine: SIGKILL litestream and the server (no final sync),
	// so the restore shows what continuous replication alone kept
	_ = syscall.Kill(-rep.Process.Pid, syscall.SIGKILL)
	_ = rep.Wait()
	stopped = true

	// restore into a new directory with the same config
	restored := filepath.Join(tmp, "restored", "pb_data")
	if err := os.MkdirAll(restored, 0o755); err != nil {
		t.Fatal(err)
	}
	restore := exec.Command(ls, "restore", "-config", config, "-o", filepath.Join(restored, "data.db"), filepath.Join(data, "data.db"))
	restore.Env = env
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("litestream restore: %v\n%s\nreplicate logs:\n%s", err, out, logs.String())
	}

	phase("replica restored")
	// serve the restored data and find every acknowledged registration
	addr2 := freeAddr(t)
	base2 := "http://" + addr2
	var logs2 bytes.Buffer
	srv := exec.Command(bin, "serve", "--dir", restored, "--http", addr2)
	srv.Stdout, srv.Stderr = &logs2, &logs2
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	waitHealthy(t, base2, &logs2)
	post(t, base2+"/api/collections/staff/auth-with-password", "", `{"identity":"campo.tijuana@retorno.test","password":"retorno-demo"}`, &auth)
	found := map[string]bool{}
	for page := 1; ; page++ {
		var p struct{ Items []struct{ ID string } }
		get(t, fmt.Sprintf("%s/api/collections/returnees/records?perPage=500&skipTotal=1&fields=id&page=%d&filter=%s",
			base2, page, url.QueryEscape(`id ~ "bak%"`)), auth.Token, &p)
		for _, it := range p.Items {
			found[it.ID] = true
		}
		if len(p.Items) < 500 {
			break
		}
	}
	phase("restored data served")
	missing := 0
	for id := range acked {
		if !found[id] {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged registration %s is not in the restored database", id)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged registrations missing after restore", missing, len(acked))
	}
	// the restored change log serves a pull from scratch
	pulled := map[string]bool{}
	pullInto(t, base2, auth.Token, "", pulled)
	for id := range acked {
		if !pulled["returnees/"+id] {
			t.Errorf("a device pulling from the restored server lacks %s", id)
			break
		}
	}
}

// waitReplicaCaughtUp polls `litestream ltx` on the replica until it lists
// at least one LTX file (a header line and a row) and its output is unchanged
// for quiet, failing after limit.
func waitReplicaCaughtUp(t *testing.T, ls, config, db string, env []string, quiet, limit time.Duration) {
	t.Helper()
	var last []byte
	changed := time.Now()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		cmd := exec.Command(ls, "ltx", "-config", config, "-level", "all", db)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Equal(out, last) {
			last, changed = out, time.Now()
		} else if bytes.Count(bytes.TrimSpace(out), []byte("\n")) >= 1 && time.Since(changed) >= quiet {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("replica still changing (or empty) after %v:\n%s", limit, last)
}
