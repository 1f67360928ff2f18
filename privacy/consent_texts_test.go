package privacy_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// A consent keeps the version of its purpose's wording: an unknown version
// is refused on every path and nothing is saved; none gets the current one;
// the version never changes afterwards.
func TestConsentTexts_Version(t *testing.T) {
	consent := func(version string) map[string]any {
		f := map[string]any{"returnee": testapp.ReturneeA2, "purpose": "contact_whatsapp", "granted": true, "notice_version": "2026-01", "method": "verbal"}
		if version != "" {
			f["text_version"] = version
		}
		return f
	}
	for _, way := range testapp.Paths {
		t.Run("unknown by "+string(way), func(t *testing.T) {
			app, answer := write(t, way, nil, catalog.Staff, testapp.FieldWorkerA, "create", catalog.Consents, "consenta2000001", consent("2019-99"))
			if _, err := app.FindRecordById(catalog.Consents, "consenta2000001"); err == nil || !strings.Contains(answer, "unknown_text_version") {
				t.Errorf("want unknown_text_version, nothing saved: %s", answer)
			}
		})
		t.Run("none by "+string(way), func(t *testing.T) {
			app, answer := write(t, way, nil, catalog.Staff, testapp.FieldWorkerA, "create", catalog.Consents, "consenta2000001", consent(""))
			r, err := app.FindRecordById(catalog.Consents, "consenta2000001")
			if err != nil || r.GetString("text_version") != "2026-01" {
				t.Errorf("want the current version: %v %s", err, answer)
			}
		})
		t.Run("changed by "+string(way), func(t *testing.T) {
			app, answer := write(t, way, nil, catalog.Staff, testapp.FieldWorkerA, "update", catalog.Consents, testapp.ConsentA1, map[string]any{"text_version": "2027-01"})
			r, _ := app.FindRecordById(catalog.Consents, testapp.ConsentA1)
			if r.GetString("text_version") != "2026-01" || !strings.Contains(answer, "not_editable") {
				t.Errorf("want not_editable: %s", answer)
			}
		})
	}
}

// Everyone reads the wording (the claim screen has no account); only
// superusers write it, and not the words of a version a consent names.
func TestConsentTexts_Rules(t *testing.T) {
	tokens := tokensOf(t)
	su := map[string]string{"Authorization": tokens[testapp.Superuser]}
	first := func(app *tests.TestApp) string {
		r, err := app.FindFirstRecordByFilter(catalog.ConsentTexts, "purpose = 'registration'")
		if err != nil {
			t.Fatal(err)
		}
		return r.Id
	}
	var id string
	probe := withSuperuser(t)
	id = first(probe)
	patch := "/api/collections/consent_texts/records/" + id
	scenarios := []tests.ApiScenario{
		{Name: "a guest lists them", Method: http.MethodGet, URL: "/api/collections/consent_texts/records",
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":4`, `"text_es":"Guardar tus datos`}},
		{Name: "a field worker may not write", Method: http.MethodPatch, URL: patch, Body: strings.NewReader(`{"text_es":"otra cosa"}`),
			Headers: map[string]string{"Authorization": tokens[testapp.FieldWorkerA]}, ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "a superuser changes words nobody consented to", Method: http.MethodPatch, URL: patch, Body: strings.NewReader(`{"text_es":"Nuevo texto."}`),
			Headers: su, ExpectedStatus: 200, ExpectedContent: []string{`"text_es":"Nuevo texto."`}},
		{Name: "not the words of a version in use", Method: http.MethodPatch, URL: patch, Body: strings.NewReader(`{"text_es":"Nuevo texto."}`),
			Headers: su, ExpectedStatus: 400, ExpectedContent: []string{`"text_es":{"code":"text_in_use"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				c, _ := app.FindRecordById(catalog.Consents, testapp.ConsentA1)
				c.Set("purpose", "registration")
				if err := app.SaveNoValidate(c); err != nil {
					t.Fatal(err)
				}
				if _, err := app.DB().NewQuery("UPDATE consents SET text_version = '2026-01' WHERE id = {:id}").Bind(map[string]any{"id": testapp.ConsentA1}).Execute(); err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = withSuperuser
		s.Test(t)
	}
}

// The words of a version a consent names stay as they are, whoever writes
// them and however (a superuser's device syncs reference data too).
func TestConsentTexts_InUse(t *testing.T) {
	for _, way := range testapp.Paths {
		t.Run(string(way), func(t *testing.T) {
			var id string
			setup := func(app core.App) {
				testapp.AddSuperuser(t, app)
				text, err := app.FindFirstRecordByFilter(catalog.ConsentTexts, "purpose = 'share_nodess'")
				if err != nil {
					t.Fatal(err)
				}
				id = text.Id
			}
			app, answer := write(t, way, setup, core.CollectionNameSuperusers, testapp.Superuser, "update", catalog.ConsentTexts, shareNodessText(t), map[string]any{"text_es": "Otras palabras."})
			r, _ := app.FindRecordById(catalog.ConsentTexts, id)
			if r.GetString("text_es") == "Otras palabras." || !strings.Contains(answer, "text_in_use") {
				t.Errorf("want text_in_use, nothing changed: %s", answer)
			}
		})
	}
}

// shareNodessText is the id of the seeded share_nodess wording, the same in
// every clone of the template (A1's and B1's consents name it).
func shareNodessText(t *testing.T) string {
	t.Helper()
	app := testapp.New(t)
	text, err := app.FindFirstRecordByFilter(catalog.ConsentTexts, "purpose = 'share_nodess'")
	if err != nil {
		t.Fatal(err)
	}
	return text.Id
}
