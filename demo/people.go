package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
)

// person is a returnee being seeded, with what later steps need to know.
type person struct {
	rec      *core.Record
	name     string // full name
	sector   string
	origin   *state
	dest     *state
	point    *point
	repat    time.Time
	consent  bool   // a granted, not withdrawn share_nodess consent
	referral string // status of the last referral, "" if none
	courses  int    // course enrollments
	course   string // status of the last enrollment
	member   bool   // in a savings group
	coop     bool   // an active member of a cooperative
	loan     bool   // has borrowed from the group

	sensitive []string     // needs stored only once the person consents (catalog.SensitiveNeeds)
	arrival   *core.Record // the return at their point
}

// seedStaff creates a field worker for every seeded reception point, a
// coordinator for each of their states, and one staff member per NODESS.
func (s *seeder) seedStaff() error {
	for _, code := range tables.SeededStates {
		st := s.stateByCode[code]
		r := s.newStaff("coordinator", "coordinacion."+strings.ToLower(code), "Coordinación estatal de "+st.name)
		r.Set("state", st.id)
		if err := s.create(r); err != nil {
			return err
		}
	}
	for _, p := range s.points {
		r := s.newStaff("field_worker", strings.TrimSuffix(FieldWorkerEmail(p.city), "@retorno.test"), p.name)
		r.Set("reception_point", p.id)
		if err := s.create(r); err != nil {
			return err
		}
		p.worker = r
	}
	for _, n := range s.nodes {
		r := s.newStaff("nodess_staff", "nodess."+n.slug, n.name)
		r.Set("nodess", n.rec.Id)
		if err := s.create(r); err != nil {
			return err
		}
		n.staff = r
	}
	return nil
}

// newStaff prepares a staff record of role with a generated name and lists
// its login.
func (s *seeder) newStaff(role, user, note string) *core.Record {
	r := s.newRecord("staff")
	name := pick(s, append(slices.Clip(tables.MaleNames), tables.FemaleNames...)) + " " + pick(s, tables.Surnames) + " " + pick(s, tables.Surnames)
	r.SetEmail(user + "@retorno.test")
	r.Set("name", name)
	r.Set("role", role)
	s.setPassword(r)
	s.logins = append(s.logins, Login{Role: role, Email: r.Email(), Password: s.opts.Password, Note: note})
	return r
}

// seedReturnees registers opts.Returnees people, each with their consents,
// referrals and case notes.
func (s *seeder) seedReturnees() error {
	origins := newWeighted(s.states, func(st *state) int { return tables.OriginWeights[st.code] })
	points := newWeighted(s.points, func(p *point) int { return tables.PointWeights[p.name] })
	sectors, needs := weightedKeys(tables.SectorWeights), weightedKeys(tables.NeedWeights)
	s.byDest = map[string][]*person{}
	s.curps = map[string]bool{}
	for range s.opts.Returnees {
		p := s.newPerson(origins, points, sectors, needs)
		if err := s.create(p.rec); err != nil {
			return err
		}
		s.people = append(s.people, p)
		s.byDest[p.dest.code] = append(s.byDest[p.dest.code], p)
		if err := s.seedReturns(p, points); err != nil {
			return err
		}
		if err := s.seedCase(p); err != nil {
			return err
		}
	}
	return nil
}

// seedReturns records p's return at their point, and for about one person in
// eight an earlier return through another point: returns are events, and
// many people have been returned before.
func (s *seeder) seedReturns(p *person, points *weighted[*point]) error {
	values := s.rng
	defer func() { s.rng = values }()
	s.rng = s.returnRng
	services := weightedKeys(tables.ReceptionWeights)
	add := func(at *point, on time.Time, needs []string) error {
		r := s.newRecord("returns")
		r.Set("returnee", p.rec.Id)
		r.Set("reception_point", at.id)
		r.Set("repatriation_date", day(on))
		r.Set("registered_at", on.Add(time.Duration(8+s.rng.IntN(12))*time.Hour))
		r.Set("registered_by", at.worker.Id)
		r.Set("needs", needs)
		want := map[string]bool{}
		for range 1 + s.rng.IntN(4) {
			want[services.draw(s)] = true
		}
		r.Set("services", slices.DeleteFunc(catalog.ReceptionServices.Codes(), func(c string) bool { return !want[c] }))
		if at == p.point {
			p.arrival = r
		}
		return s.create(r)
	}
	if err := add(p.point, p.repat, p.rec.GetStringSlice("needs")); err != nil {
		return err
	}
	if !s.chance(0.12) {
		return nil
	}
	before := points.draw(s)
	for before == p.point {
		before = points.draw(s)
	}
	return add(before, s.between(date(2022, 1, 1), p.repat.AddDate(0, 0, -30)), nil)
}

