package hooks_test

// Lenient input (issue 10, item 7): a value PocketBase would coerce ("abc"
// to 0, ["H","M"] to "M"), a blank name, control and bidi characters, an
// implausible birth date and a CURP that contradicts the record are refused
// with a field error, on each write path (REST, batch, sync push), and
// nothing is stored. Good input of the shapes the web app sends still passes
// on each path.

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// strictCase is one write, sent on every path.
type strictCase struct {
	name       string
	who        role
	collection string
	id         string // the record created or updated
	update     bool
	fields     map[string]any
	field      string // the field error expected; "" for a write that must pass
	code       string
	message    string // the sync push's field message (it carries no code); "" to skip
}

func TestStrictInput(t *testing.T) {
	e := getEnv(t)
	baseRev := fixtureRevs(t)

	// person is a valid registration by field worker A, changed by edits
	// (a nil value drops the field).
	person := func(edits map[string]any) map[string]any {
		fields := map[string]any{"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1992-03-13", "sex": "H",
			"birth_state": e.state["MC"], "destination_state": e.state["GR"], "reception_point": e.point["Tijuana"],
			"curp": "RAXP920313HMCMXD03"}
		maps.Copy(fields, edits)
		for k, v := range fields {
			if v == nil {
				delete(fields, k)
			}
		}
		return fields
	}
	register := func(name string, edits map[string]any, field, code, message string) strictCase {
		return strictCase{name: name, who: fieldWorkerA, collection: "returnees", id: "returneestrict1",
			fields: person(edits), field: field, code: code, message: message}
	}
	edit := func(name string, fields map[string]any, field, code, message string) strictCase {
		return strictCase{name: name, who: fieldWorkerA, collection: "returnees", id: rA2, update: true,
			fields: fields, field: field, code: code, message: message}
	}
	consent := func(name string, edits map[string]any, field, code, message string) strictCase {
		fields := map[string]any{"returnee": rA2, "purpose": "contact_whatsapp", "granted": true, "notice_version": "2026-01", "method": "verbal"}
		maps.Copy(fields, edits)
		return strictCase{name: name, who: fieldWorkerA, collection: "consents", id: "consentstrict01",
			fields: fields, field: field, code: code, message: message}
	}
	const (
		notNumber  = "Debe ser un número."
		notBool    = "Debe ser verdadero o falso."
		notString  = "Debe ser texto."
		notSingle  = "Debe ser un solo valor, no una lista."
		notList    = "Debe ser una lista de valores."
		notInstant = "Debe ser una fecha y hora válida (AAAA-MM-DD HH:MM:SS.sssZ)."
		badChars   = "El texto contiene caracteres de control o invisibles que no se permiten."
		blank      = "Cannot be blank."
		tooEarly   = "La fecha no puede ser anterior a 1900."
		sexDiffers = "El sexo de la CURP (posición 11) no coincide con el sexo registrado."
		bornDiffer = "La entidad de nacimiento de la CURP (posiciones 12 y 13) no coincide con la entidad de nacimiento registrada."
		nameDiffer = "Las letras de la CURP (posiciones 1 a 4) no coinciden con los apellidos y el nombre registrados."
		dateDiffer = "La fecha de nacimiento de la CURP no coincide con la fecha de nacimiento registrada."
		notYours   = "No puedes modificar este campo."
	)
	curpNE := withCheckDigit(t, "RAXP920313HNEMXD0")
	curpGR := withCheckDigit(t, "RAXP920313HGRMXD0")

	cases := []strictCase{
		// types, checked on the body as sent
		register("years in the US as text", map[string]any{"years_in_us": "abc"}, "years_in_us", "validation_not_a_number", notNumber),
		register("years in the US as a bool", map[string]any{"years_in_us": true}, "years_in_us", "validation_not_a_number", notNumber),
		register("years in the US with spaces", map[string]any{"years_in_us": " 12"}, "years_in_us", "validation_not_a_number", notNumber),
		register("sex as a list", map[string]any{"sex": []string{"H", "M"}}, "sex", "validation_not_single_value", notSingle),
		register("sex as a number", map[string]any{"sex": 1}, "sex", "validation_not_a_string", notString),
		register("given names as a number", map[string]any{"given_names": 123}, "given_names", "validation_not_a_string", notString),
		register("given names as a list", map[string]any{"given_names": []string{"Pedro"}}, "given_names", "validation_not_a_string", notString),
		register("phone as an object", map[string]any{"phone": map[string]any{"n": "+526641234567"}}, "phone", "validation_not_a_string", notString),
		register("destination as a list", map[string]any{"destination_state": []string{e.state["GR"], e.state["OC"]}}, "destination_state", "validation_not_single_value", notSingle),
		register("languages as an object", map[string]any{"languages": map[string]any{"es": true}}, "languages", "validation_not_a_list", notList),
		register("languages with a number", map[string]any{"languages": []any{"es", 7}}, "languages", "validation_not_a_string", notString),
		consent("granted as text", map[string]any{"granted": "yes"}, "granted", "validation_not_a_bool", notBool),
		consent("granted as a number", map[string]any{"granted": 1}, "granted", "validation_not_a_bool", notBool),
		consent("withdrawn at that is not a date", map[string]any{"withdrawn_at": "ayer"}, "withdrawn_at", "validation_invalid_datetime", notInstant),
		{name: "course capacity as text", who: nodessStaff1, collection: "training_courses", id: "coursestrict001",
			fields: map[string]any{"title": "Panadería", "nodess": n1, "theme": "capabilities_innovation", "state": e.state["GR"],
				"modality": "online", "starts_on": "2027-05-01", "capacity": "diez"},
			field: "capacity", code: "validation_not_a_number", message: notNumber},
		edit("sex as a list on update", map[string]any{"sex": []string{"H", "M"}}, "sex", "validation_not_single_value", notSingle),
		{name: "returnee sends the phone as a number", who: accountA1, collection: "returnees", id: rA1, update: true,
			fields: map[string]any{"phone": 5512345678}, field: "phone", code: "validation_not_a_string", message: notString},

		// blank names
		register("given names of spaces", map[string]any{"given_names": "   "}, "given_names", "validation_required", blank),
		register("first surname of no-break and ideographic spaces", map[string]any{"first_surname": "\u00a0 \u3000"}, "first_surname", "validation_required", blank),
		edit("given names blanked on update", map[string]any{"given_names": "  "}, "given_names", "validation_required", blank),

		// control and format characters
		register("NUL in given names", map[string]any{"given_names": "Pe\x00dro"}, "given_names", "invalid_characters", badChars),
		register("right-to-left override in first surname", map[string]any{"first_surname": "Ram\u202eírez"}, "first_surname", "invalid_characters", badChars),
		register("bidi isolate in second surname", map[string]any{"second_surname": "López\u2066"}, "second_surname", "invalid_characters", badChars),
		register("zero-width space in given names", map[string]any{"given_names": "Pe\u200bdro"}, "given_names", "invalid_characters", badChars),
		register("line break in given names", map[string]any{"given_names": "Pedro\nJuan"}, "given_names", "invalid_characters", badChars),
		register("bell in the municipality", map[string]any{"destination_municipality": "Chilpan\acingo"}, "destination_municipality", "invalid_characters", badChars),
		register("bidi embedding in skills", map[string]any{"skills": "cocina \u202bcostura"}, "skills", "invalid_characters", badChars),
		edit("bidi override on update", map[string]any{"first_surname": "\u202dGarcía"}, "first_surname", "invalid_characters", badChars),
		{name: "returnee writes a bidi override in skills", who: accountA1, collection: "returnees", id: rA1, update: true,
			fields: map[string]any{"skills": "cocina\u202e"}, field: "skills", code: "invalid_characters", message: badChars},
		{name: "NUL in a case note", who: fieldWorkerA, collection: "case_notes", id: "casenotestrict1",
			fields: map[string]any{"returnee": rA2, "text": "Llegó\x00 sin documentos."}, field: "text", code: "invalid_characters", message: badChars},

		// birth dates
		register("birth date in year 0", map[string]any{"birth_date": "0000-01-01", "curp": nil}, "birth_date", "date_too_early", tooEarly),
		register("birth date before 1900", map[string]any{"birth_date": "1899-12-31", "curp": nil}, "birth_date", "date_too_early", tooEarly),
		edit("birth date in year 0 on update", map[string]any{"birth_date": "0000-01-01"}, "birth_date", "date_too_early", tooEarly),

		// the CURP against the record
		register("CURP of a man, record of a woman", map[string]any{"sex": "M"}, "curp", "sex_mismatch", sexDiffers),
		register("CURP of México, record of Guerrero", map[string]any{"birth_state": e.state["GR"]}, "curp", "birth_state_mismatch", bornDiffer),
		register("CURP of Guerrero, record of México", map[string]any{"curp": curpGR}, "curp", "birth_state_mismatch", bornDiffer),
		register("CURP born abroad, record of México", map[string]any{"curp": curpNE}, "curp", "birth_state_mismatch", bornDiffer),
		edit("CURP of a woman given to a man", map[string]any{"curp": withCheckDigit(t, "GAXJ850102MGRRNN0")}, "curp", "sex_mismatch", sexDiffers),
		register("CURP of another given name", map[string]any{"given_names": "Luis"}, "curp", "name_mismatch", nameDiffer),
		register("CURP of another first surname", map[string]any{"first_surname": "Beltrán"}, "curp", "name_mismatch", nameDiffer),
		register("CURP without a second surname, record with one", map[string]any{"second_surname": "López"}, "curp", "name_mismatch", nameDiffer),
		edit("CURP of someone else given to Juan García", map[string]any{"curp": withCheckDigit(t, "BEML850102HGRLNS0")}, "curp", "name_mismatch", nameDiffer),
		register("confirmed CURP of another birth date (the date is not a letter)", map[string]any{"birth_date": "1992-03-14", "curp_confirmed": true},
			"curp", "birth_date_mismatch", dateDiffer),
		{name: "returnee confirms their CURP", who: accountA1, collection: "returnees", id: rA1, update: true,
			fields: map[string]any{"curp_confirmed": true}, field: "curp_confirmed", code: "not_editable", message: notYours},

		// good input, of the shapes the web app and the dashboard send
		register("control: the registration", nil, "", "", ""),
		register("control: the web app's registration", map[string]any{"years_in_us": 12, "languages": []string{"es", "en"},
			"needs": []string{}, "phone": "+526641234567", "skills": "cocina, albañilería"}, "", "", ""),
		register("control: numbers as form text, empty optional fields", map[string]any{"years_in_us": "12", "second_surname": "",
			"sector_in_us": "", "repatriation_date": "", "phone": "", "languages": "es"}, "", "", ""),
		register("control: null values", map[string]any{"years_in_us": nil, "second_surname": nil, "languages": nil}, "", "", ""),
		register("control: names with accents, apostrophes and hyphens", map[string]any{"given_names": "María-José Ñeri",
			"first_surname": "O'Connor", "second_surname": "de la Peña", "curp": withCheckDigit(t, "OXPM920313HMCXNR0")}, "", "", ""),
		register("control: emoji with joiners in skills", map[string]any{"skills": "cocina 👩‍🍳\ncostura"}, "", "", ""),
		register("control: born in 1900", map[string]any{"birth_date": "1900-01-01", "curp": nil}, "", "", ""),
		register("control: CURP born abroad, no birth state", map[string]any{"curp": curpNE, "birth_state": ""}, "", "", ""),
		register("control: CURP, no birth state", map[string]any{"birth_state": nil}, "", "", ""),
		register("control: sex X with a CURP of H", map[string]any{"sex": "X"}, "", "", ""),
		register("control: María José and two surnames, CURP by RENAPO's rules", map[string]any{"given_names": "María José",
			"first_surname": "de la Peña", "second_surname": "Ñúñez", "curp": withCheckDigit(t, "PEXJ920313HMCNXS0")}, "", "", ""),
		register("control: the document says so: CURP of another name", map[string]any{"given_names": "Luis", "curp_confirmed": true}, "", "", ""),
		register("control: the document says so: CURP of another sex and state", map[string]any{"sex": "M", "birth_state": e.state["GR"],
			"curp_confirmed": true}, "", "", ""),
		edit("control: the document says so: CURP of someone else given to Juan García", map[string]any{
			"curp": withCheckDigit(t, "BEML850102HGRLNS0"), "curp_confirmed": true}, "", "", ""),
		consent("control: the web app's consent", nil, "", "", ""),
		consent("control: withdrawn at as the web app sends it", map[string]any{"granted": false, "withdrawn_at": "2026-03-01 10:00:00.000Z"}, "", "", ""),
		edit("control: edit with text and null", map[string]any{"second_surname": "Ruiz", "years_in_us": "3", "phone": nil}, "", "", ""),
	}
	for _, c := range cases {
		for _, path := range []string{"rest", "batch", "sync"} {
			c.call(e, path, baseRev).run(t, e)
		}
	}
}

