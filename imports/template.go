package imports

import (
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/tablefile"

	"github.com/pocketbase/pocketbase/core"
)

// template answers an empty file of a kind: its columns' Spanish labels and
// one example row, as CSV or XLSX.
func template(e *core.RequestEvent) error {
	k, ok := kinds[e.Request.PathValue("kind")]
	if !ok {
		return e.NotFoundError("No such import.", nil)
	}
	format := e.Request.URL.Query().Get("format")
	if format != tablefile.XLSX {
		format = tablefile.CSV
	}
	header := make([]string, len(k.columns))
	example := make([]string, len(k.columns))
	for i, c := range k.columns {
		header[i] = catalog.FieldLabels.Label(c.field)
		example[i] = c.example
	}
	tablefile.Respond(e.Response, format, "plantilla-"+k.name)
	w, err := tablefile.New(format, e.Response)
	if err != nil {
		return err
	}
	for _, row := range [][]string{header, example} {
		if err := w.Row(row); err != nil {
			return err
		}
	}
	return w.Close()
}
