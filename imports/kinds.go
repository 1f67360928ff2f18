package imports

import (
	"slices"
	"strings"
	"unicode"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/names"
	"github.com/retorno-mx/retorno/records"
)

// column is one column an import reads: the field it fills, the header
// names it answers to besides the field's name and labels, and how it
// reads a cell.
type column struct {
	field    string
	also     []string
	required bool
	read     read
	example  string
}

// kind is one kind of import: its collection and columns, and what a row
// needs before and after it is saved.
type kind struct {
	name, collection string
	columns          []column
	// complete fills what the file may leave out (a NODESS's region)
	complete func(r *reader, rec *core.Record)
	// states are the states a record belongs to, for a coordinator's import
	states func(r *reader, rec *core.Record) []string
	// after runs once the record is saved (a staff account's invitation)
	after func(tx core.App, rec *core.Record, line int, result *Result) error
}

var kinds = map[string]*kind{}

func init() {
	for _, k := range []*kind{nodessKind, pointsKind, coursesKind, staffKind} {
		kinds[k.name] = k
	}
}

var nodessKind = &kind{
	name: "nodess", collection: catalog.Nodess,
	columns: []column{
		{field: "name", required: true, read: text, example: "NODESS Sierra Alta"},
		{field: "states", also: []string{"estado", "entidad", "entidad federativa", "state"}, required: true, read: states, example: "Sonora"},
		{field: "municipality", also: []string{"municipio"}, read: text, example: "Hermosillo"},
		{field: "institution", also: []string{"institucion"}, read: text, example: "Universidad de Sonora"},
		{field: "contact", also: []string{"contacto", "correo", "telefono"}, read: text, example: "nodess@example.org"},
		{field: "website", also: []string{"sitio web", "pagina"}, read: text},
		{field: "region", read: choice(catalog.NodessRegions)},
	},
	complete: func(r *reader, rec *core.Record) {
		if rec.GetString("region") != "" {
			return
		}
		if ids := rec.GetStringSlice("states"); len(ids) > 0 {
			if st, err := r.app.FindRecordById(catalog.States, ids[0]); err == nil {
				rec.Set("region", st.GetString("nodess_region"))
			}
		}
	},
	states: func(_ *reader, rec *core.Record) []string { return rec.GetStringSlice("states") },
}

var pointsKind = &kind{
	name: "reception_points", collection: catalog.ReceptionPoints,
	columns: []column{
		{field: "name", required: true, read: text, example: "Ciudad Juárez (Paso del Norte)"},
		{field: "city", also: []string{"ciudad", "municipio"}, required: true, read: text, example: "Ciudad Juárez"},
		{field: "state", required: true, read: state, example: "Chihuahua"},
		{field: "active", read: yes, example: "Sí"},
		{field: "opened_on", read: date, example: "2026-01-15"},
		{field: "notes", read: text},
	},
	complete: func(_ *reader, rec *core.Record) {
		if _, set := rec.GetRaw("active").(bool); !set {
			rec.Set("active", true)
		}
	},
	states: func(_ *reader, rec *core.Record) []string { return []string{rec.GetString("state")} },
}

var coursesKind = &kind{
	name: "courses", collection: catalog.TrainingCourses,
	columns: []column{
		{field: "title", also: []string{"curso", "nombre"}, required: true, read: text, example: "Cooperativismo para principiantes"},
		{field: "nodess", required: true, read: named(catalog.Nodess, "un NODESS"), example: "NODESS Sierra Alta"},
		{field: "theme", also: []string{"tema"}, required: true, read: choice(catalog.Themes), example: "Finanzas solidarias"},
		{field: "state", required: true, read: state, example: "Sonora"},
		{field: "municipality", read: text, example: "Hermosillo"},
		{field: "modality", required: true, read: choice(catalog.Modalities), example: "Presencial"},
		{field: "starts_on", required: true, read: date, example: "2027-02-01"},
		{field: "ends_on", read: date, example: "2027-03-15"},
		{field: "capacity", required: true, read: integer, example: "25"},
		{field: "description", read: text},
		{field: "status", read: choice(catalog.CourseStatuses), example: "Inscripciones abiertas"},
	},
	complete: func(_ *reader, rec *core.Record) {
		if rec.GetString("status") == "" {
			rec.Set("status", "open")
		}
	},
	states: func(_ *reader, rec *core.Record) []string { return []string{rec.GetString("state")} },
}

var staffKind = &kind{
	name: "staff", collection: catalog.Staff,
	columns: []column{
		{field: "email", required: true, read: text, example: "campo.juarez@example.org"},
		{field: "name", required: true, read: text, example: "Lucía Hernández"},
		{field: "role", required: true, read: choice(catalog.StaffRoles), example: "Personal de campo"},
		{field: "reception_point", read: named(catalog.ReceptionPoints, "un punto de recepción"), example: "Ciudad Juárez (Paso del Norte)"},
		{field: "nodess", read: named(catalog.Nodess, "un NODESS")},
		{field: "state", read: state},
	},
	states: staffStates,
	after:  invite,
}

