package appsetup_test

import (
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/appsetup"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// webApp is a test app serving a one-page web app.
func webApp(t testing.TB) *tests.TestApp {
	app := testapp.New(t)
	appsetup.ServeWebApp(app, fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Retorno</title>")}})
	return app
}

func TestServeWebApp(t *testing.T) {
	notFound := []string{`"status":404`, `"message":"The requested resource wasn't found."`, `"data":{}`}
	var scenarios []tests.ApiScenario
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		for _, path := range []string{"/api/nope", "/api/sync/nope", "/api/collections/returnees/nope/deeper", "/api/"} {
			scenarios = append(scenarios, tests.ApiScenario{
				Name: "unknown " + method + " " + path, Method: method, URL: path,
				ExpectedStatus: http.StatusNotFound, ExpectedContent: notFound,
				NotExpectedContent: []string{"<!doctype html>"},
				TestAppFactory:     webApp,
			})
		}
	}
	scenarios = append(scenarios,
		tests.ApiScenario{
			Name: "a path of the app", Method: http.MethodGet, URL: "/field/register",
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"<!doctype html><title>Retorno</title>"},
			TestAppFactory: webApp,
		},
		tests.ApiScenario{
			Name: "an API route still answers", Method: http.MethodGet, URL: "/api/health",
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"code":200`},
			TestAppFactory: webApp,
		},
		tests.ApiScenario{
			Name: "a custom API route still answers", Method: http.MethodGet, URL: "/api/sync/pull",
			ExpectedStatus: http.StatusUnauthorized, ExpectedContent: []string{`"status":401`},
			TestAppFactory: webApp,
		},
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