// call renders c as a request on one path.
func (c strictCase) call(e *env, path string, baseRev map[string]int) call {
	out := call{name: path + ": " + c.name, who: c.who}
	body := maps.Clone(c.fields)
	method, url := http.MethodPost, "/api/collections/"+c.collection+"/records"
	if c.update {
		method, url = http.MethodPatch, url+"/"+c.id
	} else {
		body["id"] = c.id
	}
	switch path {
	case "rest":
		if c.update {
			out.op = update(c.collection, c.id, j(body))
		} else {
			out.op = create(c.collection, c.id, j(body))
		}
		out.want = allowed
		if c.field != "" {
			out.want = fieldError(c.field, c.code)
		}
	case "batch":
		out.op = op{name: "batch", method: http.MethodPost, path: "/api/batch",
			body: j(map[string]any{"requests": []map[string]any{{"method": method, "url": url, "body": body}}})}
		out.before = func(t testing.TB, app *tests.TestApp) { app.Settings().Batch.Enabled = true }
		out.want = allowed
		out.content = []string{`"status":200`, `"id":"` + c.id + `"`}
		if c.field != "" {
			out.want = badRequest("Batch transaction failed.")
			out.content = []string{`"` + c.field + `":{"code":"` + c.code + `"`}
		}
		out.after = checkStored(c)
	case "sync":
		m := devicesync.Mutation{MutationID: "strictmutation01", Collection: c.collection, RecordID: c.id, Op: "create", Fields: c.fields}
		if c.update {
			m.Op, m.BaseRev = "update", baseRev[c.id]
		}
		out.op = op{name: "push", method: http.MethodPost, path: "/api/sync/push",
			body: j(map[string]any{"client_id": "strictdevice01", "schema_version": devicesync.SchemaVersion, "mutations": []any{m}})}
		out.want = allowed
		out.content = []string{`"status":"applied"`}
		if c.field != "" {
			out.content = []string{`"status":"rejected"`, `"code":"validation_failed"`, `"fields":{`, `"` + c.field + `":"`}
			if c.message != "" {
				out.content = append(out.content, `"`+c.field+`":"`+jsonText(c.message)+`"`)
			}
		}
		var before fingerprint
		out.before = func(t testing.TB, app *tests.TestApp) { before = takeFingerprint(t, app) }
		stored := checkStored(c)
		out.after = func(t testing.TB, app *tests.TestApp, res *http.Response) {
			if after := takeFingerprint(t, app); c.field != "" && !maps.Equal(before, after) {
				t.Errorf("a rejected mutation changed the database:\nbefore %v\nafter  %v", before, after)
			}
			stored(t, app, res)
		}
	}
	return out
}

