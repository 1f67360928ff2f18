// Package tablefile writes tables for people to open in a spreadsheet: CSV
// (UTF-8 with a byte-order mark, so that Excel in es-MX reads "Michoacán",
// not "MichoacÃ¡n") or XLSX, one row at a time, so that a large table never
// sits in memory as a whole (excelize's stream writer spills rows to a
// temporary file).
package tablefile

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"
)

// Formats a table can be written in.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Writer writes a table's rows, the header first.
type Writer interface {
	Row(cells []string) error
	// Close writes what is buffered; the file is complete once it returns.
	Close() error
}

// New starts a table in format on w ("csv" or "xlsx").
func New(format string, w io.Writer) (Writer, error) {
	switch format {
	case CSV:
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case XLSX:
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		return &xlsxWriter{f: f, sw: sw, out: w}, nil
	}
	return nil, fmt.Errorf("unknown table format %q", format)
}

// Respond sets the headers of a download of a table called name in format,
// dated today: "personas-2026-12-05.xlsx".
func Respond(w http.ResponseWriter, format, name string) {
	types := map[string]string{
		CSV:  "text/csv; charset=utf-8",
		XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	}
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.%s"`, name, time.Now().Format(time.DateOnly), format))
	w.Header().Set("Cache-Control", "no-store")
}

type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) Row(cells []string) error {
	if err := c.w.Write(cells); err != nil {
		return err
	}
	c.w.Flush() // each row goes out: the download streams
	return c.w.Error()
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

type xlsxWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	out io.Writer
	n   int
}

func (x *xlsxWriter) Row(cells []string) error {
	x.n++
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	row := make([]any, len(cells))
	for i, c := range cells {
		row[i] = c
	}
	return x.sw.SetRow(cell, row)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}
