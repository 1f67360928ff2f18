package demo

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// coopPlans are the sample cooperatives of each NODESS, which between them
// show every stage: how many returnee members each has (fewer in a small
// demo, made up by members who are not returnees), how many more ask to join,
// and the reason for the stage.
var coopPlans = []struct {
	stage            string
	members, pending int
	reason           string
}{
	{"idea", 1, 2, ""},
	{"social_group", 3, 1, "Ya trabajan juntas; preparan su acta constitutiva."},
	{"legally_constituted", 5, 0, "Acta constitutiva inscrita en el Registro Público de Comercio."},
	{"inaes_requested", 6, 0, "Solicitud al programa de fomento del INAES en revisión."},
	{"inaes_supported", 7, 0, "Recibió apoyo del INAES para maquinaria."},
	{"inactive", 2, 0, "Las integrantes se mudaron a otro estado."},
}

// coopRoles are the roles of a sample cooperative's first members.
var coopRoles = []string{"founder", "president", "treasurer", "secretary", "oversight"}

// seedCooperatives creates two cooperatives per NODESS, in the stages of
// coopPlans in turn, with their memberships (the first member founded it).
// The first legally constituted one has no members to spare, and one of
// them leaves: the hooks step it back to a social group, with the reason.
// A member of a social group gets a demo account.
func (s *seeder) seedCooperatives() error {
	free := func(p *person) bool { return !p.coop }
	steppedBack := false
	var member *person
	for i, n := range s.nodes {
		for j := range 2 {
			plan := coopPlans[(2*i+j)%len(coopPlans)]
			theme := pick(s, catalog.Themes.Codes())
			st := s.placeIn(n, free, plan.members+plan.pending)
			people := sample(s, s.participants(st.code, free), plan.members+plan.pending)
			active := min(plan.members, len(people))
			stepBack := !steppedBack && plan.stage == "legally_constituted" && active >= 2
			c := s.newRecord(catalog.Cooperatives)
			c.Set("name", pick(s, coopNames[theme])+" "+pick(s, tables.GroupNames))
			c.Set("kind", pick(s, catalog.OsseKinds.Codes()))
			c.Set("state", st.id)
			c.Set("municipality", pick(s, tables.Municipalities[st.code]))
			c.Set("theme", theme)
			c.Set("products", coopProducts[theme])
			if plan.stage != "idea" {
				c.Set("nodess", n.rec.Id)
			}
			if catalog.MinMembers[plan.stage] >= 5 {
				c.Set("founded_on", day(s.between(date(2024, 1, 1), date(2026, 9, 30))))
			}
			// members who are not returnees make up what the demo's returnees cannot
			others := max(0, catalog.MinMembers[plan.stage]-active) + s.rng.IntN(3)
			if stepBack {
				others = max(0, catalog.MinMembers[plan.stage]-active)
			}
			c.Set("other_members", others)
			if err := s.create(c); err != nil {
				return err
			}
			var ms []*core.Record
			for k, p := range people {
				m := s.newRecord(catalog.CooperativeMembers)
				m.Set("cooperative", c.Id)
				m.Set("returnee", p.rec.Id)
				m.Set("role", coopRoles[min(k, len(coopRoles)-1)])
				m.Set("status", "active")
				if k >= active {
					m.Set("role", "member")
					m.Set("status", "requested")
				}
				if err := s.create(m); err != nil {
					return err
				}
				p.coop = k < active
				if member == nil && p.coop && plan.stage == "social_group" && !s.hasAccount[p] {
					member = p
				}
				ms = append(ms, m)
			}
			// the stage once the members are in (read back: the hooks counted them)
			c, err := s.tx.FindRecordById(catalog.Cooperatives, c.Id)
			if err != nil {
				return err
			}
			c.Set("stage", plan.stage)
			c.Set("stage_reason", plan.reason)
			if err := s.update(c); err != nil {
				return err
			}
			if stepBack {
				ms[1].Set("status", "left")
				if err := s.update(ms[1]); err != nil {
					return err
				}
				people[1].coop, steppedBack = false, true
			}
		}
	}
	if member == nil {
		return nil
	}
	return s.addAccount(member, "integrante de una cooperativa (grupo social)")
}

// coopNames start the names of sample cooperatives, by theme.
var coopNames = map[string][]string{
	"agro_livestock_fishing":     {"Cooperativa Agrícola", "Miel y Campo", "Hortalizas"},
	"industry_energy_technology": {"Taller Cooperativo", "Energía Solar", "Herrería"},
	"capabilities_innovation":    {"Servicios Comunitarios", "Reparaciones"},
	"solidarity_finance":         {"Caja Popular", "Ahorro Solidario"},
	"tourism":                    {"Turismo Comunitario", "Posada Rural"},
	"health_care":                {"Cuidados Solidarios", "Cocina Comunitaria"},
	"art_culture":                {"Textiles", "Alfarería"},
	"environment_sustainability": {"Reciclaje", "Agroecología"},
}

// coopProducts are what sample cooperatives make or offer, by theme.
var coopProducts = map[string]string{
	"agro_livestock_fishing":     "hortalizas, miel, mezcal",
	"industry_energy_technology": "herrería, instalación de paneles solares",
	"capabilities_innovation":    "reparación de celulares y computadoras",
	"solidarity_finance":         "ahorro y préstamo entre socias",
	"tourism":                    "recorridos guiados, hospedaje rural",
	"health_care":                "cuidado de personas mayores, comida para eventos",
	"art_culture":                "bordados, alfarería",
	"environment_sustainability": "composta, reciclaje de plástico",
}

// seedOutcomes records how some people who share their data with NODESS are
// doing: a NODESS of their destination asked them, or they said so in the
// app.
func (s *seeder) seedOutcomes() error {
	employments := weightedKeys(map[string]int{"employed": 35, "self_employed": 25, "cooperative": 5, "unemployed": 20, "studying": 5, "other": 10})
	bands := weightedKeys(map[string]int{"none": 10, "under_5000": 25, "5000_9999": 35, "10000_14999": 20, "15000_24999": 8, "25000_plus": 2})
	for _, p := range s.people {
		if !p.consent || !s.chance(0.2) {
			continue
		}
		o := s.newRecord(catalog.Outcomes)
		o.Set("returnee", p.rec.Id)
		o.Set("recorded_on", day(s.between(p.repat, date(2026, 11, 30))))
		job := employments.draw(s)
		if p.coop {
			job = "cooperative"
		}
		o.Set("employment", job)
		if job != "unemployed" && s.chance(0.85) {
			o.Set("income_band", bands.draw(s))
		}
		o.Set("in_savings_group", p.member)
		o.Set("in_cooperative", p.coop)
		o.Set("still_at_destination", s.chance(0.85))
		o.Set("intends_to_migrate_again", s.chance(0.2))
		if n := s.nodeOf(p.dest); n != nil && s.chance(0.7) {
			o.Set("recorded_by", n.staff.Id) // else the person recorded it
		}
		if err := s.create(o); err != nil {
			return fmt.Errorf("demo: outcome: %w", err)
		}
	}
	return nil
}

// nodeOf is the first sample NODESS that covers state st, or nil.
func (s *seeder) nodeOf(st *state) *node {
	for _, n := range s.nodes {
		if slices.Contains(n.states, st) {
			return n
		}
	}
	return nil
}
