package reports

import (
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/retorno-mx/retorno/internal/tablefile"
)

// columns returns the JSON keys of T's fields, in order: the CSV header.
func columns[T any]() []string {
	t := reflect.TypeFor[T]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
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
	for _, row := range rows {
		v := reflect.ValueOf(row)
		line := make([]string, v.NumField())
		for i := range v.NumField() {
			line[i] = fmt.Sprint(v.Field(i).Interface())
		}
		if err := cw.Row(line); err != nil {
			return err
		}
	}
	return cw.Close()
}
