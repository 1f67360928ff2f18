package main_test

// The restore tests: Litestream replicates pb_data/data.db of the running
// binary to a file replica while devices register people and sync; then the
// machine is lost (the server is killed with SIGKILL and nothing more reaches
// the replica: no final sync), the replica is restored into a new directory,
// the binary serves it, and every registration the server acknowledged is
// there.
//
// TestBinary_RestoreFromReplica runs in `make test`: it drives Litestream
// v0.5.18 as a Go library (its root package and its file replica client, test
// code only: the retorno binary does not link it), with the intervals of
// backup/litestream.yml. TestBinary_LitestreamRestore does the same through
// the litestream command and that config file; it needs the command, whose
// first build takes minutes, so it runs under `make test-backup`.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	"github.com/superfly/ltx"
	"gopkg.in/yaml.v3"

	"github.com/retorno-mx/retorno/backup"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/syncclient"
)

// The writes of both tests: four devices, each four batches of 20
// registrations, a sync after each batch.
const restoreDevices, restoreBatches, restorePerBatch = 4, 4, 20

// TestBinary_RestoreFromReplica replicates the running server's data.db with
// Litestream in the test process while four devices write, waits (bounded)
// until the replica has caught up with the database after the last
// acknowledged push, then loses the machine:
// the replica stops receiving at once and the server gets SIGKILL. It
// restores the replica into a new directory with Litestream, serves it and
// finds every acknowledged registration, through the REST API and through
// devices pulling from scratch and from their old cursors.
func TestBinary_RestoreFromReplica(t *testing.T) {
	began := time.Now()
	bin := buildBinary(t)
	phase := func(what string) { t.Logf("%-34s %v", what, time.Since(began).Round(10*time.Millisecond)) }
	libraryVersion(t)
	cfg := readLitestreamConfig(t)
	phase("binary built")

	tmp := t.TempDir()
	data := filepath.Join(tmp, "pb_data")
	replicaDir := filepath.Join(tmp, "replica")
	seedDemo(t, bin, data, 20)
	srv := startServer(t, bin, data, freeAddr(t))
	phase("seeded, serving")

	// as in operations: start Litestream, wait for its first snapshot (its
	// first sync needs the write lock once), then let devices write
	rep := replicate(t, filepath.Join(data, "data.db"), replicaDir, cfg)
	rep.waitCaughtUp(t, 0, 15*time.Second)
	phase("first snapshot replicated")

	token, point, gr := fieldWorker(t, srv.Base)
	acked, devices := devicesWrite(t, srv.Base, token, point, gr)
	phase("registrations acknowledged")

	// continuous replication alone: wait until the replica holds what
	// Litestream has read from the WAL, and that has stopped moving for
	// longer than a monitor interval plus a sync interval
	t0 := time.Now()
	rep.waitCaughtUp(t, cfg.monitorInterval+cfg.syncInterval+500*time.Millisecond, 15*time.Second)
	t.Logf("replica caught up %v after the last acknowledged push", time.Since(t0).Round(time.Millisecond))

	// lose the machine: nothing more reaches the replica, the server dies
	rep.lose()
	srv.Kill()
	rep.close()
	phase("machine lost")

	restored := filepath.Join(tmp, "restored", "pb_data")
	if err := os.MkdirAll(restored, 0o755); err != nil {
		t.Fatal(err)
	}
	restoreReplica(t, replicaDir, filepath.Join(restored, "data.db"))
	phase("replica restored")

	checkRestored(t, bin, restored, acked, devices)
	phase("restored data checked")
}