// staffStates are the states of a staff account: its point's, its node's,
// or its own (a coordinator's, which only superusers import).
func staffStates(r *reader, rec *core.Record) []string {
	s := records.AsStaff(rec)
	switch {
	case s.ReceptionPoint() != "":
		if p, err := r.app.FindRecordById(catalog.ReceptionPoints, s.ReceptionPoint()); err == nil {
			return []string{p.GetString("state")}
		}
	case s.Nodess() != "":
		if n, err := r.app.FindRecordById(catalog.Nodess, s.Nodess()); err == nil {
			return n.GetStringSlice("states")
		}
	case s.Role() == "coordinator":
		return nil // coordinators are the superusers' to import
	}
	return []string{s.State()}
}

// header maps the file's header to the kind's columns: for each column, the
// index of the file's column, or -1.
func (k *kind) header(row []string) ([]int, error) {
	cols := make([]int, len(k.columns))
	for i, c := range k.columns {
		cols[i] = -1
		answers := append([]string{c.field, catalog.FieldLabels.LabelIn("es", c.field), catalog.FieldLabels.LabelIn("en", c.field)}, c.also...)
		for j, h := range row {
			if slices.ContainsFunc(answers, func(n string) bool { return names.Fold(n) == names.Fold(h) }) {
				if cols[i] >= 0 {
					return nil, fileError("invalid_header", "La columna «"+h+"» está repetida.")
				}
				cols[i] = j
			}
		}
		if c.required && cols[i] < 0 {
			return nil, fileError("invalid_header", "Falta la columna «"+catalog.FieldLabels.Label(c.field)+
				"». Descarga la plantilla para ver las columnas.")
		}
	}
	return cols, nil
}

// record reads a row into a new record of the kind's collection.
func (k *kind) record(r *reader, cols []int, row []string) (*core.Record, []RowError) {
	col, err := r.app.FindCachedCollectionByNameOrId(k.collection)
	if err != nil {
		return nil, []RowError{{Code: "internal", Message: err.Error()}}
	}
	rec := core.NewRecord(col)
	var errs []RowError
	for i, c := range k.columns {
		cell := ""
		if cols[i] >= 0 && cols[i] < len(row) {
			cell = row[cols[i]]
		}
		cell = trimCell(cell)
		label := catalog.FieldLabels.Label(c.field)
		if cell == "" {
			if c.required {
				errs = append(errs, RowError{Column: label, Field: c.field, Code: "validation_required", Message: "Falta este dato."})
			}
			continue
		}
		v, e := c.read(r, cell)
		if e != nil {
			e.Column, e.Field = label, c.field
			errs = append(errs, *e)
			continue
		}
		rec.Set(c.field, v)
	}
	if len(errs) == 0 && k.complete != nil {
		k.complete(r, rec)
	}
	return rec, errs
}

// save checks a coordinator's row against their state, saves the record as
// the importer (the collection's validation and model hooks), and runs the
// kind's after step.
func (k *kind) save(tx core.App, auth *core.Record, rec *core.Record, line int, result *Result) []RowError {
	if !k.inScope(tx, auth, rec) {
		return []RowError{{Column: catalog.FieldLabels.Label("state"), Field: "state", Code: "outside_state",
			Message: "Solo puedes importar registros de tu propio estado."}}
	}
	if k.name == staffKind.name {
		rec.SetRandomPassword() // never used: the person sets theirs with the invitation
	}
	actor.Set(rec, auth)
	if err := tx.Save(rec); err != nil {
		refused, ok := devicesync.RefusalOf(err)
		if !ok {
			return []RowError{{Code: "internal", Message: err.Error()}}
		}
		var errs []RowError
		for field, msg := range refused.Fields {
			errs = append(errs, RowError{Column: catalog.FieldLabels.Label(field), Field: field, Code: refused.FieldCodes[field], Message: msg})
		}
		slices.SortFunc(errs, func(a, b RowError) int { return strings.Compare(a.Field, b.Field) })
		return errs
	}
	result.Created++
	if k.after != nil {
		if err := k.after(tx, rec, line, result); err != nil {
			return []RowError{{Code: "internal", Message: err.Error()}}
		}
	}
	return nil
}

// inScope reports whether auth, a superuser or a coordinator, may import
// rec: a coordinator only records that belong to their own state alone.
func (k *kind) inScope(app core.App, auth, rec *core.Record) bool {
	if auth.IsSuperuser() {
		return true
	}
	own := records.AsStaff(auth).State()
	got := k.states(&reader{app: app}, rec)
	return len(got) > 0 && !slices.ContainsFunc(got, func(s string) bool { return s != own })
}

// trimCell trims spaces, the non-breaking ones spreadsheets leave included.
func trimCell(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }
