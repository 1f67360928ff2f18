package testapp

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/hooks"
)

// Fixture ids (15 chars, as clients choose them). Point A is Tijuana (Baja
// California), point B is Matamoros (Tamaulipas). NODESS N1 covers Guerrero
// and Estado de México; N2 covers Oaxaca and Chiapas.
const (
	NodessN1 = "nodessn1centro1"
	NodessN2 = "nodessn2surest1"

	FieldWorkerA = "staffworkera001" // Tijuana
	FieldWorkerB = "staffworkerb001" // Matamoros
	NodessStaff1 = "staffnodessn101"
	NodessStaff2 = "staffnodessn201"
	CoordBC      = "staffcoordbc001" // coordinator of Baja California

	// ReturneeA1: point A, going to Guerrero, share_nodess consent, referred to N1.
	ReturneeA1 = "returneea100001"
	// ReturneeA2: point A, going to Guerrero, no consent.
	ReturneeA2 = "returneea200001"
	// ReturneeB1: point B, going to Oaxaca, share_nodess consent.
	ReturneeB1 = "returneeb100001"

	AccountA1 = "accounta1000001" // returnee account of ReturneeA1
	AccountB1 = "accountb1000001" // returnee account of ReturneeB1

	ConsentA1  = "consenta1000001" // share_nodess of ReturneeA1
	ConsentB1  = "consentb1000001" // share_nodess of ReturneeB1
	ReferralA1 = "referrala100001" // ReturneeA1 to N1
	NoteA1     = "casenotea100001" // by FieldWorkerA about ReturneeA1
	FollowUpA1 = "followupa100001" // N1's call to ReturneeA1, scheduled by hand

	ReturnA1 = "returna10000001" // ReturneeA1's return at Tijuana
	ReturnA2 = "returna20000001" // ReturneeA2's return at Tijuana
	ReturnB1 = "returnb10000001" // ReturneeB1's return at Matamoros

	CourseN1      = "coursen1open001" // open, Guerrero, by N1
	CourseN1Draft = "coursen1draft01"
	GroupN1       = "groupn1guerrer1"
	EnrollmentA1  = "enrolla1000001a" // ReturneeA1 in CourseN1
	MemberA1      = "membera1000001a" // ReturneeA1 in GroupN1
	EntryA1       = "entrya10000001a" // a share purchase of MemberA1

	OutcomeA1    = "outcomea1000001" // ReturneeA1's outcome, recorded by NodessStaff1
	CoopN1       = "coopn1guerrero1" // an idea in Guerrero, accompanied by N1
	CoopMemberA1 = "coopmembera1001" // ReturneeA1, active founder of CoopN1

	DocumentA1ID    = "documenta1ine01" // ReturneeA1's voter ID (an identity document), a photo by FieldWorkerA
	DocumentA1Other = "documenta1cert1" // ReturneeA1's certificate of studies (shared with a NODESS), a PDF by FieldWorkerA
	DocumentB1ID    = "documentb1act01" // ReturneeB1's birth certificate, a photo by FieldWorkerB

	// Password of every fixture account.
	Password = "retorno-test-1"
)

