// Package testingutil holds what the tests, the benchmark and the device
// simulation share to run Retorno for real: build the binary, seed a data
// directory, serve it on a free loopback port and wait until it is healthy,
// collect its output, and call its REST API (REST). Package testapp holds
// the in-process test apps.
package testingutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// RepoRoot walks up from the working directory to the directory of go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// BuildBinary builds the retorno binary (static, CGO_ENABLED=0) from the
// repository root into dir and returns its path.
func BuildBinary(ctx context.Context, dir string) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "retorno")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %v\n%s", err, out)
	}
	return bin, nil
}

// Seed runs `retorno seed --demo` with returnees people into data and
// returns its output (the demo logins).
func Seed(ctx context.Context, bin, data string, returnees int) ([]byte, error) {
	out, err := exec.CommandContext(ctx, bin, "seed", "--demo", "--returnees", strconv.Itoa(returnees), "--dir", data).CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("seed: %v\n%s", err, out)
	}
	return out, nil
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// LogBuffer collects a child process's output; safe for the goroutines of
// os/exec that write it and the code that reads it.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Server is the binary serving one data directory on a loopback address.
type Server struct {
	Addr string // 127.0.0.1:port
	Base string // http://127.0.0.1:port
	Logs *LogBuffer
	Cmd  *exec.Cmd
}

// Serve runs `retorno serve --dir data --http addr [args...]` and waits up
// to healthy for it to answer /api/health.
func Serve(bin, data, addr string, healthy time.Duration, args ...string) (*Server, error) {
	s := &Server{Addr: addr, Base: "http://" + addr, Logs: &LogBuffer{}}
	s.Cmd = exec.Command(bin, append([]string{"serve", "--dir", data, "--http", addr}, args...)...)
	s.Cmd.Stdout, s.Cmd.Stderr = s.Logs, s.Logs
	if err := s.Cmd.Start(); err != nil {
		return nil, err
	}
	if err := WaitHealthy(s.Base, healthy); err != nil {
		s.Kill()
		return nil, fmt.Errorf("%w:\n%s", err, s.Logs)
	}
	return s, nil
}

// WaitHealthy polls base's /api/health until it answers 200 or timeout
// passes.
func WaitHealthy(base string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(base + "/api/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server not healthy after %s", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Kill ends the server with SIGKILL (no shutdown: a crash, or the machine
// lost) and waits for it to exit. Later calls do nothing.
func (s *Server) Kill() {
	if s.Cmd == nil || s.Cmd.Process == nil {
		return
	}
	_ = s.Cmd.Process.Kill()
	_ = s.Cmd.Wait()
	s.Cmd = nil
}

// Stop ends the server gracefully (SIGINT; killed after grace). Later calls
// do nothing.
func (s *Server) Stop(grace time.Duration) {
	if s.Cmd == nil || s.Cmd.Process == nil {
		return
	}
	_ = s.Cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.Cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = s.Cmd.Process.Kill()
		<-done
	}
	s.Cmd = nil
}
