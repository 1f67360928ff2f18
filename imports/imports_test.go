package imports_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/xuri/excelize/v2"

	"github.com/retorno-mx/retorno/imports"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// upload posts file to the import of kind as the user of token.
func upload(t *testing.T, base, token, kind, name string, file []byte, dryRun bool) (int, imports.Result, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(file)
	if dryRun {
		w.WriteField("dry_run", "true")
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/imports/"+kind, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	status, raw := testapp.Do(t, req, token)
	var result imports.Result
	json.Unmarshal(raw, &result)
	return status, result, string(raw)
}

func superuser(t *testing.T, app core.App) string {
	testapp.AddSuperuser(t, app)
	return testapp.Token(t, app, core.CollectionNameSuperusers, testapp.Superuser)
}

func count(t *testing.T, app core.App, collection, filter string) int {
	t.Helper()
	records, err := app.FindRecordsByFilter(collection, filter, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(records)
}

// The public NODESS registry as Excel in es-MX saves it (semicolons, a BOM,
// Spanish headers, states by name, INEGI code or CURP code): a dry run
// saves nothing, the real run saves every row.
func TestImport_NodessRegistry(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	file := []byte("\uFEFFNombre;Estado;Municipio;Institución;Contacto;Tipo\n" +
		"NODESS Tierra Caliente;Michoacán;Apatzingán;Universidad Michoacana;nodess@example.org;Universidad\n" +
		"NODESS Sierra Alta;26;Hermosillo;;;Red\n" +
		"NODESS Frontera Chica;ts;Reynosa;;;Red\n")
	status, result, raw := upload(t, srv.URL, su, "nodess", "registro.csv", file, true)
	if status != http.StatusOK || result.Rows != 3 || len(result.Errors) != 0 || count(t, app, "nodess", `name ~ "NODESS Tierra"`) != 0 {
		t.Fatalf("dry run: %d %s", status, raw)
	}
	status, result, raw = upload(t, srv.URL, su, "nodess", "registro.csv", file, false)
	if status != http.StatusOK || result.Created != 3 {
		t.Fatalf("import: %d %s", status, raw)
	}
	n, err := app.FindFirstRecordByData("nodess", "name", "NODESS Tierra Caliente")
	if err != nil || n.GetString("municipality") != "Apatzingán" || n.GetString("contact") != "nodess@example.org" ||
		n.GetString("region") != "centro_occidente" || len(n.GetStringSlice("states")) != 1 {
		t.Errorf("imported NODESS: %v %v", n, err)
	}
	if s, _ := app.FindFirstRecordByData("nodess", "name", "NODESS Sierra Alta"); s == nil ||
		s.GetStringSlice("states")[0] != testapp.ID(app, "states", "curp_code", "SR") {
		t.Errorf("a state by its INEGI code: %v", s)
	}
}

// One bad row and nothing is saved; every bad row is listed with its line,
// column and message.
func TestImport_AllOrNothing(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	file := []byte("name,city,state,active,opened_on\n" +
		"Punto Uno,Ciudad Uno,Chihuahua,sí,2026-01-15\n" +
		",Ciudad Dos,Chihuahua,no,\n" +
		"Punto Tres,Ciudad Tres,Narnia,quizá,31/02/2026\n")
	status, result, raw := upload(t, srv.URL, su, "reception_points", "puntos.csv", file, false)
	if status != http.StatusBadRequest || result.Created != 0 || count(t, app, "reception_points", `name ~ "Punto"`) != 0 {
		t.Fatalf("bad rows: %d %s", status, raw)
	}
	want := map[string]bool{"3 name validation_required": true, "4 state unknown_state": true, "4 active invalid_bool": true, "4 opened_on invalid_date": true}
	for _, e := range result.Errors {
		key := strings.Join([]string{strconv.Itoa(e.Line), e.Field, e.Code}, " ")
		if !want[key] {
			t.Errorf("unexpected error %+v", e)
		}
		if e.Column == "" || e.Message == "" || e.Column == e.Field {
			t.Errorf("an error must name the column in Spanish and say why: %+v", e)
		}
		delete(want, key)
	}
	for k := range want {
		t.Errorf("missing error %s", k)
	}
}

// A coordinator imports the courses of their own state only, from XLSX.
func TestImport_CoordinatorCoursesXLSX(t *testing.T) {
	app, srv := testapp.NewServed(t)
	coordinator := testapp.Token(t, app, "staff", testapp.CoordBC)
	nodess, _ := app.FindRecordById("nodess", testapp.NodessN1)
	rows := [][]any{
		{"Título", "NODESS", "Ecosistema", "Estado", "Modalidad", "Inicio", "Cupo"},
		{"Carpintería solidaria", nodess.GetString("name"), "Finanzas solidarias", "Baja California", "Presencial", "2027-02-01", 20},
	}
	status, result, raw := upload(t, srv.URL, coordinator, "courses", "cursos.xlsx", xlsx(rows), false)
	if status != http.StatusOK || result.Created != 1 || count(t, app, "training_courses", `title = "Carpintería solidaria" && status = "open"`) != 1 {
		t.Fatalf("coordinator's courses: %d %s", status, raw)
	}
	rows[1][3] = "Sonora"
	status, result, raw = upload(t, srv.URL, coordinator, "courses", "cursos.xlsx", xlsx(rows), false)
	if status != http.StatusBadRequest || len(result.Errors) != 1 || result.Errors[0].Code != "outside_state" {
		t.Errorf("a course of another state: %d %s", status, raw)
	}
}

// xlsx is a workbook of rows on its first sheet.
func xlsx(rows [][]any) []byte {
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	return buf.Bytes()
}

// Staff accounts come with a one-time invitation instead of a password.
func TestImport_StaffByInvitation(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	point, _ := app.FindFirstRecordByData("reception_points", "city", "Tijuana")
	file := []byte("Correo electrónico,Nombre,Rol,Punto de recepción\nlucia@example.org,Lucía Hernández,Personal de campo," + point.GetString("name") + "\n")
	status, result, raw := upload(t, srv.URL, su, "staff", "personal.csv", file, false)
	if status != http.StatusOK || len(result.Invitations) != 1 || result.Invitations[0].Email != "lucia@example.org" {
		t.Fatalf("staff import: %d %s", status, raw)
	}
	code := result.Invitations[0].Code
	accept := func(code, password string) int {
		status, _ := testapp.Request(t, srv.URL, "", http.MethodPost, "/api/staff-invitations/accept",
			map[string]any{"email": "lucia@example.org", "code": code, "password": password, "passwordConfirm": password})
		return status
	}
	if s := accept("AAAA-BBBB-CCCC", "una-clave-segura"); s != http.StatusBadRequest {
		t.Errorf("a wrong code: %d", s)
	}
	if s := accept(strings.ToLower(code), "una-clave-segura"); s != http.StatusOK {
		t.Errorf("the invitation: %d", s)
	}
	if s := accept(code, "otra-clave-segura"); s != http.StatusBadRequest {
		t.Errorf("the invitation used twice: %d", s)
	}
	status, body := testapp.Request(t, srv.URL, "", http.MethodPost, "/api/collections/staff/auth-with-password",
		map[string]any{"identity": "lucia@example.org", "password": "una-clave-segura"})
	if status != http.StatusOK {
		t.Errorf("sign-in with the password set by invitation: %d %s", status, body)
	}
}

// Bad files and bad callers: clear errors, nothing saved.
func TestImport_Refusals(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	good := []byte("name,city,state\nPunto,Ciudad,Chihuahua\n")
	for _, c := range []struct {
		name, token, kind string
		file              []byte
		status            int
		content           string
	}{
		{"guest", "", "reception_points", good, http.StatusUnauthorized, ""},
		{"field worker", worker, "reception_points", good, http.StatusForbidden, ""},
		{"unknown kind", su, "returnees", good, http.StatusNotFound, ""},
		{"not a spreadsheet", su, "reception_points", []byte("%PDF-1.4\x00\x01binary"), http.StatusBadRequest, `"invalid_file_type"`},
		{"wrong header", su, "reception_points", []byte("nombre,ciudad\nPunto,Ciudad\n"), http.StatusBadRequest, `"invalid_header"`},
		{"empty", su, "reception_points", []byte(""), http.StatusBadRequest, `"empty_file"`},
		{"over the limit", su, "reception_points", append(bytes.Repeat([]byte("a"), imports.MaxFileBytes), '\n'), http.StatusBadRequest, `"file_too_large"`},
	} {
		status, _, raw := upload(t, srv.URL, c.token, c.kind, "x.csv", c.file, false)
		if status != c.status || !strings.Contains(raw, c.content) {
			t.Errorf("%s: %d %.300s, want %d %s", c.name, status, raw, c.status, c.content)
		}
	}
	if n := count(t, app, "reception_points", `name = "Punto"`); n != 0 {
		t.Errorf("refused imports saved %d", n)
	}
}

// Each template's example row imports (dry run) as it is.
func TestImport_Templates(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	for _, kind := range []string{"nodess", "reception_points"} {
		status, body := testapp.Request(t, srv.URL, su, http.MethodGet, "/api/imports/"+kind+"/template?format=csv", nil)
		if status != http.StatusOK {
			t.Fatalf("%s template: %d %s", kind, status, body)
		}
		status, result, raw := upload(t, srv.URL, su, kind, "plantilla.csv", body, true)
		if status != http.StatusOK || result.Rows != 1 {
			t.Errorf("%s template's example: %d %s", kind, status, raw)
		}
	}
}
