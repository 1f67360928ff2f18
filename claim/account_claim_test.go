package claim_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
)

const refused = "The account could not be claimed: check the CURP or phone and the code."

func TestClaim_Success(t *testing.T) {
	for _, c := range []struct {
		name      string
		body      map[string]any
		wantLogin string
		wantEmail string
	}{
		{"by CURP, any case", byCURP(strings.ToLower(personCURP), code), personCURP, ""},
		{"by phone as people type it", byPhone("664 111 22 33", "482-109-3755"), "6641112233", ""},
		{"with an email", func() map[string]any {
			b := byCURP(personCURP, code)
			b["email"] = "luis@correo.test"
			return b
		}(), personCURP, "luis@correo.test"},
	} {
		t.Run(c.name, func(t *testing.T) {
			app, h := withCodeServed(t)
			got := claimFrom(t, h, "198.51.100.1", c.body)
			if got.status != http.StatusOK {
				t.Fatalf("claim: %d %s", got.status, got.raw)
			}
			record, _ := got.body["record"].(map[string]any)
			if got.body["token"] == "" || record == nil {
				t.Fatalf("no auth answer: %s", got.raw)
			}
			if record["returnee"] != personID || record["login"] != c.wantLogin || record["email"] != c.wantEmail {
				t.Errorf("account = %v, want returnee %s, login %q, email %q", record, personID, c.wantLogin, c.wantEmail)
			}
			person := testapp.Find(t, app, "returnees", personID)
			if !person.GetBool("claimed") || person.GetString("claim_verifier") != "" || !person.GetDateTime("claim_expires").IsZero() {
				t.Errorf("after the claim: claimed %v, verifier %q, expires %v", person.GetBool("claimed"),
					person.GetString("claim_verifier"), person.GetDateTime("claim_expires"))
			}

			// the token works, and the person signs in again with their login
			me := send(t, authed(h, fmt.Sprint(got.body["token"])), http.MethodGet, "/api/collections/returnees/records/"+personID, "198.51.100.1", nil)
			if me.status != http.StatusOK {
				t.Errorf("own record with the token: %d %s", me.status, me.raw)
			}
			identity := c.wantLogin
			if identity == personCURP {
				identity = strings.ToLower(personCURP)
			} else {
				identity = "+52 (664) 111-2233"
			}
			login := send(t, h, http.MethodPost, "/api/collections/returnee_accounts/auth-with-password", "198.51.100.1",
				map[string]any{"identity": identity, "password": password})
			if login.status != http.StatusOK {
				t.Errorf("sign in as %q: %d %s", identity, login.status, login.raw)
			}
		})
	}
}

// authed adds an Authorization header to every request.
func authed(h http.Handler, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", token)
		h.ServeHTTP(w, r)
	})
}

// Unknown person, wrong code, expired code, used code: the same answer, at
// the same cost: each compares exactly one verifier (the person's, or a
// dummy when no live code was found), so none answers faster than a wrong
// code. (Counted, not timed: a shared machine's timings are noise.)
func TestClaim_RefusalsAreIndistinguishable(t *testing.T) {
	type outcome struct {
		answer   answer
		compared int64
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, app *tests.TestApp, h http.Handler)
		body  map[string]any
	}{
		{"unknown CURP", nil, byCURP("SABC560626MDFLRN01", code)},
		{"unknown phone", nil, byPhone("+526640000000", code)},
		{"wrong code", nil, byCURP(personCURP, "4821093756")},
		{"expired code", func(t *testing.T, app *tests.TestApp, h http.Handler) {
			r := testapp.Find(t, app, "returnees", personID)
			r.Set("claim_expires", types.NowDateTime().Add(-time.Minute))
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		}, byCURP(personCURP, code)},
		{"used code", func(t *testing.T, app *tests.TestApp, h http.Handler) {
			claimWant(t, h, "198.51.100.9", byCURP(personCURP, code), http.StatusOK, "first claim")
		}, map[string]any{"curp": personCURP, "code": code, "password": "otra-clave-larga", "passwordConfirm": "otra-clave-larga"}},
		{"a person with no code", func(t *testing.T, app *tests.TestApp, h http.Handler) {
			r := testapp.Find(t, app, "returnees", personID)
			r.Set("claim_verifier", "")
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		}, byCURP(personCURP, code)},
	}
	results := map[string]outcome{}
	for _, c := range cases {
		app, h := withCodeServed(t)
		if c.setup != nil {
			c.setup(t, app, h)
		}
		before := claim.Compared()
		a := claimFrom(t, h, "198.51.100.10", c.body)
		results[c.name] = outcome{a, claim.Compared() - before}
	}
	wrong := results["wrong code"]
	if wrong.answer.status != http.StatusBadRequest || wrong.answer.body["message"] != refused {
		t.Fatalf("wrong code: %d %s", wrong.answer.status, wrong.answer.raw)
	}
	for name, r := range results {
		if r.answer.raw != wrong.answer.raw || r.answer.status != wrong.answer.status {
			t.Errorf("%s: %d %s; a wrong code: %d %s", name, r.answer.status, r.answer.raw, wrong.answer.status, wrong.answer.raw)
		}
		if r.compared != 1 {
			t.Errorf("%s compared %d verifiers, a wrong code %d: want one each", name, r.compared, wrong.compared)
		}
	}
}

