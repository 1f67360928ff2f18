// Package backup holds Retorno's continuous backup setup: Litestream
// replicating pb_data/data.db (config in litestream.yml beside this file,
// operations in docs/OPERATIONS.md) and a helper that finds or installs the
// pinned litestream binary for `make` targets and tests.
//
// Litestream runs as its own process beside the server (`litestream replicate
// -exec "retorno serve ..."`), not embedded: its command pulls every cloud
// SDK (77 MB binary) and Retorno stays a small single binary.
package backup

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// LitestreamModule and LitestreamVersion pin the Litestream release that is
// documented and tested (pure Go: builds with CGO_ENABLED=0). go.mod requires
// the same release of its Go library for the restore test of `make test`
// (test code only); that test fails if the two differ.
const (
	LitestreamModule  = "github.com/benbjohnson/litestream/cmd/litestream"
	LitestreamVersion = "v0.5.18"
)

// Litestream returns the path of a litestream binary: $LITESTREAM if set,
// else the pinned version installed with `go install` into dir (the first
// install downloads and compiles for several minutes; later ones come from
// the Go build cache in seconds). A `litestream` on PATH is not used: it may
// be another release with another config format.
func Litestream(dir string) (string, error) {
	if p := os.Getenv("LITESTREAM"); p != "" {
		return p, nil
	}
	bin := filepath.Join(dir, "litestream")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	cmd := exec.Command("go", "install", LitestreamModule+"@"+LitestreamVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s@%s: %v\n%s", LitestreamModule, LitestreamVersion, err, out)
	}
	return bin, nil
}

// ConfigPath is the example config relative to the repository root.
const ConfigPath = "backup/litestream.yml"
