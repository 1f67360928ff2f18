package imports_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/retorno-mx/retorno/imports"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// A new invitation replaces the old code: superusers invite any account,
// a coordinator those of their state; anyone else, or another state's
// coordinator, is told the account does not exist.
func TestReinvite(t *testing.T) {
	app, srv := testapp.NewServed(t)
	su := superuser(t, app)
	sonora := testapp.Save(t, app, "staff", map[string]any{"email": "coord.sr@retorno.test", "name": "Sonia Sonora", "role": "coordinator",
		"state": testapp.ID(app, "states", "curp_code", "SR"), "password": testapp.Password, "verified": true})
	reinvite := func(token, id string) (int, imports.Invitation) {
		status, body := testapp.Request(t, srv.URL, token, http.MethodPost, "/api/staff/"+id+"/invitation", nil)
		var inv imports.Invitation
		json.Unmarshal(body, &inv)
		return status, inv
	}
	for _, c := range []struct {
		name, token, id string
		status          int
	}{
		{"guest", "", testapp.FieldWorkerA, http.StatusUnauthorized},
		{"field worker", testapp.Token(t, app, "staff", testapp.FieldWorkerB), testapp.FieldWorkerA, http.StatusForbidden},
		{"another state's coordinator", testapp.Token(t, app, "staff", sonora.Id), testapp.FieldWorkerA, http.StatusNotFound},
		{"a coordinator, another coordinator", testapp.Token(t, app, "staff", testapp.CoordBC), sonora.Id, http.StatusNotFound},
		{"no such account", su, "nosuchstaff0001", http.StatusNotFound},
	} {
		if status, _ := reinvite(c.token, c.id); status != c.status {
			t.Errorf("%s: %d, want %d", c.name, status, c.status)
		}
	}

	accept := func(code string) int {
		status, _ := testapp.Request(t, srv.URL, "", http.MethodPost, "/api/staff-invitations/accept",
			map[string]any{"email": "fw.a@retorno.test", "code": code, "password": "una-clave-nueva", "passwordConfirm": "una-clave-nueva"})
		return status
	}
	status, first := reinvite(su, testapp.FieldWorkerA)
	if status != http.StatusOK || first.Email != "fw.a@retorno.test" || len(first.Code) != 14 || first.Expires.IsZero() {
		t.Fatalf("superuser: %d %+v", status, first)
	}
	status, second := reinvite(testapp.Token(t, app, "staff", testapp.CoordBC), testapp.FieldWorkerA)
	if status != http.StatusOK || second.Code == first.Code {
		t.Fatalf("coordinator: %d %+v", status, second)
	}
	if s := accept(first.Code); s != http.StatusBadRequest {
		t.Errorf("the replaced code: %d", s)
	}
	if s := accept(second.Code); s != http.StatusOK {
		t.Errorf("the new code: %d", s)
	}
}
