package hooks_test

// NODESS staff enroll and add members only among the people they can see;
// courses take enrollments only while open; a withdrawn consent stays
// withdrawn.

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestNodessLinksOnlyPeopleTheySee(t *testing.T) {
	e := getEnv(t)
	secondCourse := func(t testing.TB, app core.App) {
		testapp.Save(t, app, "training_courses", map[string]any{"id": "coursen1second1", "title": "Carpintería", "nodess": n1,
			"theme": "industry_energy_technology", "state": e.state["GR"], "modality": "in_person", "starts_on": "2027-04-01", "capacity": 10, "status": "open"})
	}
	secondGroup := func(t testing.TB, app core.App) {
		testapp.Save(t, app, "savings_groups", map[string]any{"id": "groupn1second1a", "name": "Ahorro Tixtla", "nodess": n1, "state": e.state["GR"],
			"methodology": "silc", "share_value_cents": 2000, "min_shares": 1, "max_shares": 5, "cycle_start": "2026-10-01", "cycle_end": "2027-09-30"})
	}
	for _, c := range []call{
		{name: "N1 enrolls A1, who shared their data", who: nodessStaff1, want: allowed,
			op: create("enrollments", "enrolln1a100001", j(map[string]any{"id": "enrolln1a100001", "course": "coursen1second1", "returnee": rA1, "status": "enrolled"})).withSetup(secondCourse)},
		{name: "N1 cannot enroll A2, who did not", who: nodessStaff1, want: fieldError("returnee", "validation_missing_rel_records"),
			op: create("enrollments", "enrolln1a200001", j(map[string]any{"id": "enrolln1a200001", "course": "coursen1second1", "returnee": rA2})).withSetup(secondCourse)},
		{name: "N1 adds A1 to a second group", who: nodessStaff1, want: allowed,
			op: create("group_members", "membern1a100001", j(map[string]any{"id": "membern1a100001", "group": "groupn1second1a", "returnee": rA1, "status": "active"})).withSetup(secondGroup)},
		{name: "no enrollment in a draft course", who: nodessStaff1, want: fieldError("course", "course_not_open"),
			op: create("enrollments", "enrolldraft0001", j(map[string]any{"id": "enrolldraft0001", "course": courseDraft, "returnee": rA1}))},
	} {
		c.run(t, e)
	}
}

// withdrawConsentA1 withdraws A1's share_nodess consent, as of 2026-02-01.
func withdrawConsentA1(t testing.TB, app core.App) {
	testapp.Update(t, app, "consents", consentA1, map[string]any{"withdrawn_at": "2026-02-01 00:00:00.000Z"})
}

func TestWithdrawalIsFinal(t *testing.T) {
	e := getEnv(t)
	for _, c := range []call{
		{name: "the field worker cannot re-grant it", who: fieldWorkerA, want: fieldError("withdrawn_at", "withdrawal_final"),
			op: update("consents", consentA1, `{"granted":true,"withdrawn_at":""}`).withSetup(withdrawConsentA1)},
		{name: "nor move its date", who: fieldWorkerA, want: fieldError("withdrawn_at", "withdrawal_final"),
			op: update("consents", consentA1, `{"withdrawn_at":"2026-03-01 00:00:00.000Z"}`).withSetup(withdrawConsentA1)},
		{name: "a new grant is a new consent", who: fieldWorkerA, want: allowed,
			op: create("consents", "consenta1again1", j(map[string]any{"id": "consenta1again1", "returnee": rA1, "purpose": "share_nodess",
				"granted": true, "notice_version": "2026-02", "method": "written"})).withSetup(withdrawConsentA1)},
	} {
		c.run(t, e)
	}
}