// checkStored asserts that a passing write of c is stored and a refused
// create is not. (The paths' own checks cover refused updates: nothing
// changes at all.)
func checkStored(c strictCase) func(t testing.TB, app *tests.TestApp, _ *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		t.Helper()
		_, err := app.FindRecordById(c.collection, c.id)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s/%s was not stored: %v", c.collection, c.id, err)
		case c.field != "" && !c.update && err == nil:
			t.Errorf("%s/%s was stored despite the bad %s", c.collection, c.id, c.field)
		}
	}
}

// fixtureRevs is the rev of every fixture record, the base_rev of a sync
// update that nothing else touched.
func fixtureRevs(t *testing.T) map[string]int {
	t.Helper()
	app := testapp.New(t)
	revs := map[string]int{}
	for _, name := range []string{"returnees", "consents"} {
		records, err := app.FindAllRecords(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range records {
			revs[r.Id] = r.GetInt("rev")
		}
	}
	return revs
}

// withCheckDigit completes the first 17 characters of a CURP.
func withCheckDigit(t *testing.T, first17 string) string {
	t.Helper()
	d, err := curp.CheckDigit(first17)
	if err != nil {
		t.Fatal(err)
	}
	s := first17 + string(d)
	if err := curp.Validate(s); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return s
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b[1 : len(b)-1])
}

