package demo

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// node is a sample NODESS.
type node struct {
	rec    *core.Record
	slug   string
	name   string
	home   *state
	states []*state // every state of its region
	staff  *core.Record
}

// seedNodes creates the sample NODESS of tables.NodeTemplates.
func (s *seeder) seedNodes() error {
	for _, t := range tables.NodeTemplates {
		n := &node{rec: s.newRecord("nodess"), slug: t.Slug, name: t.Name, home: s.stateByCode[t.Home]}
		var ids []string
		for _, st := range s.states {
			if st.region == t.Region {
				n.states = append(n.states, st)
				ids = append(ids, st.id)
			}
		}
		n.rec.Set("name", t.Name)
		n.rec.Set("region", t.Region)
		n.rec.Set("states", ids)
		n.rec.Set("institution", t.Institution)
		n.rec.Set("website", "https://nodess-"+t.Slug+".example.org")
		if err := s.create(n.rec); err != nil {
			return err
		}
		s.nodes = append(s.nodes, n)
	}
	return nil
}

// participants are the people going to state code who may take part in a
// NODESS programme: those who share their data with NODESS, so that the
// node's staff can see who they are.
func (s *seeder) participants(code string, ok func(p *person) bool) []*person {
	var out []*person
	for _, p := range s.byDest[code] {
		if p.consent && ok(p) {
			out = append(out, p)
		}
	}
	return out
}

// placeIn picks, among n's states, where a programme goes: in proportion to
// the people who could join it there, among states with at least atLeast
// of them if there are any.
func (s *seeder) placeIn(n *node, ok func(p *person) bool, atLeast int) *state {
	for _, floor := range []int{atLeast, 1} {
		w := newWeighted(n.states, func(st *state) int {
			if k := len(s.participants(st.code, ok)); k >= floor {
				return k
			}
			return 0
		})
		if len(w.items) > 0 {
			return w.draw(s)
		}
	}
	return n.home
}

type course struct {
	rec      *core.Record
	state    *state
	status   string
	popular  bool
	capacity int
}

// seedCourses creates three courses per NODESS, one of them at home, and
// their enrollments. Two popular courses get more requests than seats.
func (s *seeder) seedCourses() error {
	canEnroll := func(p *person) bool { return p.courses < 2 }
	modalities := weightedKeys(tables.ModalityWeights)
	var courses []*course
	for _, n := range s.nodes {
		for i, theme := range sample(s, catalog.Themes.Codes(), 3) {
			c := &course{rec: s.newRecord("training_courses"), state: n.home, status: "open", capacity: 10 + s.rng.IntN(21)}
			if i > 0 {
				c.state = s.placeIn(n, canEnroll, 5)
			}
			title := pick(s, tables.CourseTitles[theme])
			modality := modalities.draw(s)
			c.rec.Set("title", title)
			c.rec.Set("nodess", n.rec.Id)
			c.rec.Set("theme", theme)
			c.rec.Set("state", c.state.id)
			if modality != "online" {
				c.rec.Set("municipality", pick(s, tables.Municipalities[c.state.code]))
			}
			c.rec.Set("modality", modality)
			c.rec.Set("description", fmt.Sprintf("%s. Curso de muestra de %s, abierto a personas retornadas y sus familias.", title, n.name))
			courses = append(courses, c)
		}
	}

	// one draft, two already held, the rest open; in the two states with
	// the most candidates, the first open course is a popular one
	order := sample(s, courses, len(courses))
	order[0].status = "draft"
	order[1].status, order[2].status = "closed", "closed"
	open := slices.DeleteFunc(slices.Clone(courses), func(c *course) bool { return c.status != "open" })
	slices.SortStableFunc(open, func(a, b *course) int {
		return cmp.Compare(len(s.participants(b.state.code, canEnroll)), len(s.participants(a.state.code, canEnroll)))
	})
	var popular []*state
	for _, c := range open {
		if len(popular) < 2 && !slices.Contains(popular, c.state) {
			popular = append(popular, c.state)
			c.popular = true
			c.capacity = 10 + s.rng.IntN(6)
		}
	}

	for _, c := range courses {
		var starts time.Time
		switch c.status {
		case "open":
			starts = s.between(date(2026, 12, 1), date(2027, 9, 30))
		case "draft":
			starts = s.between(date(2027, 3, 1), date(2027, 10, 31))
		case "closed":
			starts = s.between(date(2026, 3, 2), date(2026, 7, 31))
		}
		if c.status == "closed" {
			c.rec.Set("status", "open") // closed once held: see seedEnrollments
		} else {
			c.rec.Set("status", c.status)
		}
		c.rec.Set("capacity", c.capacity)
		c.rec.Set("starts_on", day(starts))
		c.rec.Set("ends_on", day(starts.AddDate(0, 0, 7*(4+s.rng.IntN(9)))))
		if err := s.create(c.rec); err != nil {
			return err
		}
	}
	// popular courses first, while their candidates are still free
	byDemand := slices.Clone(courses)
	slices.SortStableFunc(byDemand, func(a, b *course) int {
		if a.popular != b.popular {
			if a.popular {
				return -1
			}
			return 1
		}
		return 0
	})
	for _, c := range byDemand {
		if err := s.seedEnrollments(c, canEnroll); err != nil {
			return err
		}
	}
	return nil
}