func (s *seeder) newPerson(origins *weighted[*state], points *weighted[*point], sectors, needs *weighted[string]) *person {
	r := s.newRecord("returnees")
	p := &person{rec: r}

	sex := "M"
	switch x := s.rng.Float64(); {
	case x < 0.01:
		sex = "X"
	case x < 0.01+0.99*0.6: // 60% men, as in the paper
		sex = "H"
	}
	given := s.givenNames(sex)
	first, second := pick(s, tables.Surnames), ""
	if s.chance(0.95) {
		second = pick(s, tables.Surnames)
	}
	p.name = strings.TrimSpace(given + " " + first + " " + second)

	// ages cluster around 40: the mean of two uniform draws over 1960-2006
	from, to := date(1960, 1, 1), date(2006, 12, 31)
	span := int(to.Sub(from).Hours() / 24)
	born := from.AddDate(0, 0, (s.rng.IntN(span+1)+s.rng.IntN(span+1))/2)

	p.origin = origins.draw(s)
	p.dest = p.origin
	if s.chance(0.15) {
		for p.dest == p.origin {
			p.dest = origins.draw(s)
		}
	}
	p.point = points.draw(s)
	p.repat = s.between(date(2025, 1, 1), date(2026, 10, 31))

	r.Set("given_names", given)
	r.Set("first_surname", first)
	r.Set("second_surname", second)
	r.Set("birth_date", day(born))
	r.Set("sex", sex)
	r.Set("birth_state", p.origin.id)
	r.Set("destination_state", p.dest.id)
	if s.chance(0.7) {
		r.Set("destination_municipality", pick(s, tables.Municipalities[p.dest.code]))
	}
	r.Set("reception_point", p.point.id)
	r.Set("registered_by", p.point.worker.Id)
	r.Set("repatriation_date", day(p.repat))
	if sex != "X" && s.chance(0.6) {
		r.Set("curp", s.uniqueCURP(first, second, given, born, sex, p.origin.code))
	}
	if s.chance(0.7) {
		r.Set("phone", fmt.Sprintf("+52%d%09d", 2+s.rng.IntN(8), s.rng.IntN(1_000_000_000)))
	}

	langs := []string{"es"}
	if s.chance(0.45) {
		langs = append(langs, "en")
	}
	if native := tables.IndigenousLanguages[p.origin.code]; native != nil && s.chance(0.12) {
		langs = append(langs, pick(s, native))
	}
	r.Set("languages", langs)

	if s.chance(0.9) {
		p.sector = sectors.draw(s)
		r.Set("sector_in_us", p.sector)
		age := p.repat.Year() - born.Year()
		r.Set("years_in_us", 1+s.rng.IntN(max(1, min(40, age-15))))
	}
	if s.chance(0.8) {
		list := tables.SkillsBySector[p.sector]
		if list == nil {
			list = tables.SkillsBySector["other"]
		}
		skills := sample(s, list, 1+s.rng.IntN(3))
		if s.chance(0.25) {
			skills = append(skills, "inglés conversacional")
		}
		r.Set("skills", strings.Join(skills, ", "))
	}
	want := map[string]bool{}
	for range 1 + s.rng.IntN(3) {
		want[needs.draw(s)] = true
	}
	var list []string
	for _, n := range catalog.Needs.Codes() { // schema order, not map order
		if want[n] {
			list = append(list, n)
		}
	}
	// the sensitive ones wait for the person's consent (seedCase)
	p.sensitive = catalog.SensitiveOf(list)
	r.Set("needs", slices.DeleteFunc(list, func(n string) bool { return slices.Contains(p.sensitive, n) }))
	return p
}

// givenNames returns one or two given names fitting sex.
func (s *seeder) givenNames(sex string) string {
	switch sex {
	case "H":
		if s.chance(0.3) {
			return compound(s, []string{"José", "Juan", "Luis", "Miguel"}, tables.MaleNames)
		}
		return pick(s, tables.MaleNames)
	case "M":
		if s.chance(0.35) {
			return compound(s, []string{"María", "Ana", "Rosa"}, tables.FemaleNames)
		}
		return pick(s, tables.FemaleNames)
	}
	return pick(s, tables.NeutralNames)
}