// TestStrictInput_FormData: a multipart form (the dashboard's way, and any
// HTML form) sends every value as text, which PocketBase reads as numbers,
// bools and lists; numbers as text and repeated keys for lists pass, text
// that is no number and a repeated single choice do not.
func TestStrictInput_FormData(t *testing.T) {
	e := getEnv(t)
	form := func(edits ...[2]string) map[string][]string {
		values := map[string][]string{"id": {"returneeform001"}, "given_names": {"Pedro"}, "first_surname": {"Ramírez"},
			"birth_date": {"1992-03-13"}, "sex": {"H"}, "destination_state": {e.state["GR"]}, "reception_point": {e.point["Tijuana"]},
			"second_surname": {""}, "languages": {"es", "en"}, "years_in_us": {"12"}}
		for _, kv := range edits {
			values[kv[0]] = strings.Split(kv[1], "|") // "H|M": the key twice
		}
		return values
	}
	cases := []struct {
		name   string
		values map[string][]string
		status int
		want   string
	}{
		{"control: numbers as text, a list as repeated keys", form(), 200, `"years_in_us":12`},
		{"control: a single language", form([2]string{"languages", "es"}), 200, `"languages":["es"]`},
		{"years in the US as text", form([2]string{"years_in_us", "doce"}), 400, `"years_in_us":{"code":"validation_not_a_number"`},
		{"sex twice", form([2]string{"sex", "H|M"}), 400, `"sex":{"code":"validation_not_single_value"`},
	}
	for _, c := range cases {
		body, contentType := multipartBody(t, c.values)
		s := tests.ApiScenario{
			Name: c.name, Method: http.MethodPost, URL: "/api/collections/returnees/records", Body: body,
			Headers:        map[string]string{"Authorization": e.token[fieldWorkerA], "Content-Type": contentType},
			ExpectedStatus: c.status, ExpectedContent: []string{c.want},
			TestAppFactory: factory,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				_, err := app.FindRecordById("returnees", "returneeform001")
				if stored := err == nil; stored != (c.status == 200) {
					t.Errorf("stored = %v after a %d", stored, c.status)
				}
			},
		}
		s.Test(t)
	}
}

