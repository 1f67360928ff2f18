package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
)

// closeLoop says what became of referral r at its new status: why it was
// rejected or closed, and what the person got from it once attended.
func (s *seeder) closeLoop(r *core.Record) {
	values := s.rng
	defer func() { s.rng = values }()
	s.rng = s.followRng
	switch r.GetString("status") {
	case "rejected":
		r.Set("closed_reason", pick(s, []string{"not_eligible", "not_eligible", "attended_elsewhere", "declined", "not_reachable"}))
	case "attended":
		if s.chance(0.5) {
			r.Set("outcome", pick(s, []string{"enrolled_course", "joined_savings_group", "service_received"}))
		}
	case "closed":
		if s.chance(0.75) {
			r.Set("closed_reason", "completed")
			r.Set("outcome", pick(s, []string{"enrolled_course", "joined_savings_group", "joined_cooperative", "employed", "service_received"}))
		} else {
			r.Set("closed_reason", pick(s, []string{"not_reachable", "declined", "other"}))
			r.Set("outcome", pick(s, []string{"no_show", "other"}))
		}
	}
}

// seedFollowUps dates the follow-ups that the hooks scheduled when referral
// r of p was accepted (from the day of the seeding) as if it had been
// accepted a few days after p's return, and says what became of those due
// before the demo's last day (lastMeeting): most done, some missed, one in ten still
// scheduled (overdue on the worklist of to, the NODESS).
func (s *seeder) seedFollowUps(r *core.Record, p *person, to *node) error {
	values := s.rng
	defer func() { s.rng = values }()
	s.rng = s.followRng
	accepted := p.repat.AddDate(0, 0, 1+s.rng.IntN(10))
	for _, months := range catalog.FollowUpMonths {
		f, err := s.tx.FindRecordById("follow_ups", hooks.FollowUpID(r.Id, months))
		if err != nil {
			return fmt.Errorf("demo: follow-up of referral %s at %d months: %w", r.Id, months, err)
		}
		s.counts["follow_ups"]++
		due := hooks.AddMonths(accepted, months)
		f.Set("due_on", day(due))
		f.Set("recorded_by", to.staff.Id)
		if due.Before(lastMeeting) {
			switch x := s.rng.IntN(10); {
			case x < 7:
				f.Set("status", "done")
				f.Set("done_on", day(due.AddDate(0, 0, s.rng.IntN(4))))
				f.Set("notes", pick(s, followUpDone))
			case x < 9:
				f.Set("status", "missed")
				f.Set("notes", pick(s, followUpMissed))
			}
		}
		if err := s.update(f); err != nil {
			return err
		}
	}
	return nil
}

// followUpDone and followUpMissed are the notes of follow-ups done and
// missed.
var (
	followUpDone = []string{
		"Sigue en el curso; pide información sobre grupos de ahorro.",
		"Ya trabaja por su cuenta; vende comida en el mercado.",
		"Se integró al grupo de ahorro de su comunidad.",
		"Busca empleo en la construcción; se le compartió la bolsa de trabajo.",
		"Está bien con su familia; no piensa volver a migrar por ahora.",
		"Quiere formar una cooperativa con otras personas retornadas.",
	}
	followUpMissed = []string{
		"No contestó; se dejó mensaje.",
		"El número ya no existe.",
		"No estaba en el domicilio; su familia dice que salió a trabajar.",
	}
)