// loadFixtures writes the fixture records through app.Save, so that every
// hook (stamps, derived scope, audit) runs as on any write path.
func loadFixtures(app core.App) error {
	state := func(code string) string { return ID(app, "states", "curp_code", code) }
	point := func(city string) string { return ID(app, "reception_points", "city", city) }

	type rec struct {
		collection string
		fields     map[string]any
	}
	records := []rec{
		{"nodess", map[string]any{"id": NodessN1, "name": "NODESS Centro Uno", "region": "centro", "states": []string{state("GR"), state("MC")}}},
		{"nodess", map[string]any{"id": NodessN2, "name": "NODESS Sureste Uno", "region": "sureste", "states": []string{state("OC"), state("CS")}}},

		{"staff", map[string]any{"id": FieldWorkerA, "email": "fw.a@retorno.test", "name": "Ana Tijuana", "role": "field_worker", "reception_point": point("Tijuana")}},
		{"staff", map[string]any{"id": FieldWorkerB, "email": "fw.b@retorno.test", "name": "Beto Matamoros", "role": "field_worker", "reception_point": point("Matamoros")}},
		{"staff", map[string]any{"id": NodessStaff1, "email": "n1@retorno.test", "name": "Nora Nodo Uno", "role": "nodess_staff", "nodess": NodessN1}},
		{"staff", map[string]any{"id": NodessStaff2, "email": "n2@retorno.test", "name": "Nico Nodo Dos", "role": "nodess_staff", "nodess": NodessN2}},
		{"staff", map[string]any{"id": CoordBC, "email": "coord.bc@retorno.test", "name": "Carla Coordinadora", "role": "coordinator", "state": state("BC")}},

		{"returnees", map[string]any{"id": ReturneeA1, "given_names": "María José", "first_surname": "Pérez", "second_surname": "López",
			"birth_date": "1990-05-17", "sex": "M", "birth_state": state("GR"), "destination_state": state("GR"),
			"repatriation_date": "2026-11-20", "reception_point": point("Tijuana"), "registered_by": FieldWorkerA, "phone": "+527441234567", "sector_in_us": "agriculture", "skills": "cosecha, cocina"}},
		{"returnees", map[string]any{"id": ReturneeA2, "given_names": "Juan", "first_surname": "García",
			"birth_date": "1985-01-02", "sex": "H", "destination_state": state("GR"), "repatriation_date": "2026-11-21", "reception_point": point("Tijuana"), "registered_by": FieldWorkerA}},
		{"returnees", map[string]any{"id": ReturneeB1, "given_names": "Rosa", "first_surname": "Hernández",
			"birth_date": "1979-11-30", "sex": "M", "destination_state": state("OC"), "repatriation_date": "2026-11-22", "reception_point": point("Matamoros"), "registered_by": FieldWorkerB}},

		{"returns", map[string]any{"id": ReturnA1, "returnee": ReturneeA1, "reception_point": point("Tijuana"), "repatriation_date": "2026-11-20",
			"registered_by": FieldWorkerA, "needs": []string{"employment"}, "services": []string{"constancia_repatriacion", "phone_call"}}},
		{"returns", map[string]any{"id": ReturnA2, "returnee": ReturneeA2, "reception_point": point("Tijuana"), "repatriation_date": "2026-11-21", "registered_by": FieldWorkerA}},
		{"returns", map[string]any{"id": ReturnB1, "returnee": ReturneeB1, "reception_point": point("Matamoros"), "repatriation_date": "2026-11-22", "registered_by": FieldWorkerB}},

		{"returnee_accounts", map[string]any{"id": AccountA1, "email": "maria@retorno.test", "returnee": ReturneeA1}},
		{"returnee_accounts", map[string]any{"id": AccountB1, "email": "rosa@retorno.test", "returnee": ReturneeB1}},

		{"consents", map[string]any{"id": ConsentA1, "returnee": ReturneeA1, "purpose": "share_nodess", "granted": true, "notice_version": "2026-01", "method": "verbal", "collected_by": FieldWorkerA}},
		{"consents", map[string]any{"id": ConsentB1, "returnee": ReturneeB1, "purpose": "share_nodess", "granted": true, "notice_version": "2026-01", "method": "verbal", "collected_by": FieldWorkerB}},
		{"referrals", map[string]any{"id": ReferralA1, "returnee": ReturneeA1, "nodess": NodessN1, "service": "training", "referred_by": FieldWorkerA}},
		{"follow_ups", map[string]any{"id": FollowUpA1, "returnee": ReturneeA1, "nodess": NodessN1, "due_on": "2027-01-15", "kind": "call", "recorded_by": NodessStaff1}},
		{"case_notes", map[string]any{"id": NoteA1, "returnee": ReturneeA1, "author": FieldWorkerA, "text": "Busca trabajo en el campo."}},

		{"training_courses", map[string]any{"id": CourseN1, "title": "Cooperativas agrícolas", "nodess": NodessN1, "theme": "agro_livestock_fishing",
			"state": state("GR"), "modality": "in_person", "starts_on": "2027-01-10", "ends_on": "2027-03-10", "capacity": 20, "status": "open"}},
		{"training_courses", map[string]any{"id": CourseN1Draft, "title": "Turismo comunitario", "nodess": NodessN1, "theme": "tourism",
			"state": state("GR"), "modality": "hybrid", "starts_on": "2027-02-01", "capacity": 15, "status": "draft"}},
		{"savings_groups", map[string]any{"id": GroupN1, "name": "Ahorro Solidario Chilpancingo", "nodess": NodessN1, "state": state("GR"), "methodology": "vsla",
			"share_value_cents": 5000, "min_shares": 1, "max_shares": 5, "monthly_interest_bp": 500, "cycle_start": "2026-09-01", "cycle_end": "2027-06-30", "status": "active", "accepting_members": true}},
		{"enrollments", map[string]any{"id": EnrollmentA1, "course": CourseN1, "returnee": ReturneeA1, "status": "enrolled"}},
		{"group_members", map[string]any{"id": MemberA1, "group": GroupN1, "returnee": ReturneeA1, "role": "member", "status": "active", "joined_on": "2026-09-01"}},
		{"outcomes", map[string]any{"id": OutcomeA1, "returnee": ReturneeA1, "recorded_on": "2026-11-25", "employment": "self_employed",
			"income_band": "5000_9999", "still_at_destination": true, "recorded_by": NodessStaff1}},
		{"cooperatives", map[string]any{"id": CoopN1, "name": "Cosecha de Retorno", "kind": "producers_cooperative", "state": state("GR"),
			"municipality": "Chilpancingo de los Bravo", "theme": "agro_livestock_fishing", "nodess": NodessN1, "products": "mezcal, miel"}},
		{"cooperative_members", map[string]any{"id": CoopMemberA1, "cooperative": CoopN1, "returnee": ReturneeA1, "role": "founder", "status": "active"}},
		{"documents", map[string]any{"id": DocumentA1ID, "returnee": ReturneeA1, "kind": "ine", "file": File(JPEG(64, 40), "ine.jpg"), "captured_by": FieldWorkerA}},
		{"documents", map[string]any{"id": DocumentA1Other, "returnee": ReturneeA1, "kind": "certificate", "file": File(PDF(), "secundaria.pdf"), "captured_by": FieldWorkerA}},
		{"documents", map[string]any{"id": DocumentB1ID, "returnee": ReturneeB1, "kind": "acta_nacimiento", "file": File(JPEG(40, 64), "acta.jpg"), "captured_by": FieldWorkerB}},
		{"ledger_entries", map[string]any{"id": EntryA1, "group": GroupN1, "member": MemberA1, "type": "share_purchase", "shares": 2, "amount_cents": 10000, "meeting_date": "2026-09-15", "recorded_by": NodessStaff1}},
	}
	for _, r := range records {
		if r.collection == "staff" || r.collection == "returnee_accounts" {
			r.fields["password"] = Password
			r.fields["verified"] = true
		}
		if _, err := insert(app, r.collection, r.fields); err != nil {
			return fmt.Errorf("%s %v: %w", r.collection, r.fields["id"], err)
		}
	}
	// the fixtures are dated: field devices hold their whole scope, as the
	// tests expect whatever the calendar says (window tests set their own)
	return hooks.SetFieldWindowDays(app, 0)
}