// seedEnrollments fills course c: seats go to requests in order, enrolled up
// to capacity and waitlisted beyond; the newest requests of an open course
// may still await review. A course already held took its enrollments while
// open, was then closed, and its people completed it or dropped out.
func (s *seeder) seedEnrollments(c *course, ok func(p *person) bool) error {
	if c.status == "draft" {
		return nil
	}
	want := c.capacity * (30 + s.rng.IntN(61)) / 100
	if c.popular {
		want = c.capacity + 3 + s.rng.IntN(6)
	}
	pending := 0
	if c.status == "open" && !c.popular {
		pending = s.rng.IntN(3)
	}
	people := sample(s, s.participants(c.state.code, ok), want)
	var held []*core.Record
	for i, p := range people {
		var status string
		switch {
		case i >= len(people)-pending:
			status = "requested"
		case i < c.capacity:
			status = "enrolled"
		default:
			status = "waitlisted"
		}
		e := s.newRecord("enrollments")
		e.Set("course", c.rec.Id)
		e.Set("returnee", p.rec.Id)
		e.Set("status", status)
		if err := s.create(e); err != nil {
			return err
		}
		p.courses++
		p.course = status
		if c.status == "closed" {
			held = append(held, e)
			p.course = "completed"
		}
	}
	if c.status != "closed" {
		return nil
	}
	c.rec.Set("status", "closed")
	if err := s.update(c.rec); err != nil {
		return err
	}
	for _, e := range held {
		e.Set("status", "completed")
		if s.chance(0.15) {
			e.Set("status", "dropped")
		}
		if err := s.update(e); err != nil {
			return err
		}
	}
	return nil
}

type group struct {
	rec        *core.Record
	node       *node
	shareValue int
	bp         int // monthly interest, basis points
	socialFund int // per member and meeting, centavos
	start, end time.Time
	members    []*member
}

type member struct {
	rec    *core.Record
	person *person
}

