package imports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/names"
)

var utf8Valid = utf8.Valid

// reader reads cells into field values, with the lookups they need (states,
// NODESS and reception points by name), loaded once per import.
type reader struct {
	app    core.App
	auth   *core.Record
	byName map[string]map[string][]string // collection -> folded name or code -> ids
}

// A read turns a non-blank cell into a field value, or a row error.
type read func(r *reader, cell string) (any, *RowError)

func bad(code, message string) *RowError { return &RowError{Code: code, Message: message} }

func text(_ *reader, cell string) (any, *RowError) { return cell, nil }

// lookup finds the ids of collection's records whose folded name, or one of
// keys (codes), is cell folded.
func (r *reader) lookup(collection string, cell string, keys ...string) ([]string, error) {
	if r.byName == nil {
		r.byName = map[string]map[string][]string{}
	}
	index, ok := r.byName[collection]
	if !ok {
		index = map[string][]string{}
		all, err := r.app.FindAllRecords(collection)
		if err != nil {
			return nil, err
		}
		for _, rec := range all {
			for _, k := range append([]string{"name"}, keys...) {
				if v := names.Fold(rec.GetString(k)); v != "" {
					index[v] = append(index[v], rec.Id)
				}
			}
		}
		r.byName[collection] = index
	}
	return index[names.Fold(cell)], nil
}

// startingWith finds the ids of collection's records whose folded name
// starts with the words of cell (after a lookup filled the index).
func (r *reader) startingWith(collection, cell string) []string {
	prefix := names.Fold(cell) + " "
	var ids []string
	for name, found := range r.byName[collection] {
		if strings.HasPrefix(name, prefix) {
			ids = append(ids, found...)
		}
	}
	return ids
}

// state reads a state by INEGI code ("2" or "02"), CURP code ("BC") or name.
func state(r *reader, cell string) (any, *RowError) {
	if n, err := strconv.Atoi(cell); err == nil && n > 0 && n < 100 {
		cell = fmt.Sprintf("%02d", n)
	}
	ids, err := r.lookup(catalog.States, cell, "inegi_code", "curp_code")
	if err == nil && len(ids) == 0 {
		ids = r.startingWith(catalog.States, cell) // "Michoacán" for "Michoacán de Ocampo"
	}
	if err != nil || len(ids) != 1 {
		return nil, bad("unknown_state", fmt.Sprintf("No hay un estado %q: escribe su nombre, su clave INEGI (01 a 32) o su clave de CURP (BC, SR…).", cell))
	}
	return ids[0], nil
}

// states reads a list of states separated by ";" or ",".
func states(r *reader, cell string) (any, *RowError) {
	var ids []string
	for _, part := range strings.FieldsFunc(cell, func(c rune) bool { return c == ';' || c == ',' }) {
		id, e := state(r, strings.TrimSpace(part))
		if e != nil {
			return nil, e
		}
		ids = append(ids, id.(string))
	}
	return ids, nil
}

// named reads a record of collection by its name.
func named(collection, what string) read {
	return func(r *reader, cell string) (any, *RowError) {
		ids, err := r.lookup(collection, cell)
		switch {
		case err != nil || len(ids) == 0:
			return nil, bad("unknown_name", fmt.Sprintf("No hay %s que se llame %q.", what, cell))
		case len(ids) > 1:
			return nil, bad("ambiguous_name", fmt.Sprintf("Hay más de %s que se llama %q: escribe su nombre completo.", what, cell))
		}
		return ids[0], nil
	}
}

// choice reads a value of e by its code or its Spanish or English label.
func choice(e catalog.Enum) read {
	return func(_ *reader, cell string) (any, *RowError) {
		folded := names.Fold(cell)
		var labels []string
		for _, v := range e {
			if folded == names.Fold(v.Code) || folded == names.Fold(v.ES) || folded == names.Fold(v.EN) {
				return v.Code, nil
			}
			labels = append(labels, v.ES)
		}
		return nil, bad("invalid_choice", fmt.Sprintf("%q no es una opción: usa %s.", cell, strings.Join(labels, ", ")))
	}
}

func yes(_ *reader, cell string) (any, *RowError) {
	switch names.Fold(cell) {
	case "si", "yes", "true", "verdadero", "1", "x":
		return true, nil
	case "no", "false", "falso", "0":
		return false, nil
	}
	return nil, bad("invalid_bool", fmt.Sprintf("%q no es sí ni no.", cell))
}

func integer(_ *reader, cell string) (any, *RowError) {
	n, err := strconv.Atoi(strings.ReplaceAll(cell, ",", ""))
	if err != nil {
		return nil, bad("invalid_number", fmt.Sprintf("%q no es un número entero.", cell))
	}
	return n, nil
}

var dayMonthYear = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)

// date reads a calendar date: 2026-03-01, 01/03/2026 (day first, as in
// Mexico) or a spreadsheet's day number.
func date(_ *reader, cell string) (any, *RowError) {
	if t, err := time.Parse(time.DateOnly, cell); err == nil {
		return t.Format(time.DateOnly), nil
	}
	if m := dayMonthYear.FindStringSubmatch(cell); m != nil {
		if t, err := time.Parse("2/1/2006", m[1]+"/"+m[2]+"/"+m[3]); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	if serial, err := strconv.ParseFloat(cell, 64); err == nil && serial > 1 && serial < 100000 {
		if t, err := excelize.ExcelDateToTime(serial, false); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return nil, bad("invalid_date", fmt.Sprintf("%q no es una fecha: escribe AAAA-MM-DD o DD/MM/AAAA.", cell))
}
