package exports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/xuri/excelize/v2"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/exports"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// exportCSV downloads collection as CSV for token and returns its rows.
func exportCSV(t *testing.T, base, token, collection, filter string) [][]string {
	t.Helper()
	status, body := testapp.Request(t, base, token, http.MethodGet,
		"/api/exports/"+collection+"?format=csv&filter="+url.QueryEscape(filter), nil)
	if status != http.StatusOK {
		t.Fatalf("export %s: %d %s", collection, status, body)
	}
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Fatal("a CSV export must start with a UTF-8 byte-order mark (Excel in es-MX)")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// listTotal is how many records the REST list API gives token with filter.
func listTotal(t *testing.T, base, token, collection, filter string) int {
	t.Helper()
	status, body := testapp.Request(t, base, token, http.MethodGet,
		"/api/collections/"+collection+"/records?perPage=1&filter="+url.QueryEscape(filter), nil)
	if status != http.StatusOK {
		t.Fatalf("list %s: %d %s", collection, status, body)
	}
	var res struct{ TotalItems int }
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	return res.TotalItems
}

// An export holds exactly what the caller's list request holds, with
// Spanish labels, names instead of ids, and no secret; it is audited.
func TestExport_UnderTheCallersRules(t *testing.T) {
	app, srv := testapp.NewServed(t)
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	coordinator := testapp.Token(t, app, "staff", testapp.CoordBC)
	returnee := testapp.Token(t, app, "returnee_accounts", testapp.AccountA1)

	for _, c := range []struct {
		who, token, collection, filter string
	}{
		{"field worker", worker, "returnees", ""},
		{"field worker, filtered", worker, "returnees", `sex = "M"`},
		{"field worker, through a relation", worker, "consents", `returnee.given_names ~ "María"`},
		{"coordinator", coordinator, "returns", ""},
		{"returnee", returnee, "returnees", ""},
		{"returnee, another's consents", returnee, "consents", `returnee = "` + testapp.ReturneeB1 + `"`},
	} {
		rows := exportCSV(t, srv.URL, c.token, c.collection, c.filter)
		if got, want := len(rows)-1, listTotal(t, srv.URL, c.token, c.collection, c.filter); got != want {
			t.Errorf("%s: %s exports %d rows, the list API gives %d", c.who, c.collection, got, want)
		}
	}

	rows := exportCSV(t, srv.URL, worker, "returnees", `id = "`+testapp.ReturneeA1+`"`)
	header, row := rows[0], rows[1]
	cell := func(label string) string {
		i := slices.Index(header, label)
		if i < 0 {
			t.Fatalf("no column %q in %v", label, header)
		}
		return row[i]
	}
	if cell("Nombre(s)") != "María José" || cell("Sexo") != "Mujer" || cell("Punto de recepción") != "Tijuana (El Chaparral)" ||
		cell("Comparte datos con NODESS") != "Sí" {
		t.Errorf("A1's row: %v", row)
	}
	for _, h := range header {
		if strings.Contains(h, "claim_") || h == "claim_verifier" || h == "password" {
			t.Errorf("a secret column is exported: %q", h)
		}
	}
	var n int
	err := app.DB().Select("count(*)").From("audit_log").
		Where(dbx.HashExp{"action": "export", "actor_id": testapp.FieldWorkerA, "collection_name": "returnees"}).Row(&n)
	if err != nil || n != 3 {
		t.Errorf("audit entries of the worker's returnee exports: %d (%v), want 3", n, err)
	}
}

func TestExport_XLSX(t *testing.T) {
	app, srv := testapp.NewServed(t)
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	status, body := testapp.Request(t, srv.URL, worker, http.MethodGet, "/api/exports/returnees?format=xlsx", nil)
	if status != http.StatusOK {
		t.Fatalf("xlsx: %d %s", status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows)-1, listTotal(t, srv.URL, worker, "returnees", ""); got != want || rows[0][0] != "Identificador" {
		t.Errorf("xlsx: %d rows (want %d), header %v", got, want, rows[0])
	}
}

// Bad requests: a guest, an unknown list, a superusers' list, a bad format
// or filter. Nothing is written.
func TestExport_Refusals(t *testing.T) {
	app, srv := testapp.NewServed(t)
	defer func(n int) { exports.MaxXLSXRows = n }(exports.MaxXLSXRows)
	exports.MaxXLSXRows = 1 // the worker lists more
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	for _, c := range []struct {
		name, token, path string
		status            int
		content           string
	}{
		{"guest", "", "/api/exports/returnees", http.StatusUnauthorized, ""},
		{"unknown list", worker, "/api/exports/nothing", http.StatusNotFound, ""},
		{"PocketBase's own", worker, "/api/exports/_superusers", http.StatusNotFound, ""},
		{"superusers only", worker, "/api/exports/claim_attempts", http.StatusForbidden, ""},
		{"bad format", worker, "/api/exports/returnees?format=pdf", http.StatusBadRequest, `"invalid_format"`},
		{"a workbook too long", worker, "/api/exports/returnees?format=xlsx", http.StatusBadRequest, `"too_many_rows_xlsx"`},
		{"bad filter", worker, "/api/exports/returnees?filter=" + url.QueryEscape("nope = 1"), http.StatusBadRequest, `"invalid_filter"`},
		{"hidden field filter", worker, "/api/exports/returnees?filter=" + url.QueryEscape(`claim_verifier != ""`), http.StatusBadRequest, `"invalid_filter"`},
	} {
		status, body := testapp.Request(t, srv.URL, c.token, http.MethodGet, c.path, nil)
		if status != c.status || !strings.Contains(string(body), c.content) {
			t.Errorf("%s: %d %s, want %d %s", c.name, status, body, c.status, c.content)
		}
	}
	var n int
	if err := app.DB().Select("count(*)").From("audit_log").Where(dbx.HashExp{"action": "export"}).Row(&n); err != nil || n != 0 {
		t.Errorf("refused exports audited: %d %v", n, err)
	}
}

// Every exported column has a Spanish label: a field worker or coordinator
// never reads a raw field name.
func TestExport_EveryColumnLabelled(t *testing.T) {
	app := testapp.New(t)
	for _, c := range catalog.Collections {
		col, err := app.FindCollectionByNameOrId(c.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range col.Fields {
			if f.GetHidden() {
				continue
			}
			if label := catalog.FieldLabels.Label(f.GetName()); label == f.GetName() && !slices.Contains(exports.Unexported, f.GetName()) {
				t.Errorf("%s.%s has no label in catalog.FieldLabels", c.Name, f.GetName())
			}
		}
	}
}

// An export holds no more than the caller's REST list shows them (package
// fieldaccess): a NODESS's has no CURP, birth state or point columns and no
// sensitive need; a coordinator's has the CURP but no sensitive need.
func TestExport_WithheldFromTheRole(t *testing.T) {
	app, srv := testapp.NewServed(t)
	testapp.Save(t, app, "consents", map[string]any{"returnee": testapp.ReturneeA1, "purpose": "sensitive_data", "granted": true,
		"notice_version": "2026-01", "method": "verbal", "collected_by": testapp.FieldWorkerA})
	p := testapp.Find(t, app, "returnees", testapp.ReturneeA1)
	p.Set("needs", []string{"employment", "health"})
	if err := app.Save(p); err != nil {
		t.Fatal(err)
	}
	only := `id = "` + testapp.ReturneeA1 + `"`
	for _, c := range []struct {
		who, collection, id string
		absent              []string
		health              bool
	}{
		{"NODESS", "staff", testapp.NodessStaff1, []string{"CURP", "Estado de nacimiento", "Punto de recepción", "Registrado por"}, false},
		{"coordinator", "staff", testapp.CoordBC, nil, false},
		{"field worker", "staff", testapp.FieldWorkerA, nil, true},
	} {
		rows := exportCSV(t, srv.URL, testapp.Token(t, app, c.collection, c.id), "returnees", only)
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows", c.who, len(rows))
		}
		header, row := rows[0], rows[1]
		for _, h := range c.absent {
			if slices.Contains(header, h) {
				t.Errorf("%s: column %q exported", c.who, h)
			}
		}
		needs := row[slices.Index(header, catalog.FieldLabels.Label("needs"))]
		if got := strings.Contains(needs, "Salud"); got != c.health || !strings.Contains(needs, "Empleo") {
			t.Errorf("%s: needs %q", c.who, needs)
		}
		if phone := row[slices.Index(header, catalog.FieldLabels.Label("phone"))]; phone != "+527441234567" {
			t.Errorf("%s: phone %q (she shares her data with NODESS)", c.who, phone)
		}
	}
}
