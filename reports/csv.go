package reports

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/retorno-mx/retorno/internal/tablefile"
)

// columns returns the JSON keys of T's fields (those of Bands in its
// place), in order: the CSV header.
func columns[T any]() []string {
	var out []string
	for _, f := range leafFields(reflect.TypeFor[T]()) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out = append(out, name)
	}
	return out
}

// writeCSV writes a header of T's JSON keys, then one line per row with each
// field's value as JSON would show it (integers in full, strings as they
// are), so that a CSV download and its JSON say the same. It starts with a
// UTF-8 byte-order mark, for Excel (tablefile).
func writeCSV[T any](w io.Writer, rows []T) error {
	cw, err := tablefile.New(tablefile.CSV, w)
	if err != nil {
		return err
	}
	if err := cw.Row(columns[T]()); err != nil {
		return err
	}
	fields := leafFields(reflect.TypeFor[T]())
	for _, row := range rows {
		v := reflect.ValueOf(row)
		line := make([]string, len(fields))
		for i, f := range fields {
			line[i] = fmt.Sprint(v.FieldByIndex(f.Index).Interface())
		}
		if err := cw.Row(line); err != nil {
			return err
		}
	}
	return cw.Close()
}
