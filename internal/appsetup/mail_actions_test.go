package appsetup_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// Every auth endpoint that needs mail answers 403, on every auth collection,
// whether the address has an account or not.
func TestRefuseMailActions(t *testing.T) {
	bodies := map[string]string{
		"request-password-reset": `{"email":"fw.a@retorno.test"}`,
		"confirm-password-reset": `{"token":"x","password":"a-new-password","passwordConfirm":"a-new-password"}`,
		"request-verification":   `{"email":"fw.a@retorno.test"}`,
		"confirm-verification":   `{"token":"x"}`,
		"request-email-change":   `{"newEmail":"new@retorno.test"}`,
		"confirm-email-change":   `{"token":"x","password":"retorno-test-1"}`,
		"request-otp":            `{"email":"fw.a@retorno.test"}`, // off by option
		"auth-with-otp":          `{"otpId":"x","password":"12345678"}`,
	}
	var scenarios []tests.ApiScenario
	for _, collection := range []string{core.CollectionNameSuperusers, "staff", "returnee_accounts"} {
		for action, body := range bodies {
			scenarios = append(scenarios, tests.ApiScenario{
				Name:   collection + " " + action,
				Method: http.MethodPost, URL: "/api/collections/" + collection + "/" + action,
				Body: strings.NewReader(body), Headers: map[string]string{"Content-Type": "application/json"},
				ExpectedStatus:  http.StatusForbidden,
				ExpectedContent: []string{`"status":403`, `"message":"The collection is not configured to allow `},
				TestAppFactory:  testapp.Factory,
			})
		}
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}