func compound(s *seeder, firsts, seconds []string) string {
	a, b := pick(s, firsts), pick(s, seconds)
	for a == b {
		b = pick(s, seconds)
	}
	return a + " " + b
}

// uniqueCURP builds the person's CURP, trying other differentiators (the
// 17th character) when two people share the first 16.
func (s *seeder) uniqueCURP(first, second, given string, born time.Time, sex, stateCode string) string {
	for range 20 {
		diff := byte('0' + s.rng.IntN(10))
		if born.Year() >= 2000 {
			diff = byte('A' + s.rng.IntN(26))
		}
		c := curp.Build(first, second, given, born, sex, stateCode, diff)
		if !s.curps[c] {
			s.curps[c] = true
			return c
		}
	}
	return "" // no CURP at hand, as for many returnees
}

// seedCase records what a field worker does with a person after
// registration: consents, referrals to a NODESS, case notes.
func (s *seeder) seedCase(p *person) error {
	worker := p.point.worker.Id
	notice := "2026-01"
	if p.repat.Year() == 2025 {
		notice = "2025-01"
	}
	consent := func(purpose string) (*core.Record, error) {
		c := s.newRecord("consents")
		c.Set("returnee", p.rec.Id)
		c.Set("purpose", purpose)
		c.Set("granted", true)
		c.Set("notice_version", notice)
		c.Set("method", pick(s, []string{"verbal", "verbal", "verbal", "written", "written", "digital"}))
		c.Set("collected_by", worker)
		return c, s.create(c)
	}

	if !s.chance(0.95) {
		return s.seedNotes(p) // registered without a recorded consent
	}
	if _, err := consent("registration"); err != nil {
		return err
	}
	if err := s.seedSensitive(p, consent); err != nil {
		return err
	}
	var share *core.Record
	if s.chance(0.53) {
		var err error
		if share, err = consent("share_nodess"); err != nil {
			return err
		}
		p.consent = true
	}
	if p.rec.GetString("phone") != "" && s.chance(0.4) {
		if _, err := consent("contact_whatsapp"); err != nil {
			return err
		}
	}
	if p.consent && s.chance(0.45) {
		if err := s.seedReferral(p); err != nil {
			return err
		}
		if s.chance(0.1) {
			if err := s.seedReferral(p); err != nil {
				return err
			}
		}
	}
	if share != nil && s.chance(0.1) {
		// withdrawn later: the hooks revoke the grant and the NODESS scope
		at := p.repat.AddDate(0, 0, 15+s.rng.IntN(106))
		if cutoff := date(2026, 11, 20); at.After(cutoff) {
			at = cutoff
		}
		share.Set("withdrawn_at", at.Add(time.Duration(9+s.rng.IntN(9))*time.Hour))
		if err := s.update(share); err != nil {
			return err
		}
		p.consent = false
	}
	return s.seedNotes(p)
}

var services, outcomes = weightedKeys(tables.ServiceWeights), weightedKeys(tables.ReferralOutcomes)

// seedReferral refers p to a NODESS covering their destination state,
// moving the referral from pending through the allowed transitions.
func (s *seeder) seedReferral(p *person) error {
	var nodes []*node
	for _, n := range s.nodes {
		if slices.Contains(n.states, p.dest) {
			nodes = append(nodes, n)
			if n.home == p.dest && s.chance(0.7) {
				nodes = []*node{n} // most go to the node at home
				break
			}
		}
	}
	if len(nodes) == 0 {
		return nil
	}
	service, outcome := services.draw(s), outcomes.draw(s)

	r := s.newRecord("referrals")
	r.Set("returnee", p.rec.Id)
	to := pick(s, nodes)
	r.Set("nodess", to.rec.Id)
	r.Set("service", service)
	r.Set("status", "pending")
	r.Set("notes", fmt.Sprintf(tables.ReferralNotes["pending"], tables.ServiceLabels[service]))
	r.Set("referred_by", p.point.worker.Id)
	// made at reception, due in the days the schedule gives a NODESS
	r.Set("due_on", day(p.repat.AddDate(0, 0, catalog.ReferralDueDays)))
	if err := s.create(r); err != nil {
		return err
	}
	var path []string
	switch outcome {
	case "accepted", "rejected":
		path = []string{outcome}
	case "attended":
		path = []string{"accepted", "attended"}
	case "closed":
		path = []string{"accepted", "attended", "closed"}
	}
	for _, status := range path {
		r.Set("status", status)
		r.Set("notes", r.GetString("notes")+"\n"+tables.ReferralNotes[status])
		s.closeLoop(r)
		if err := s.update(r); err != nil {
			return err
		}
		if status == "accepted" {
			if err := s.seedFollowUps(r, p, to); err != nil {
				return err
			}
		}
	}
	p.referral = outcome
	return nil
}