// multipartBody renders values as multipart/form-data, a part per value.
func multipartBody(t testing.TB, values map[string][]string) (*bytes.Buffer, string) {
	t.Helper()
	buf := &bytes.Buffer{}
	w := multipart.NewWriter(buf)
	for k, vs := range values {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf, w.FormDataContentType()
}

// TestStrictInput_GoSave: the rules on values are model hooks, so Go code
// (the seeder, merges, commands) obeys them too.
func TestStrictInput_GoSave(t *testing.T) {
	e := getEnv(t)
	app := testapp.New(t)
	col, err := app.FindCachedCollectionByNameOrId("returnees")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edits       map[string]any
		field, code string
	}{
		{map[string]any{"given_names": "Pe\x00dro"}, "given_names", "invalid_characters"},
		{map[string]any{"first_surname": " \t "}, "first_surname", "validation_required"},
		{map[string]any{"birth_date": "0000-01-01", "curp": ""}, "birth_date", "date_too_early"},
		{map[string]any{"sex": "M"}, "curp", "sex_mismatch"},
		{map[string]any{"birth_state": e.state["GR"]}, "curp", "birth_state_mismatch"},
	} {
		r := core.NewRecord(col)
		r.Load(map[string]any{"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1992-03-13", "sex": "H",
			"birth_state": e.state["MC"], "destination_state": e.state["GR"], "reception_point": e.point["Tijuana"],
			"curp": "RAXP920313HMCMXD03"})
		r.Load(c.edits)
		err := app.Save(r)
		var errs validation.Errors
		if !errors.As(err, &errs) || errs[c.field] == nil {
			t.Errorf("%v: error %v, want one on %s", c.edits, err, c.field)
			continue
		}
		if got := errs[c.field].(validation.Error).Code(); got != c.code {
			t.Errorf("%v: %s code %q, want %q", c.edits, c.field, got, c.code)
		}
	}
}

// TestStrictInput_NamesAreTrimmed: a name is stored without the spaces around
// it, so an optional surname of only spaces is no surname.
func TestStrictInput_NamesAreTrimmed(t *testing.T) {
	e := getEnv(t)
	app := testapp.New(t)
	r := testapp.Save(t, app, "returnees", map[string]any{"given_names": "  Pedro ", "first_surname": "Ramírez", "second_surname": "   ", "birth_date": "1992-03-13",
		"sex": "H", "destination_state": e.state["GR"], "reception_point": e.point["Tijuana"]})
	saved, _ := app.FindRecordById("returnees", r.Id)
	if saved.GetString("given_names") != "Pedro" || saved.GetString("second_surname") != "" {
		t.Errorf("stored %q and %q", saved.GetString("given_names"), saved.GetString("second_surname"))
	}
}
