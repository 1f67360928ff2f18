package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/retorno-mx/retorno/internal/testingutil"
)

// server is the real retorno binary running on a temp data dir.
type server struct {
	dir  string // temp dir holding the binary and pb_data
	addr string // 127.0.0.1:port
	proc *testingutil.Server
	// REST's client keeps gzip under the benchmark's control: bytes on the
	// wire are counted
	testingutil.REST
}

// startServer builds the binary, seeds a small demo database and serves it.
func startServer(ctx context.Context, seedReturnees int) (*server, error) {
	dir, err := os.MkdirTemp("", "retorno_bench_")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir}
	if _, err := testingutil.BuildBinary(ctx, dir); err != nil {
		s.close()
		return nil, err
	}
	if _, err := testingutil.Seed(ctx, filepath.Join(dir, "retorno"), s.data(), seedReturnees); err != nil {
		s.close()
		return nil, err
	}
	if s.addr, err = testingutil.FreeAddr(); err != nil {
		s.close()
		return nil, err
	}
	s.Base = "http://" + s.addr
	s.HTTP = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{
		DisableCompression: true, MaxIdleConnsPerHost: 512, MaxConnsPerHost: 0,
	}}
	if err := s.serve(); err != nil {
		s.close()
		return nil, err
	}
	if err := s.liftRateLimits(ctx); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// liftRateLimits turns the server's rate limiter off, as an operator would
// at /_/ Settings (docs/OPERATIONS.md): the benchmark's devices, hundreds in
// a storm, all come from 127.0.0.1, where a deployment's come from many
// addresses, each with limits of its own.
func (s *server) liftRateLimits(ctx context.Context) error {
	token, _, err := s.SignIn(ctx, "_superusers", "admin@retorno.test")
	if err != nil {
		return fmt.Errorf("superuser: %w", err)
	}
	off := map[string]any{"rateLimits": map[string]any{"enabled": false}}
	if err := s.Call(ctx, http.MethodPatch, "/api/settings", token, off, nil); err != nil {
		return fmt.Errorf("rate limits: %w", err)
	}
	return nil
}

// data is the server's data directory.
func (s *server) data() string { return filepath.Join(s.dir, "pb_data") }

// serve starts the binary on the data dir and waits until it is healthy.
func (s *server) serve() error {
	proc, err := testingutil.Serve(filepath.Join(s.dir, "retorno"), s.data(), s.addr, 60*time.Second)
	s.proc = proc
	return err
}

// stop ends the server process gracefully (killed after 10 s).
func (s *server) stop() {
	if s.proc != nil {
		s.proc.Stop(10 * time.Second)
		s.proc = nil
	}
}

func (s *server) close() {
	s.stop()
	os.RemoveAll(s.dir)
}

// procStatus reads a kB field (VmHWM, VmRSS) of the server's /proc status.
func (s *server) procStatus(field string) (int64, error) {
	if s.proc == nil {
		return 0, errors.New("the server is not running")
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.proc.Cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s not in /proc status", field)
}

// resetPeakRSS resets VmHWM to the current RSS (clear_refs 5, Linux 4.0+).
func (s *server) resetPeakRSS() error {
	if s.proc == nil {
		return errors.New("the server is not running")
	}
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.proc.Cmd.Process.Pid), []byte("5"), 0)
}

// answer is a response read whole: status, wire bytes, decoded body.
type answer struct {
	status int
	wire   int64 // body bytes as sent (compressed if gzip)
	body   []byte
}

// do sends one request; body may be nil, []byte or a value to marshal. With
// gz the request asks for gzip and the body is decompressed after counting.
func (s *server) do(ctx context.Context, method, path, token string, body any, gz bool) (answer, error) {
	req, err := s.Request(ctx, method, path, token, body)
	if err != nil {
		return answer{}, err
	}
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{status: resp.StatusCode, wire: int64(len(raw)), body: raw}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return a, err
		}
		if a.body, err = io.ReadAll(zr); err != nil {
			return a, err
		}
	}
	return a, nil
}
