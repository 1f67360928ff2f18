package main

import (
	"context"
	"io"
	"testing"
)

// TestQuick runs the quick benchmark once so that the harness cannot rot:
// every phase must run; the targets are reported, not asserted (absolute
// speed on a shared machine is noise).
func TestQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	rep, err := run(context.Background(), "quick", quickSizes, nil, testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Errors {
		t.Error(e)
	}
	if len(rep.Figures) < 15 {
		t.Errorf("only %d figures", len(rep.Figures))
	}
	printTable(testWriter{t}, rep)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

var _ io.Writer = testWriter{}
