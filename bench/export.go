package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/retorno-mx/retorno/exports"
)

// exportPhase downloads the Tijuana field worker's people (every row the
// growth phase loaded) as CSV and as XLSX through GET /api/exports, and
// reports the rate and how far the server's resident memory rose above where
// it stood before each download: package exports reads 500 records at a time
// and writes them as they come, so the rows never sit in memory; what rises
// is mostly SQLite's page cache (4 MB a connection, internal/sqlitedb), filled as the table is
// read, and the garbage of the pages written.
func (b *bench) exportPhase(ctx context.Context, rep *report) error {
	rows := 0
	for _, format := range []string{"csv", "xlsx"} {
		before, err := b.srv.procStatus("VmRSS")
		if err != nil {
			return err
		}
		if err := b.srv.resetPeakRSS(); err != nil {
			return err
		}
		t0 := time.Now()
		status, lines, size, err := b.download(ctx, b.tij.token, "/api/exports/returnees?format="+format)
		took := time.Since(t0)
		if format == "xlsx" && rows > exports.MaxXLSXRows {
			// a workbook that long is refused before it starts: CSV streams any size
			refused := status == http.StatusBadRequest
			rep.check("export", fmt.Sprintf("xlsx of %d people refused (more than %d rows)", rows, exports.MaxXLSXRows),
				float64(status), "status", "400", refused, "too_many_rows_xlsx")
			continue
		}
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("export %s: %d %v", format, status, err)
		}
		peak, err := b.srv.procStatus("VmHWM")
		if err != nil {
			return err
		}
		if format == "csv" {
			rows = lines - 1 // the header
		}
		rep.add(figure{Section: "export", Name: fmt.Sprintf("export of %d people as %s", rows, format),
			Value: float64(rows) / took.Seconds(), Unit: "rec/s", Note: fmt.Sprintf("%.1f MB in %s", float64(size)/(1<<20), took.Round(time.Millisecond))})
		rise := float64(max(peak-before, 0)) / 1024
		rep.check("export", fmt.Sprintf("server memory rise during the %s export", format), rise, "MB", "≤ 100 MB", rise <= 100,
			"peak RSS (VmHWM) minus RSS before; SQLite's page cache (4 MB a connection, internal/sqlitedb) fills with the table")
	}
	return nil
}

// download reads path as token's user to the end and throws it away; it
// returns the status, the lines and the bytes read.
func (b *bench) download(ctx context.Context, token, path string) (int, int, int64, error) {
	req, err := b.srv.Request(ctx, http.MethodGet, path, token, nil)
	if err != nil {
		return 0, 0, 0, err
	}
	resp, err := b.srv.HTTP.Do(req)
	if err != nil {
		return 0, 0, 0, err
	}
	defer resp.Body.Close()
	lines := &lineCounter{}
	size, err := io.Copy(lines, resp.Body)
	return resp.StatusCode, lines.n, size, err
}

// lineCounter counts the lines written to it.
type lineCounter struct{ n int }

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte("\n"))
	return len(p), nil
}