// TestBinary_LitestreamRestore runs the real server under `litestream
// replicate -exec` with the documented config and a file replica while four
// devices write, waits (bounded) for the replica to catch up, then kills
// Litestream and the server with SIGKILL (no final sync: the machine is
// lost), restores the replica with `litestream restore` and the same config
// into a new directory, serves the restored data and finds every
// registration the server acknowledged. It also restores the command's
// replica with the library and finds the same database, byte for byte.
func TestBinary_LitestreamRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and litestream")
	}
	// The litestream command's first build takes minutes (it links every
	// cloud SDK); make test-backup installs it and runs this test.
	// TestBinary_RestoreFromReplica covers the same engine in make test.
	if os.Getenv("LITESTREAM") == "" {
		t.Skip("LITESTREAM is not set: run make test-backup")
	}
	began := time.Now()
	phase := func(what string) { t.Logf("%-34s %v", what, time.Since(began).Round(10*time.Millisecond)) }
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
	seedDemo(t, bin, data, 20)
	env := append(os.Environ(), "RETORNO_DATA="+data, "LITESTREAM_REPLICA="+replica)

	addr := freeAddr(t)
	base := "http://" + addr
	logs := &logBuffer{}
	rep := exec.Command(ls, "replicate", "-config", config,
		"-exec", fmt.Sprintf("%s serve --dir %s --http %s", bin, data, addr))
	rep.Env = env
	rep.Stdout, rep.Stderr = logs, logs
	rep.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // litestream and its -exec child
	if err := rep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("litestream and server logs:\n%s", logs)
		}
	})
	stopped := false
	defer func() {
		if !stopped {
			_ = syscall.Kill(-rep.Process.Pid, syscall.SIGKILL)
			_ = rep.Wait()
		}
	}()
	waitHealthy(t, base, logs)
	phase("seeded, serving")
	// Litestream's first sync creates its bookkeeping tables and the first
	// snapshot; under a stream of writes from the start it can lose the race
	// for the write lock, so (as in operations: start it, then open the
	// reception point) wait for the first snapshot before devices write.
	waitReplicaListed(t, ls, config, filepath.Join(data, "data.db"), env, 1200*time.Millisecond, 15*time.Second)
	phase("first snapshot replicated")

	token, point, gr := fieldWorker(t, base)
	acked, devices := devicesWrite(t, base, token, point, gr)
	phase("registrations acknowledged")

	// wait (bounded) until the replica has caught up: its list of LTX files
	// stops changing for longer than monitor-interval + sync-interval
	t0 := time.Now()
	waitReplicaListed(t, ls, config, filepath.Join(data, "data.db"), env, 2500*time.Millisecond, 15*time.Second)
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
		t.Fatalf("litestream restore: %v\n%s", err, out)
	}
	phase("replica restored")
	// the library (TestBinary_RestoreFromReplica) reads the command's
	// replica: both restores give the same database, byte for byte
	lib := filepath.Join(tmp, "restored-library", "data.db")
	if err := os.MkdirAll(filepath.Dir(lib), 0o755); err != nil {
		t.Fatal(err)
	}
	restoreReplica(t, replica, lib)
	a, errA := os.ReadFile(filepath.Join(restored, "data.db"))
	b, errB := os.ReadFile(lib)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("the library's restore of the command's replica differs: %d and %d bytes (%v, %v)", len(a), len(b), errA, errB)
	}

	checkRestored(t, bin, restored, acked, devices)
	phase("restored data checked")
}

