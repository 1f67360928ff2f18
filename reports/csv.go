package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strings"
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
// are), so that a CSV download and its JSON say the same.
func writeCSV[T any](w io.Writer, rows []T) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns[T]()); err != nil {
		return err
	}
	for _, row := range rows {
		v := reflect.ValueOf(row)
		line := make([]string, v.NumField())
		for i := range v.NumField() {
			line[i] = fmt.Sprint(v.Field(i).Interface())
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