func TestClaim_BadInput(t *testing.T) {
	_, h := withCodeServed(t)
	valid := byCURP(personCURP, code)
	with := func(changes map[string]any) map[string]any {
		b := map[string]any{}
		for k, v := range valid {
			b[k] = v
		}
		for k, v := range changes {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no CURP nor phone", with(map[string]any{"curp": nil}), "curp"},
		{"both", with(map[string]any{"phone": personPhone}), "phone"},
		{"a CURP typo", with(map[string]any{"curp": "BEML920313HMCLNS08"}), "curp"},
		{"a short phone", map[string]any{"phone": "12345", "code": code, "password": password, "passwordConfirm": password}, "phone"},
		{"no code", with(map[string]any{"code": nil}), "code"},
		{"a short code", with(map[string]any{"code": "1234567"}), "code"},
		{"letters in the code", with(map[string]any{"code": "48210937a5"}), "code"},
		{"a short password", with(map[string]any{"password": "corta", "passwordConfirm": "corta"}), "password"},
		{"passwords differ", with(map[string]any{"passwordConfirm": "otra-clave-larga"}), "passwordConfirm"},
		{"a bad email", with(map[string]any{"email": "no-es-correo"}), "email"},
	} {
		got := claimFrom(t, h, "198.51.100.200", c.body)
		data, _ := got.body["data"].(map[string]any)
		if got.status != http.StatusBadRequest || data[c.field] == nil {
			t.Errorf("%s: %d %s, want a field error on %s", c.name, got.status, got.raw, c.field)
		}
	}
	// malformed requests are not attempts: the person can still claim
	if got := claimFrom(t, h, "198.51.100.200", valid); got.status != http.StatusOK {
		t.Errorf("valid claim after the bad ones: %d %s", got.status, got.raw)
	}
}

// Two people share a phone: each claims with their own code; the second
// cannot take the phone as login, and needs an email (or their CURP).
func TestClaim_SharedPhone(t *testing.T) {
	app, h := withCodeServed(t)
	sibling := testapp.Find(t, app, "returnees", testapp.ReturneeA2)
	sibling.Set("phone", "6641112233")
	if err := app.Save(sibling); err != nil {
		t.Fatal(err)
	}
	issue(t, app, testapp.ReturneeA2, "1111222233")

	first := claimFrom(t, h, "198.51.100.30", byPhone(personPhone, "1111222233"))
	if first.status != http.StatusOK || first.body["record"].(map[string]any)["returnee"] != testapp.ReturneeA2 {
		t.Fatalf("sibling's claim: %d %s", first.status, first.raw)
	}
	second := claimFrom(t, h, "198.51.100.30", byPhone(personPhone, code))
	if data, _ := second.body["data"].(map[string]any); second.status != http.StatusBadRequest || data["phone"] == nil {
		t.Fatalf("second claim with a taken phone login: %d %s", second.status, second.raw)
	}
	body := byPhone(personPhone, code)
	body["email"] = "luis@correo.test"
	third := claimFrom(t, h, "198.51.100.30", body)
	if third.status != http.StatusOK || third.body["record"].(map[string]any)["login"] != "" {
		t.Fatalf("claim with an email: %d %s", third.status, third.raw)
	}
}