// devicesWrite has restoreDevices devices (the Go sync client, signed in
// with token) register people at point concurrently, syncing after each
// batch, and returns the ids of the registrations the server acknowledged
// (applied or duplicate) and the devices, which keep their local copies and
// cursors.
func devicesWrite(t *testing.T, base, token, point, state string) (map[string]bool, []*syncclient.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	devices := make([]*syncclient.Client, restoreDevices)
	var mu sync.Mutex
	acked := map[string]bool{}
	retried := 0
	var wg sync.WaitGroup
	for d := range devices {
		c := &syncclient.Client{BaseURL: base, Token: token, ClientID: fmt.Sprintf("backup-device-%02d", d), BatchSize: restorePerBatch}
		devices[d] = c
		wg.Go(func() {
			for b := range restoreBatches {
				for i := range restorePerBatch {
					n := (d*restoreBatches+b)*restorePerBatch + i
					id := fmt.Sprintf("bak%02d%010d", d, n)
					if err := c.Create("returnees", id, returneeFields("Respaldo", fmt.Sprintf("Prueba %d", n), "M", point, state)); err != nil {
						t.Errorf("device %d: %v", d, err)
						return
					}
				}
				report, err := c.Sync(ctx)
				if err != nil {
					t.Errorf("device %d: %v", d, err)
					return
				}
				mu.Lock()
				retried += report.Attempts - 1
				for _, r := range report.Push.Results {
					if r.Status == devicesync.StatusApplied || r.Status == devicesync.StatusDuplicate {
						acked[r.RecordID] = true
					} else {
						t.Errorf("%s (%s): %s %v", r.MutationID, r.RecordID, r.Status, r.Error)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	t.Logf("%d syncs, %d attempts retried", restoreDevices*restoreBatches, retried)
	if want := restoreDevices * restoreBatches * restorePerBatch; len(acked) != want {
		t.Fatalf("acknowledged %d registrations, want %d", len(acked), want)
	}
	return acked, devices
}

// checkRestored serves the restored data directory dir and checks that every
// acknowledged registration is there: in the REST list; for a new device
// pulling from scratch; and for the devices that wrote them, which carry on
// from their cursors without a reset (nothing they had seen was lost) and
// whose copies equal the REST list.
func checkRestored(t *testing.T, bin, dir string, acked map[string]bool, devices []*syncclient.Client) {
	t.Helper()
	srv := startServer(t, bin, dir, freeAddr(t))
	token, _, _ := fieldWorker(t, srv.Base)
	found := listIDs(t, srv.Base, token, `id ~ "bak%"`)
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
		t.Fatalf("%d of %d acknowledged registrations missing after restore", missing, len(acked))
	}
	all := listIDs(t, srv.Base, token, "")

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fresh := &syncclient.Client{BaseURL: srv.Base, Token: token, ClientID: "restore-observer"}
	devices = append(devices, fresh)
	for i, c := range devices {
		c.BaseURL = srv.Base // the devices keep their tokens: the restored server knows them
		report, err := c.Pull(ctx)
		if err != nil {
			t.Fatalf("device %d pulling from the restored server: %v", i, err)
		}
		if report.Reset && c != fresh {
			t.Errorf("device %d was reset by the restored server: its cursor is ahead of the restored change log", i)
		}
		items, err := c.List("returnees")
		if err != nil {
			t.Fatal(err)
		}
		held := map[string]bool{}
		for _, it := range items {
			held[it.ID] = true
			if it.Pending {
				t.Errorf("device %d still has %s pending", i, it.ID)
			}
		}
		if len(held) != len(all) {
			t.Errorf("device %d holds %d returnees, the restored REST list %d", i, len(held), len(all))
		}
		for id := range all {
			if !held[id] {
				t.Errorf("device %d lacks %s after pulling from the restored server", i, id)
				break
			}
		}
	}
}

// libraryVersion checks that the Litestream library this test links (go.mod)
// is the release the litestream command is pinned to (make litestream,
// backup.LitestreamVersion), so that both write and read the same replicas.
func libraryVersion(t *testing.T) {
	t.Helper()
	const module = "github.com/benbjohnson/litestream"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build information in the test binary")
	}
	for _, d := range info.Deps {
		if d.Path == module {
			if d.Version != backup.LitestreamVersion {
				t.Fatalf("go.mod has %s %s, the command is pinned to %s: keep them equal", module, d.Version, backup.LitestreamVersion)
			}
			return
		}
	}
	t.Fatalf("%s is not in the test binary's build information", module)
}

// litestreamConfig holds the settings of backup/litestream.yml that
// TestBinary_RestoreFromReplica gives the library.
type litestreamConfig struct {
	snapshotInterval, snapshotRetention time.Duration
	monitorInterval, busyTimeout        time.Duration
	syncInterval                        time.Duration
}

func readLitestreamConfig(t *testing.T) litestreamConfig {
	t.Helper()
	raw, err := os.ReadFile(backup.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Snapshot struct{ Interval, Retention time.Duration }
		DBs      []struct {
			MonitorInterval time.Duration `yaml:"monitor-interval"`
			BusyTimeout     time.Duration `yaml:"busy-timeout"`
			Replica         struct {
				Type         string
				SyncInterval time.Duration `yaml:"sync-interval"`
			}
		}
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", backup.ConfigPath, err)
	}
	if len(doc.DBs) != 1 || doc.DBs[0].Replica.Type != "file" {
		t.Fatalf("%s: want one database with a file replica", backup.ConfigPath)
	}
	c := litestreamConfig{
		snapshotInterval: doc.Snapshot.Interval, snapshotRetention: doc.Snapshot.Retention,
		monitorInterval: doc.DBs[0].MonitorInterval, busyTimeout: doc.DBs[0].BusyTimeout,
		syncInterval: doc.DBs[0].Replica.SyncInterval,
	}
	if c.snapshotInterval <= 0 || c.snapshotRetention <= 0 || c.monitorInterval <= 0 || c.busyTimeout <= 0 || c.syncInterval <= 0 {
		t.Fatalf("%s: a setting the test uses is missing: %+v", backup.ConfigPath, c)
	}
	return c
}

// replication is Litestream replicating one database in the test process,
// set up as `litestream replicate` sets it up from the config (a Store with
// the default compaction levels, one DB, one replica), to a file replica.
type replication struct {
	db    *litestream.DB
	store *litestream.Store
	fence *fencedClient
	logs  *logBuffer
}

// replicate starts replicating dbPath to the file replica replicaDir; the
// test's cleanup stops it.
func replicate(t *testing.T, dbPath, replicaDir string, cfg litestreamConfig) *replication {
	t.Helper()
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))

	db := litestream.NewDB(dbPath)
	db.MonitorInterval = cfg.monitorInterval
	db.BusyTimeout = cfg.busyTimeout
	client := file.NewReplicaClient(replicaDir)
	fence := &fencedClient{ReplicaClient: client}
	r := litestream.NewReplicaWithClient(db, fence)
	r.SyncInterval = cfg.syncInterval
	client.Replica = r
	db.Replica = r

	store := litestream.NewStore([]*litestream.DB{db}, litestream.DefaultCompactionLevels)
	store.Logger = logger
	db.SetLogger(logger)
	store.SnapshotInterval = cfg.snapshotInterval
	store.SnapshotRetention = cfg.snapshotRetention
	store.SetShutdownSyncTimeout(0) // close tries one final sync, which the lost machine refuses
	if err := store.Open(context.Background()); err != nil {
		t.Fatalf("litestream: %v", err)
	}
	rep := &replication{db: db, store: store, fence: fence, logs: logs}
	t.Cleanup(func() {
		rep.close()
		if t.Failed() {
			t.Logf("litestream logs:\n%s", logs)
		}
	})
	return rep
}

// waitCaughtUp waits until the replica's position equals the position
// Litestream has read from the database and that has not moved for quiet,
// failing after limit.
func (r *replication) waitCaughtUp(t *testing.T, quiet, limit time.Duration) {
	t.Helper()
	var last litestream.SyncStatus
	var lastErr error
	changed := time.Now()
	deadline := changed.Add(limit)
	for time.Now().Before(deadline) {
		st, err := r.db.SyncStatus(context.Background())
		lastErr = err
		if err == nil {
			if st.LocalTXID != last.LocalTXID {
				changed = time.Now()
			}
			last = st
			if st.InSync && time.Since(changed) >= quiet {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("replica not caught up after %v: database at txid %s, replica at %s (error: %v)", limit, last.LocalTXID, last.RemoteTXID, lastErr)
}

// lose cuts the replica off as a lost machine would: no write or delete
// reaches it from now on, and none is under way when lose returns.
func (r *replication) lose() {
	r.fence.mu.Lock()
	r.fence.lost = true
	r.fence.mu.Unlock()
}

// close stops replicating (its final sync fails if the machine was lost).
func (r *replication) close() {
	if r.store == nil {
		return
	}
	_ = r.store.Close(context.Background())
	r.store = nil
}

var errMachineLost = errors.New("the machine is lost")

// fencedClient is the file replica client with a switch: once lost is set,
// the replica no longer changes.
type fencedClient struct {
	*file.ReplicaClient
	mu   sync.RWMutex
	lost bool
}

func (c *fencedClient) WriteLTXFile(ctx context.Context, level int, minTXID, maxTXID ltx.TXID, rd io.Reader) (*ltx.FileInfo, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.lost {
		return nil, errMachineLost
	}
	return c.ReplicaClient.WriteLTXFile(ctx, level, minTXID, maxTXID, rd)
}

func (c *fencedClient) DeleteLTXFiles(ctx context.Context, a []*ltx.FileInfo) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.lost {
		return errMachineLost
	}
	return c.ReplicaClient.DeleteLTXFiles(ctx, a)
}

func (c *fencedClient) DeleteAll(ctx context.Context) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.lost {
		return errMachineLost
	}
	return c.ReplicaClient.DeleteAll(ctx)
}

// restoreReplica restores the latest state of the file replica replicaDir
// into out (which must not exist), as `litestream restore -o out` does, with
// SQLite's quick integrity check.
func restoreReplica(t *testing.T, replicaDir, out string) {
	t.Helper()
	r := litestream.NewReplicaWithClient(nil, file.NewReplicaClient(replicaDir))
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = out
	opt.IntegrityCheck = litestream.IntegrityCheckQuick
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.Restore(ctx, opt); err != nil {
		t.Fatalf("litestream restore: %v", err)
	}
}

// waitReplicaListed polls `litestream ltx` on the replica until it lists at
// least one LTX file (a header line and a row) and its output is unchanged
// for quiet, failing after limit.
func waitReplicaListed(t *testing.T, ls, config, db string, env []string, quiet, limit time.Duration) {
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
