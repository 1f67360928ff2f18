package claim_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// The person of the claim tests: no account yet, a valid CURP, a phone.
const (
	personID    = "claimperson0001"
	personCURP  = "BEML920313HMCLNS09"
	personPhone = "+526641112233"
	code        = "4821093755"
	password    = "una-clave-larga"
)

// newPerson registers the person, as a system write.
func newPerson(t testing.TB, app core.App) {
	t.Helper()
	testapp.Save(t, app, "returnees", map[string]any{"id": personID, "given_names": "Luis", "first_surname": "Bernal", "second_surname": "Montes",
		"curp": personCURP, "birth_date": "1992-03-13", "sex": "H", "phone": personPhone,
		"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
		"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana")})
}

// issue gives the person a claim code, as their registering device does.
func issue(t testing.TB, app core.App, id, code string) {
	t.Helper()
	r := testapp.Find(t, app, "returnees", id)
	r.Set("claim_hash", claim.Hash(id, code))
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
}

// withCode is an app with the person, holding a live code.
func withCode(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	newPerson(t, app)
	issue(t, app, personID, code)
	return app
}

// withCodeServed is withCode with its router (made once per app: it starts
// the app's serve hooks).
func withCodeServed(t testing.TB) (*tests.TestApp, http.Handler) {
	app := withCode(t)
	return app, router(t, app)
}

// router serves app's routes in process: requests from any client IP.
func router(t testing.TB, app *tests.TestApp) http.Handler {
	t.Helper()
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var mux http.Handler
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: r}, func(e *core.ServeEvent) error {
		mux, err = e.Router.BuildMux()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mux
}

// answer is a response: its status and decoded JSON body.
type answer struct {
	status int
	body   map[string]any
	raw    string
}

func send(t testing.TB, h http.Handler, method, path, ip string, body any) answer {
	t.Helper()
	raw, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{status: rec.Code, raw: rec.Body.String()}
	_ = json.Unmarshal(rec.Body.Bytes(), &a.body)
	return a
}

// claimFrom posts a claim from ip.
func claimFrom(t testing.TB, h http.Handler, ip string, body map[string]any) answer {
	t.Helper()
	return send(t, h, http.MethodPost, "/api/returnee-accounts/claim", ip, body)
}

// claimWant is claimFrom that fails t unless the answer's status is want;
// what names the attempt in the failure.
func claimWant(t testing.TB, h http.Handler, ip string, body map[string]any, want int, what string) answer {
	t.Helper()
	got := claimFrom(t, h, ip, body)
	if got.status != want {
		t.Fatalf("%s: %d %s, want %d", what, got.status, got.raw, want)
	}
	return got
}

// byCURP is a claim body naming the person by CURP.
func byCURP(curp, code string) map[string]any {
	return map[string]any{"curp": curp, "code": code, "password": password, "passwordConfirm": password}
}

// byPhone is a claim body naming the person by phone.
func byPhone(phone, code string) map[string]any {
	return map[string]any{"phone": phone, "code": code, "password": password, "passwordConfirm": password}
}
