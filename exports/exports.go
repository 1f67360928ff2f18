// Package exports lets anyone signed in download, as CSV or XLSX, any list
// they may read through the REST API, under the same rules:
//
//	GET /api/exports/{collection}?format=csv|xlsx&filter=…
//
// The rows are exactly those the caller's list request with that filter
// would return (the collection's list rule, then the filter, resolved as the
// list API resolves them: hidden fields only for superusers). Columns carry
// Spanish labels (catalog.FieldLabels), choices their Spanish labels, yes/no
// fields "Sí"/"No", and relations the name of the related record when the
// caller may list it (its id otherwise never shows: a blank). Hidden fields
// (the claim code's verifier) are never exported, nor what the caller's role
// does not receive (package fieldaccess: a NODESS's export of people has no
// CURP column, and no phone of someone who does not share their data). Rows are read in pages of
// PageSize by id and written as they come, so that a state's 300,000 people
// never sit in memory. Guests get 401; each export leaves an audit entry
// (action "export", the collection and the columns, never the filter).
package exports

import (
	"fmt"
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/listrule"
	"github.com/retorno-mx/retorno/internal/tablefile"
)

// PageSize is how many records an export reads at a time.
const PageSize = 500

// MaxXLSXRows is the most rows an XLSX export holds: writing a workbook's
// zip keeps much of the sheet in memory (407 MB for a million rows,
// docs/BENCHMARKS.md), while CSV streams in bounded memory at any size.
var MaxXLSXRows = 100_000 // a variable for tests

// AuditExport is the audit_log action of an export.
const AuditExport = "export"

// Register adds the export route to app.
func Register(app core.App) error {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/exports/{collection}", export).Bind(apis.RequireAuth())
		return se.Next()
	})
	return nil
}

func export(e *core.RequestEvent) error {
	name := e.Request.PathValue("collection")
	col, err := e.App.FindCachedCollectionByNameOrId(name)
	if _, known := catalog.Lookup(name); err != nil || !known {
		return e.NotFoundError("No such list.", nil)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	if col.ListRule == nil && !info.HasSuperuserAuth() {
		return e.ForbiddenError("Only superusers can export this list.", nil)
	}
	format := e.Request.URL.Query().Get("format")
	if format == "" {
		format = tablefile.CSV
	}
	if format != tablefile.CSV && format != tablefile.XLSX {
		return e.BadRequestError("Invalid export.", validation.Errors{
			"format": validation.NewError("invalid_format", "El formato debe ser csv o xlsx.")})
	}
	filter := e.Request.URL.Query().Get("filter")
	// a bad filter, or a workbook too long, is answered before the download starts
	probe := e.App.DB().Select("COUNT(*)").From(col.Name)
	if err := listrule.ApplyWithFilter(e.App, info, col, filter, probe); err != nil {
		return e.BadRequestError("Invalid export.", validation.Errors{
			"filter": validation.NewError("invalid_filter", "El filtro no es válido.")})
	}
	if format == tablefile.XLSX {
		var n int
		inner := probe.Select(col.Name + ".id").Limit(int64(MaxXLSXRows + 1)).Build()
		if err := e.App.DB().NewQuery("SELECT COUNT(*) FROM (" + inner.SQL() + ")").Bind(inner.Params()).Row(&n); err != nil {
			return e.InternalServerError("", err)
		}
		if n > MaxXLSXRows {
			return e.BadRequestError("Invalid export.", validation.Errors{"format": validation.NewError("too_many_rows_xlsx",
				fmt.Sprintf("Esta lista tiene más de %d filas: descárgala en CSV.", MaxXLSXRows))})
		}
	}

	table := newTable(e.App, info, col)
	if err := hooks.WriteAuditEntry(e.App, e.Auth, AuditExport, col.Name, "", table.names()); err != nil {
		return e.InternalServerError("", err)
	}
	tablefile.Respond(e.Response, format, col.Name)
	e.Response.WriteHeader(http.StatusOK)
	// once the download has started, a failure can only cut it short: it
	// is logged
	if err := stream(e, format, table, filter); err != nil {
		e.App.Logger().Error("export cut short", "collection", col.Name, "error", err)
	}
	return nil
}

// stream writes the table's header and then its rows, page by page.
func stream(e *core.RequestEvent, format string, table *table, filter string) error {
	col := table.col
	w, err := tablefile.New(format, e.Response)
	if err != nil {
		return err
	}
	if err := w.Row(table.header()); err != nil {
		return err
	}
	last := ""
	for {
		page, err := listrule.PageAfter(e.App, table.info, col, filter, last, PageSize)
		if err != nil {
			return fmt.Errorf("export %s: %w", col.Name, err)
		}
		rows, err := table.rows(page)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if err := w.Row(row); err != nil {
				return err
			}
		}
		if len(page) < PageSize {
			break
		}
		last = page[len(page)-1].Id
	}
	return w.Close()
}

// yesNo labels a yes/no field.
func yesNo(b bool) string {
	if b {
		return "Sí"
	}
	return "No"
}

// joinCells joins the labels of a multiple choice or relation.
func joinCells(cells []string) string { return strings.Join(cells, "; ") }