func (s *seeder) seedNotes(p *person) error {
	if !s.chance(0.25) {
		return nil
	}
	dest := p.dest.name
	if m := p.rec.GetString("destination_municipality"); m != "" {
		dest = m + ", " + dest
	}
	sector := tables.SectorLabels[p.sector]
	if sector == "" {
		sector = tables.SectorLabels["other"]
	}
	fill := strings.NewReplacer("{destino}", dest, "{sector}", sector)
	for _, text := range sample(s, tables.CaseNoteTemplates, 1+s.rng.IntN(2)) {
		n := s.newRecord("case_notes")
		n.Set("returnee", p.rec.Id)
		n.Set("author", p.point.worker.Id)
		n.Set("text", fill.Replace(text))
		if err := s.create(n); err != nil {
			return err
		}
	}
	return nil
}

// seedAccounts gives a handful of returnees an account, chosen to show the
// returnee's view: savings and a loan, a course seat, a waiting list, a
// referral, and a person who shares nothing with a NODESS.
func (s *seeder) seedAccounts() error {
	wants := []struct {
		note string
		ok   func(p *person) bool
	}{
		{"integrante de un grupo de ahorro, con préstamo", func(p *person) bool { return p.loan }},
		{"con lugar en un curso", func(p *person) bool { return p.course == "enrolled" }},
		{"en lista de espera de un curso", func(p *person) bool { return p.course == "waitlisted" }},
		{"con canalización a un NODESS", func(p *person) bool { return p.referral == "accepted" || p.referral == "attended" }},
		{"sin consentimiento para compartir datos con NODESS", func(p *person) bool { return !p.consent }},
	}
	taken := map[*person]bool{}
	for i, w := range wants {
		if i >= len(s.people) {
			break
		}
		var chosen *person
		for _, p := range s.people {
			if !taken[p] && w.ok(p) {
				chosen = p
				break
			}
		}
		note := w.note
		if chosen == nil { // small demo: fall back to anyone
			for _, p := range s.people {
				if !taken[p] {
					chosen, note = p, "persona retornada"
					break
				}
			}
		}
		taken[chosen] = true
		if err := s.addAccount(chosen, note); err != nil {
			return err
		}
	}
	return nil
}

// addAccount gives p the next demo returnee account (persona.N) and lists
// its login with note.
func (s *seeder) addAccount(p *person, note string) error {
	s.hasAccount[p] = true
	a := s.newRecord("returnee_accounts")
	a.SetEmail(fmt.Sprintf("persona.%d@retorno.test", s.counts["returnee_accounts"]+1))
	a.Set("returnee", p.rec.Id)
	s.setPassword(a)
	if err := s.create(a); err != nil {
		return err
	}
	s.logins = append(s.logins, Login{Role: "returnee", Email: a.Email(), Password: s.opts.Password,
		Note: fmt.Sprintf("%s (destino %s): %s", p.name, p.dest.name, note)})
	return nil
}

// FieldWorkerEmail is the demo login of the field worker of a reception
// point's city: "San Luis Río Colorado" gives
// campo.san-luis-rio-colorado@retorno.test.
func FieldWorkerEmail(city string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(curp.Fold(city)) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		} else {
			dash = true
		}
	}
	return "campo." + b.String() + "@retorno.test"
}

// seedSensitive records p's sensitive_data consent and then their sensitive
// needs, on the person and their return at their point, as the web app
// does (the server refuses them before the consent).
func (s *seeder) seedSensitive(p *person, consent func(purpose string) (*core.Record, error)) error {
	values := s.rng
	defer func() { s.rng = values }()
	s.rng = s.sensitiveRng
	if len(p.sensitive) == 0 || !s.chance(0.8) {
		return nil
	}
	if _, err := consent(catalog.ConsentSensitive); err != nil {
		return err
	}
	for _, r := range []*core.Record{p.rec, p.arrival} {
		if r == nil {
			continue
		}
		needs := append(r.GetStringSlice("needs"), p.sensitive...)
		r.Set("needs", slices.DeleteFunc(catalog.Needs.Codes(), func(n string) bool { return !slices.Contains(needs, n) }))
		if err := s.update(r); err != nil {
			return err
		}
	}
	return nil
}