// seedGroups creates two savings groups per NODESS, the first at home if
// enough people go there, each with 10 to 20 members (fewer if its state has
// fewer candidates) and a few meetings of ledger entries.
func (s *seeder) seedGroups() error {
	free := func(p *person) bool { return !p.member }
	names := sample(s, tables.GroupNames, len(tables.GroupNames))
	for _, n := range s.nodes {
		for i := range 2 {
			st := n.home
			if i > 0 || len(s.participants(st.code, free)) < 10 {
				st = s.placeIn(n, free, 10) // a small home state cannot fill a group
			}
			g := &group{
				rec:        s.newRecord("savings_groups"),
				node:       n,
				shareValue: 2000 + 500*s.rng.IntN(17),
				bp:         300 + 50*s.rng.IntN(15),
				socialFund: 500 * (1 + s.rng.IntN(4)),
				start:      date(2026, 8, 3).AddDate(0, 0, 7*s.rng.IntN(11)),
			}
			g.end = g.start.AddDate(0, 11, -1)
			people := sample(s, s.participants(st.code, free), 10+s.rng.IntN(11))
			methodology := "vsla"
			if s.chance(0.4) {
				methodology = "silc"
			}
			status := "active"
			if len(people) < 3 {
				status = "forming" // too few people in a small demo for a committee
			}
			municipality := pick(s, tables.Municipalities[st.code])
			g.rec.Set("name", "Grupo de Ahorro "+names[s.counts["savings_groups"]%len(names)]+" – "+municipality)
			g.rec.Set("nodess", n.rec.Id)
			g.rec.Set("state", st.id)
			g.rec.Set("municipality", municipality)
			g.rec.Set("methodology", methodology)
			g.rec.Set("share_value_cents", g.shareValue)
			g.rec.Set("min_shares", 1)
			g.rec.Set("max_shares", 5)
			g.rec.Set("monthly_interest_bp", g.bp)
			g.rec.Set("cycle_start", day(g.start))
			g.rec.Set("cycle_end", day(g.end))
			g.rec.Set("status", status)
			g.rec.Set("accepting_members", len(people) < 15)
			g.rec.Set("meeting_place", fmt.Sprintf(pick(s, tables.MeetingPlaces), municipality))
			g.rec.Set("description", fmt.Sprintf("Grupo de ahorro y préstamo (metodología %s) acompañado por %s. Se reúne cada dos semanas; cada integrante aporta $%d.%02d al fondo social por reunión.",
				map[string]string{"vsla": "VSLA", "silc": "SILC"}[methodology], n.name, g.socialFund/100, g.socialFund%100))
			if err := s.create(g.rec); err != nil {
				return err
			}
			committee := []string{"president", "secretary", "treasurer"}
			for j, p := range people {
				role := "member"
				if j < len(committee) {
					role = committee[j]
				}
				m := &member{rec: s.newRecord("group_members"), person: p}
				m.rec.Set("group", g.rec.Id)
				m.rec.Set("returnee", p.rec.Id)
				m.rec.Set("role", role)
				m.rec.Set("status", "active")
				m.rec.Set("joined_on", day(g.start))
				if err := s.create(m.rec); err != nil {
					return err
				}
				p.member = true
				g.members = append(g.members, m)
			}
			if status == "active" {
				if err := s.seedLedger(g); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

type loan struct {
	member      *member
	outstanding int
	installment int
	due         int // index of the meeting of the next payment
}

// lastMeeting bounds the ledgers: groups meet every two weeks from the start
// of their cycle up to this day.
var lastMeeting = date(2026, 11, 20)

// seedLedger records the fortnightly meetings of g so far (3 to 8). At each
// meeting members buy shares and pay the social fund; borrowers pay interest
// and an installment every second meeting (monthly); then new loans are
// disbursed, never beyond the loan fund's cash: share purchases + repayments
// + interest - disbursements so far.
func (s *seeder) seedLedger(g *group) error {
	shares := newWeighted([]int{1, 2, 3, 4, 5}, func(n int) int { return []int{0, 30, 30, 20, 10, 10}[n] })
	entry := func(m *member, typ string, amount int, on time.Time, note string) *core.Record {
		e := s.newRecord("ledger_entries")
		e.Set("group", g.rec.Id)
		e.Set("member", m.rec.Id)
		e.Set("type", typ)
		e.Set("amount_cents", amount)
		e.Set("meeting_date", day(on))
		e.Set("recorded_by", g.node.staff.Id)
		e.Set("note", note)
		return e
	}
	cash := 0
	var loans []*loan
	for k := 0; !g.start.AddDate(0, 0, 14*k).After(lastMeeting); k++ {
		on := g.start.AddDate(0, 0, 14*k)
		for _, m := range g.members {
			if !s.chance(0.9) {
				continue // absent
			}
			n := shares.draw(s)
			e := entry(m, "share_purchase", n*g.shareValue, on, "")
			e.Set("shares", n)
			if err := s.create(e); err != nil {
				return err
			}
			cash += n * g.shareValue
			if err := s.create(entry(m, "social_fund", g.socialFund, on, "")); err != nil {
				return err
			}
		}
		for _, l := range loans {
			if l.outstanding == 0 || l.due != k {
				continue
			}
			if interest := (l.outstanding*g.bp + 5000) / 10000; interest > 0 {
				if err := s.create(entry(l.member, "interest", interest, on, "Interés mensual")); err != nil {
					return err
				}
				cash += interest
			}
			pay := min(l.outstanding, l.installment)
			if err := s.create(entry(l.member, "loan_repayment", pay, on, "Abono a capital")); err != nil {
				return err
			}
			cash += pay
			l.outstanding -= pay
			l.due += 2
		}
		if k == 0 {
			continue // no loans at the first meeting
		}
		for range s.rng.IntN(3) {
			borrower := pick(s, g.members)
			if slices.ContainsFunc(loans, func(l *loan) bool { return l.member == borrower && l.outstanding > 0 }) {
				continue
			}
			amount := min(10000*(3+s.rng.IntN(18)), cash/10000*10000) // whole hundreds of pesos
			if amount < 20000 {
				break
			}
			if err := s.create(entry(borrower, "loan_disbursement", amount, on, "Préstamo: "+pick(s, tables.LoanPurposes))); err != nil {
				return err
			}
			cash -= amount
			loans = append(loans, &loan{member: borrower, outstanding: amount, installment: (amount + 2) / 3, due: k + 2})
			borrower.person.loan = true
		}
	}
	return nil
}
