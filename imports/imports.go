// Package imports loads reference data from spreadsheets: NODESS (the
// columns of the public registry are accepted), reception points, training
// courses and staff accounts (by invitation: no passwords in files).
//
//	POST /api/imports/{kind}          file (CSV or XLSX), dry_run
//	GET  /api/imports/{kind}/template ?format=csv|xlsx
//	POST /api/staff/{id}/invitation   a new invitation for a staff account
//
// Superusers import anything; a coordinator imports the rows of their own
// state only. Every row is checked as the record it becomes (the
// collection's validation and model hooks); the answer lists every bad row
// with its line, column and message. A real run is all-or-nothing: one bad
// row and nothing is saved. A file is at most MaxFileBytes, CSV (UTF-8, with
// or without a byte-order mark; comma or semicolon) or XLSX (its first
// sheet), its first line the header.
package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/xuri/excelize/v2"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

// MaxFileBytes is the largest file an import reads.
const MaxFileBytes = 20 << 20

// MaxRows is the most data rows one file may hold.
const MaxRows = 5000

// RowError is one problem of one row: its line in the file (the header is
// line 1), its column as the file names it, a stable code and a message.
type RowError struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Result is the answer of an import.
type Result struct {
	Kind    string     `json:"kind"`
	DryRun  bool       `json:"dry_run"`
	Rows    int        `json:"rows"`
	Created int        `json:"created"`
	Errors  []RowError `json:"errors"`
	// Invitations are the one-time codes of the staff accounts a real run
	// created: shown once, to hand to each person (invitations.go).
	Invitations []Invitation `json:"invitations,omitempty"`
}

// Register adds the import routes to app.
func Register(app core.App) error {
	bindInvitations(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/imports")
		g.Bind(apis.RequireAuth(), apis.BodyLimit(MaxFileBytes+1<<20))
		g.BindFunc(requireImporter)
		g.POST("/{kind}", importFile)
		g.GET("/{kind}/template", template)
		se.Router.POST("/api/staff-invitations/accept", acceptInvitation)
		se.Router.POST("/api/staff/{id}/invitation", reinvite).Bind(apis.RequireAuth()).BindFunc(requireImporter)
		return se.Next()
	})
	return nil
}

// requireImporter lets superusers and coordinators through.
func requireImporter(e *core.RequestEvent) error {
	if e.Auth.IsSuperuser() || (e.Auth.Collection().Name == catalog.Staff && records.AsStaff(e.Auth).Role() == "coordinator") {
		return e.Next()
	}
	return e.ForbiddenError("Imports are for superusers and coordinators.", nil)
}

func fileError(code, message string) error {
	return validation.Errors{"file": validation.NewError(code, message)}
}

func importFile(e *core.RequestEvent) error {
	k, ok := kinds[e.Request.PathValue("kind")]
	if !ok {
		return e.NotFoundError("No such import.", nil)
	}
	dryRun := e.Request.FormValue("dry_run") == "true" || e.Request.FormValue("dry_run") == "1"
	files, err := e.FindUploadedFiles("file")
	if err != nil || len(files) != 1 {
		return e.BadRequestError("Invalid import.", fileError("validation_required", "Adjunta un archivo CSV o XLSX."))
	}
	if files[0].Size > MaxFileBytes {
		return e.BadRequestError("Invalid import.", fileError("file_too_large",
			fmt.Sprintf("El archivo pasa de %d MB.", MaxFileBytes>>20)))
	}
	raw, err := readUpload(files[0])
	if err != nil {
		return e.BadRequestError("Invalid import.", fileError("unreadable_file", "No se pudo leer el archivo."))
	}
	table, err := readTable(raw)
	if err != nil {
		return e.BadRequestError("Invalid import.", err)
	}
	cols, err := k.header(table[0])
	if err != nil {
		return e.BadRequestError("Invalid import.", err)
	}
	if len(table)-1 > MaxRows {
		return e.BadRequestError("Invalid import.", fileError("too_many_rows", fmt.Sprintf("Un archivo puede tener hasta %d filas.", MaxRows)))
	}
	result, err := run(e.App, e.Auth, k, cols, table[1:], dryRun)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if len(result.Errors) > 0 {
		return e.JSON(http.StatusBadRequest, result)
	}
	return e.JSON(http.StatusOK, result)
}

// errRollback undoes a run that must not commit (a dry run, or bad rows).
var errRollback = errors.New("import rolled back")

// run saves the rows in one transaction, row by row, and rolls it back on a
// dry run or if any row is bad.
func run(app core.App, auth *core.Record, k *kind, cols []int, rows [][]string, dryRun bool) (*Result, error) {
	result := &Result{Kind: k.name, DryRun: dryRun, Rows: len(rows), Errors: []RowError{}}
	err := app.RunInTransaction(func(tx core.App) error {
		r := &reader{app: tx, auth: auth}
		for i, row := range rows {
			line := i + 2
			record, errs := k.record(r, cols, row)
			if len(errs) == 0 {
				errs = k.save(tx, auth, record, line, result)
			}
			for j := range errs {
				errs[j].Line = line
			}
			result.Errors = append(result.Errors, errs...)
		}
		if dryRun || len(result.Errors) > 0 {
			return errRollback
		}
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	if errors.Is(err, errRollback) {
		result.Created, result.Invitations = 0, nil
	}
	return result, nil
}

func readUpload(f *filesystem.File) ([]byte, error) {
	rc, err := f.Reader.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, MaxFileBytes+1))
}

// readTable reads a CSV or XLSX file into rows of cells, the header first.
func readTable(raw []byte) ([][]string, error) {
	var rows [][]string
	switch {
	case bytes.HasPrefix(raw, []byte("PK\x03\x04")):
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fileError("invalid_file_type", "El archivo no es un CSV ni un XLSX que se pueda leer.")
		}
		defer f.Close()
		rows, err = f.GetRows(f.GetSheetName(0))
		if err != nil {
			return nil, fileError("invalid_file_type", "El archivo no es un CSV ni un XLSX que se pueda leer.")
		}
	default:
		text := bytes.TrimPrefix(raw, []byte("\uFEFF"))
		if !isText(text) {
			return nil, fileError("invalid_file_type", "El archivo no es un CSV ni un XLSX que se pueda leer.")
		}
		first, _, _ := bytes.Cut(text, []byte("\n"))
		cr := csv.NewReader(bytes.NewReader(text))
		if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			cr.Comma = ';' // as Excel in es-MX saves CSV
		}
		cr.FieldsPerRecord = -1
		var err error
		if rows, err = cr.ReadAll(); err != nil {
			return nil, fileError("invalid_csv", "El CSV está mal formado: "+err.Error())
		}
	}
	// blank trailing lines say nothing
	for len(rows) > 0 && strings.TrimSpace(strings.Join(rows[len(rows)-1], "")) == "" {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		return nil, fileError("empty_file", "El archivo está vacío.")
	}
	return rows, nil
}

// isText reports whether raw is UTF-8 text without control bytes other than
// tabs and line breaks (a PDF, an image or a Word file is not).
func isText(raw []byte) bool {
	if !utf8Valid(raw) {
		return false
	}
	for _, b := range raw {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
			return false
		}
	}
	return true
}
