package hooks_test

// Bad input (issue 2): every invalid field answers 400 with field-level
// errors and saves nothing. Each refused call below is checked against a
// fingerprint of the whole database (record counts and revs of every
// collection, the audit log included) taken before the request.

import (
	"maps"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestBadInput(t *testing.T) {
	e := getEnv(t)

	// returnee is a valid registration by field worker A, changed by edits.
	returnee := func(edits map[string]any) string {
		fields := map[string]any{"id": "returneebad0001", "given_names": "Pedro", "first_surname": "Ramírez",
			"birth_date": "1992-03-13", "sex": "H", "destination_state": e.state["GR"], "reception_point": e.point["Tijuana"],
			"curp": "RAXP920313HMCMXD03"}
		maps.Copy(fields, edits)
		for k, v := range fields {
			if v == nil {
				delete(fields, k)
			}
		}
		return j(fields)
	}
	register := func(edits map[string]any) op { return create("returnees", "returneebad0001", returnee(edits)) }

	calls := []call{
		// control: the unedited registration is valid
		{name: "control: valid registration", who: fieldWorkerA, op: register(nil), want: allowed},

		// CURP
		{name: "curp wrong check digit", who: fieldWorkerA, op: register(map[string]any{"curp": "RAXP920313HMCMXD08"}),
			want: fieldError("curp", "invalid_check_digit")},
		{name: "curp too short", who: fieldWorkerA, op: register(map[string]any{"curp": "RAXP920313HMCM"}),
			want: fieldError("curp", "invalid_length")},
		{name: "curp wrong shape", who: fieldWorkerA, op: register(map[string]any{"curp": "RAXP92O313HMCMXD03"}),
			want: fieldError("curp", "invalid_shape")},
		{name: "curp unknown state", who: fieldWorkerA, op: register(map[string]any{"curp": "RAXP920313HXXMXD03"}),
			want: fieldError("curp", "invalid_state")},
		{name: "curp date that does not exist", who: fieldWorkerA, op: register(map[string]any{"curp": "SABC990230MDFLRN01", "birth_date": "1999-02-28"}),
			want: fieldError("curp", "invalid_date")},
		{name: "curp century rule (29 Feb 1900)", who: fieldWorkerA, op: register(map[string]any{"curp": "PERA000229HDFRRN05", "birth_date": "1900-02-28"}),
			want: fieldError("curp", "invalid_century")},
		{name: "curp disagrees with birth date", who: fieldWorkerA, op: register(map[string]any{"birth_date": "1992-03-14"}),
			want: fieldError("curp", "birth_date_mismatch")},
		{name: "curp already registered", who: fieldWorkerA, op: register(map[string]any{"curp": "SAXS560626MDFNXR09", "birth_date": "1956-06-26", "sex": "M",
			"given_names": "Sara", "first_surname": "Sánchez"}),
			want: fieldError("curp", "validation_not_unique"),
			before: func(t testing.TB, app *tests.TestApp) {
				testapp.Save(t, app, "returnees", map[string]any{"given_names": "Sara", "first_surname": "Sánchez", "birth_date": "1956-06-26",
					"sex": "M", "destination_state": e.state["GR"], "reception_point": e.point["Tijuana"], "curp": "SAXS560626MDFNXR09"})
			}},

		// dates
		{name: "birth date that does not exist", who: fieldWorkerA, op: register(map[string]any{"birth_date": "2023-02-30", "curp": nil}),
			want: fieldError("birth_date", "invalid_date")},
		{name: "birth date in the future", who: fieldWorkerA, op: register(map[string]any{"birth_date": "2999-01-01", "curp": nil}),
			want: fieldError("birth_date", "future_date")},
		{name: "birth date not ISO", who: fieldWorkerA, op: register(map[string]any{"birth_date": "13/03/1992", "curp": nil}),
			want: fieldError("birth_date", "invalid_date")},
		{name: "repatriation date that does not exist", who: fieldWorkerA, op: register(map[string]any{"repatriation_date": "2026-04-31"}),
			want: fieldError("repatriation_date", "invalid_date")},
		{name: "course ends before it starts", who: nodessStaff1, op: create("training_courses", "coursebad000001", j(map[string]any{"id": "coursebad000001",
			"title": "Panadería", "nodess": n1, "theme": "capabilities_innovation", "state": e.state["GR"], "modality": "online",
			"starts_on": "2027-05-01", "ends_on": "2027-04-01", "capacity": 10})),
			want: fieldError("ends_on", "date_order")},

		// scope
		{name: "reception point not the field worker's own", who: fieldWorkerA, op: register(map[string]any{"reception_point": e.point["Mexicali"]}),
			want: fieldError("reception_point", "outside_scope")},

		// enumerations
		{name: "unknown sex", who: fieldWorkerA, op: register(map[string]any{"sex": "Z"}),
			want: fieldError("sex", "validation_invalid_value")},
		{name: "unknown language", who: fieldWorkerA, op: register(map[string]any{"languages": []string{"es", "klingon"}}),
			want: fieldError("languages", "validation_invalid_value")},
		{name: "unknown consent purpose", who: fieldWorkerA, op: create("consents", "consentbad00001", j(map[string]any{"id": "consentbad00001",
			"returnee": rA2, "purpose": "marketing", "granted": true, "notice_version": "2026-01", "method": "verbal"})),
			want: fieldError("purpose", "validation_invalid_value")},
		{name: "unknown referral service", who: fieldWorkerA, op: create("referrals", "referralbad0003", j(map[string]any{"id": "referralbad0003",
			"returnee": rA1, "nodess": n2, "service": "magic"})),
			want: fieldError("service", "validation_invalid_value")},
		{name: "unknown referral status", who: nodessStaff1, op: update("referrals", referralA1, `{"status":"done"}`),
			want: fieldError("status", "invalid_transition")}, // the transition check answers first

		// relations
		{name: "destination state that does not exist", who: fieldWorkerA, op: register(map[string]any{"destination_state": "missingstate001"}),
			want: fieldError("destination_state", "validation_missing_rel_records")},
		{name: "consent of a returnee that does not exist", who: fieldWorkerA, op: create("consents", "consentbad00002", j(map[string]any{"id": "consentbad00002",
			"returnee": "missingperson01", "purpose": "registration", "granted": true, "notice_version": "2026-01", "method": "verbal"})),
			want: fieldError("returnee", "validation_missing_rel_records")},
		{name: "ledger entry for a member of another group", who: nodessStaff1, op: create("ledger_entries", "entrybad0000001", j(map[string]any{"id": "entrybad0000001",
			"group": emptyGroup, "member": member, "type": "share_purchase", "shares": 1, "amount_cents": 2000, "meeting_date": "2026-10-08"})),
			want:   fieldError("member", "wrong_group"),
			before: func(t testing.TB, app *tests.TestApp) { addEmptyGroup(e)(t, app) }},

		// other field checks
		{name: "missing required fields", who: fieldWorkerA, op: register(map[string]any{"given_names": nil, "first_surname": ""}),
			want: fieldError("given_names", "validation_required"), content: []string{`"first_surname":{"code":"validation_required"`}},
		{name: "phone with letters (not storable in E.164)", who: fieldWorkerA, op: register(map[string]any{"phone": "llámame"}),
			want: fieldError("phone", "phone_e164")},
		{name: "years in the US out of range", who: fieldWorkerA, op: register(map[string]any{"years_in_us": 200}),
			want: fieldError("years_in_us", "validation_max_number_constraint")},
		{name: "id not of the client id form", who: fieldWorkerA, op: create("returnees", "bad-id-00000001", returnee(map[string]any{"id": "bad-id-00000001"})),
			want: fieldError("id", "validation_invalid_format")},
		{name: "every bad field at once", who: fieldWorkerA, op: register(map[string]any{"curp": "RAXP920313HMCMXD08", "sex": "Z", "birth_date": "2023-02-30"}),
			want:    fieldError("curp", "invalid_check_digit"),
			content: []string{`"sex":{"code":"validation_invalid_value"`, `"birth_date":{"code":"invalid_date"`}},

		// a returnee account edits only contact, destination and skills
		{name: "control: returnee edits contact, destination and skills", who: accountA1, op: update("returnees", rA1, j(map[string]any{
			"phone": "+527440000000", "destination_state": e.state["MC"], "destination_municipality": "Toluca", "skills": "cocina, costura"})),
			want: allowed, content: []string{`"destination_municipality":"Toluca"`, `"given_names":"María José"`}},
		{name: "returnee edits given names", who: accountA1, op: update("returnees", rA1, `{"given_names":"Mariana"}`),
			want: fieldError("given_names", "not_editable")},
		{name: "returnee edits phone and reception point together", who: accountA1,
			op:   update("returnees", rA1, j(map[string]any{"phone": "+527440000000", "reception_point": e.point["Matamoros"]})),
			want: fieldError("reception_point", "not_editable"), absent: []string{`"phone":{`}},
		{name: "returnee edits sex", who: accountA1, op: update("returnees", rA1, `{"sex":"X"}`),
			want: fieldError("sex", "not_editable")},
		{name: "returnee edits consent notice", who: accountA1, op: update("consents", consentA1, `{"notice_version":"2099-01"}`),
			want: fieldError("notice_version", "not_editable")},
		{name: "returnee re-grants a withdrawn consent", who: accountA1, op: update("consents", consentA1, `{"granted":true,"withdrawn_at":""}`),
			want:   fieldError("granted", "not_editable"),
			before: func(t testing.TB, app *tests.TestApp) { withdrawConsentA1(t, app) }},
		{name: "returnee enrolls already enrolled", who: accountB1, op: create("enrollments", "enrollbad000001", j(map[string]any{"id": "enrollbad000001",
			"course": course, "returnee": rB1, "status": "enrolled"})),
			want: fieldError("status", "invalid_status")},
		{name: "returnee completes own course", who: accountA1, op: update("enrollments", enrollment, `{"status":"completed"}`),
			want: fieldError("status", "invalid_status")},
		{name: "returnee makes themselves treasurer", who: accountA1, op: update("group_members", member, `{"role":"treasurer"}`),
			want: fieldError("role", "not_editable")},

		// referrals
		{name: "referral without share_nodess consent", who: fieldWorkerA, op: create("referrals", "referralbad0001", j(map[string]any{"id": "referralbad0001",
			"returnee": rA2, "nodess": n1, "service": "training"})),
			want: fieldError("nodess", "consent_required")},
		{name: "referral created already accepted", who: fieldWorkerA, op: create("referrals", "referralbad0002", j(map[string]any{"id": "referralbad0002",
			"returnee": rA1, "nodess": n2, "service": "training", "status": "accepted"})),
			want: fieldError("status", "invalid_status")},
		{name: "referral pending to closed", who: fieldWorkerA, op: update("referrals", referralA1, `{"status":"closed"}`),
			want: fieldError("status", "invalid_transition")},
		{name: "NODESS staff moves pending to attended", who: nodessStaff1, op: update("referrals", referralA1, `{"status":"attended"}`),
			want: fieldError("status", "invalid_transition")},
		{name: "NODESS staff changes the service", who: nodessStaff1, op: update("referrals", referralA1, `{"service":"legal"}`),
			want: fieldError("service", "not_editable")},
	}
	for _, c := range calls {
		c.run(t, e)
	}
}
