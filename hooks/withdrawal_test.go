package hooks_test

// A returnee withdraws their share_nodess consent through the API: from then
// on the NODESS no longer sees them (nor their referral), the withdrawal is in
// the audit log, and no new referral can be made.

import (
	"net/http"
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestConsentWithdrawalHidesFromNodess(t *testing.T) {
	for _, withdrawal := range []string{
		`{"withdrawn_at":"2026-03-01 10:00:00.000Z"}`,
		`{"granted":false}`, // revoking the grant is a withdrawal too
	} {
		t.Run(withdrawal, func(t *testing.T) {
			e := getEnv(t)
			call{name: "before: N1 views A1", who: nodessStaff1, op: view("returnees", rA1), want: allowed}.run(t, e)
			call{name: "A1 withdraws", who: accountA1, op: update("consents", consentA1, withdrawal), want: allowed,
				content: []string{`"granted":false`}, absent: []string{`"withdrawn_at":""`}}.run(t, e)

			// each step runs on a fresh app after the same withdrawal
			withdraw := rest{accountA1, http.MethodPatch, "/api/collections/consents/records/" + consentA1, withdrawal, http.StatusOK}
			steps := []call{
				{name: "N1 no longer views A1", who: nodessStaff1, op: view("returnees", rA1), want: hidden},
				{name: "N1 no longer lists A1", who: nodessStaff1, op: list("returnees"), want: none},
				{name: "N1 no longer sees the referral", who: nodessStaff1, op: view("referrals", referralA1), want: hidden},
				{name: "N1 can no longer act on the referral", who: nodessStaff1, op: update("referrals", referralA1, `{"status":"accepted"}`), want: hidden},
				{name: "field worker A still views A1", who: fieldWorkerA, op: view("returnees", rA1), want: allowed,
					content: []string{`"nodess_consent":false`, `"rev":4`}},
				{name: "the withdrawal is audited", who: superuser,
					op:   list("audit_log").withQuery(q("filter", `collection_name = "consents" && record_id = "`+consentA1+`" && action = "update"`)),
					want: allowed, content: []string{`"totalItems":1`, `"actor_collection":"returnee_accounts"`, `"actor_id":"` + testapp.AccountA1 + `"`,
						`"granted"`, `"withdrawn_at"`}},
				{name: "the change of scope is audited", who: superuser,
					op: list("audit_log").withQuery(q("filter", `collection_name = "returnees" && record_id = "`+rA1+`" && fields ~ "nodess_consent"`)),
					// one when the fixture's consent was granted, one now
					want: allowed, content: []string{`"totalItems":2`, `"action":"update"`}},
				{name: "no new referral without consent", who: fieldWorkerA, op: create("referrals", "referralafter01", j(map[string]any{
					"id": "referralafter01", "returnee": rA1, "nodess": n1, "service": "employment"})),
					want: fieldError("nodess", "consent_required")},
			}
			for _, c := range steps {
				c.prior = []rest{withdraw}
				c.run(t, e)
			}
		})
	}
}
