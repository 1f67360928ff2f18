package devicesync_test

// Sensitive needs and the sync push (docs/PRIVACY.md, "Sensitive data"): a
// push applies its mutations in order, each seeing the ones before it, so a
// sensitive_data consent counts for the needs written after it in the same
// push and not for those before it. The web app registers a person in that
// order: the person without sensitive needs, the consents, the return with
// every need, then an update of the person's needs (sent in the next push:
// a push carries one mutation per record).

import (
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// sensitiveRegistration is the web app's registration of person id with a
// health need and the sensitive_data consent: the first push and the second.
func sensitiveRegistration(prefix, id, point, personCURP string, person map[string]any) (first, second []devicesync.Mutation) {
	ms := registration(prefix, id, point, personCURP, "1234567890", person)
	create, ret, whatsapp := ms[0], ms[1], ms[2]
	create.Fields["needs"] = []string{"employment"}
	ret.Fields["needs"] = []string{"employment", "health"}
	sensitive := mutation(prefix+"-sensitive", "consents", "s"+id[1:], "create", 0, map[string]any{"returnee": id,
		"purpose": "sensitive_data", "granted": true, "notice_version": "2026-01", "method": "verbal"})
	first = []devicesync.Mutation{create, whatsapp, sensitive, ret}
	second = []devicesync.Mutation{mutation(prefix+"-needs", "returnees", id, "update", 1, map[string]any{"needs": []string{"employment", "health"}})}
	return first, second
}

func TestPush_SensitiveNeedsAfterTheirConsent(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-sensitive")
	tijuana := pointID(app, "Tijuana")
	pedro := map[string]any{"given_names": "Pedro", "first_surname": "Ramírez", "birth_date": "1992-03-13", "sex": "H",
		"destination_state": testapp.ID(app, "states", "curp_code", "GR")}

	t.Run("the web app's registration", func(t *testing.T) {
		const id = "pedrosensitive1"
		first, second := sensitiveRegistration("sens", id, tijuana, "", pedro)
		for _, push := range [][]devicesync.Mutation{first, second} {
			for _, r := range a.push(push...) {
				if r.Status != devicesync.StatusApplied {
					t.Fatalf("%s: %s %+v", r.MutationID, r.Status, r.Error)
				}
			}
		}
		for _, c := range []string{"returnees", "returns"} {
			if got := testapp.Find(t, app, c, id).GetStringSlice("needs"); !slices.Equal(got, []string{"employment", "health"}) {
				t.Errorf("%s needs = %v", c, got)
			}
		}
	})

	t.Run("a consent after the needs does not count", func(t *testing.T) {
		const id = "luissensitive01"
		first, _ := sensitiveRegistration("late", id, tijuana, "", map[string]any{"given_names": "Luis", "first_surname": "Ruiz",
			"birth_date": "1980-01-02", "sex": "H", "destination_state": testapp.ID(app, "states", "curp_code", "GR")})
		// the return before the consents, as the web app sent it before
		res := a.push(first[0], first[3], first[1], first[2])
		if r := res[1]; r.Status != devicesync.StatusRejected || r.Error == nil || r.Error.FieldCodes["needs"] != hooks.CodeSensitiveWithoutConsent {
			t.Errorf("the return before the consent: %s %+v", r.Status, r.Error)
		}
		for _, r := range []devicesync.Result{res[0], res[2], res[3]} {
			if r.Status != devicesync.StatusApplied {
				t.Errorf("%s: %s %+v", r.MutationID, r.Status, r.Error)
			}
		}
	})

	t.Run("a registration with its sensitive needs", func(t *testing.T) {
		const id = "anasensitive001"
		first, _ := sensitiveRegistration("early", id, tijuana, "", map[string]any{"given_names": "Ana", "first_surname": "Luna",
			"birth_date": "1990-01-02", "sex": "M", "destination_state": testapp.ID(app, "states", "curp_code", "GR")})
		first[0].Fields["needs"] = []string{"psychosocial"}
		res := a.push(first...)
		if r := res[0]; r.Status != devicesync.StatusRejected || r.Error.FieldCodes["needs"] != hooks.CodeSensitiveWithoutConsent {
			t.Errorf("a new person with a sensitive need: %s %+v", r.Status, r.Error)
		}
	})
}

// A registration of someone the server knows by their CURP is rebound to
// them (docs/sync.md, "Rebinding"): the web app's order works there too, the
// consent reaching the known person before the return and the update.
func TestPush_SensitiveNeedsOfAKnownPerson(t *testing.T) {
	app := testapp.New(t)
	srv := testapp.Serve(t, app)
	known := giveCURP(t, app, testapp.ReturneeA2)
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-sensitive")
	const device = "devicejuansens1"
	first, second := sensitiveRegistration("known", device, pointID(app, "Matamoros"), known, map[string]any{"given_names": "Juan",
		"first_surname": "García", "birth_date": "1985-01-02", "sex": "H", "destination_state": testapp.ID(app, "states", "curp_code", "GR")})
	first[3].Fields["identity_confirmed"] = true
	for _, push := range [][]devicesync.Mutation{first, second} {
		for _, r := range b.push(push...) {
			if r.Status != devicesync.StatusApplied && r.Status != devicesync.StatusMerged {
				t.Fatalf("%s: %s %+v", r.MutationID, r.Status, r.Error)
			}
		}
	}
	if got := testapp.Find(t, app, "returnees", testapp.ReturneeA2).GetStringSlice("needs"); !slices.Contains(got, "health") {
		t.Errorf("the known person's needs = %v, want health among them", got)
	}
	if got := testapp.Find(t, app, "returns", device).GetStringSlice("needs"); !slices.Equal(got, []string{"employment", "health"}) {
		t.Errorf("the new return's needs = %v", got)
	}
}
