package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
)

// StateRef is a state as a registration names it: its record id and its
// CURP code (needed only for registrations with a CURP).
type StateRef struct {
	ID, CURPCode string
}

// RegistrationSpec says where and how Registration draws people.
type RegistrationSpec struct {
	Point  string     // reception point id
	States []StateRef // destinations, and states of birth of people with a CURP
	// CURPOneIn gives one person in CURPOneIn a CURP (0: nobody).
	CURPOneIn int
	// CURPRand draws the birth dates of people with a CURP (default: the
	// rng of the call), so that a run seeded apart from the people does not
	// repeat the CURPs of an earlier run against the same server.
	CURPRand *rand.Rand
	// UsedCURPs holds the CURPs drawn so far; each new one is added.
	UsedCURPs map[string]bool
	// RepatriationDate is YYYY-MM-DD (default: today, UTC).
	RepatriationDate string
}

// Registration draws one valid returnee registration as the field app sends
// it, with the demo's names, sectors and skills: the one person generator of
// the demo seeder's tables that the benchmark, `retorno devices` and the
// tests share.
func Registration(rng *rand.Rand, spec RegistrationSpec) map[string]any {
	sex, given := "H", maleNames[rng.IntN(len(maleNames))]
	if rng.IntN(2) == 0 {
		sex, given = "M", femaleNames[rng.IntN(len(femaleNames))]
	}
	first, second := surnames[rng.IntN(len(surnames))], surnames[rng.IntN(len(surnames))]
	sectors := catalog.SectorsInUS.Codes()
	sector := sectors[rng.IntN(len(sectors))]
	skills := skillsBySector[sector]
	born := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(35*365))
	repatriated := spec.RepatriationDate
	if repatriated == "" {
		repatriated = time.Now().UTC().Format(time.DateOnly)
	}
	p := map[string]any{
		"given_names": given, "first_surname": first, "second_surname": second, "sex": sex,
		"destination_state": spec.States[rng.IntN(len(spec.States))].ID, "reception_point": spec.Point,
		"repatriation_date": repatriated, "languages": []string{"es"},
		"sector_in_us": sector, "years_in_us": 1 + rng.IntN(25),
	}
	if len(skills) > 0 {
		p["skills"] = skills[rng.IntN(len(skills))]
	}
	if rng.IntN(2) == 0 {
		p["phone"] = fmt.Sprintf("+52%010d", 6000000000+rng.Int64N(1000000000))
	}
	if spec.CURPOneIn > 0 && rng.IntN(spec.CURPOneIn) == 0 {
		born = withCURP(rng, spec, p, born)
	}
	p["birth_date"] = born.Format(time.DateOnly)
	return p
}

// withCURP gives p a CURP of a state of spec.States not drawn before, and
// returns the birth date it encodes.
func withCURP(rng *rand.Rand, spec RegistrationSpec, p map[string]any, born time.Time) time.Time {
	dates := cmpRand(spec.CURPRand, rng)
	origin := spec.States[rng.IntN(len(spec.States))]
	given, first, second, sex := p["given_names"].(string), p["first_surname"].(string), p["second_surname"].(string), p["sex"].(string)
	for range 100 {
		born = time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, dates.IntN(35*365))
		c := curp.Build(first, second, given, born, sex, origin.CURPCode, byte('0'+dates.IntN(10)))
		if curp.Validate(c) == nil && !spec.UsedCURPs[c] {
			if spec.UsedCURPs != nil {
				spec.UsedCURPs[c] = true
			}
			p["curp"], p["birth_state"] = c, origin.ID
			return born
		}
	}
	return born // no CURP at hand, as for many returnees
}

func cmpRand(a, b *rand.Rand) *rand.Rand {
	if a != nil {
		return a
	}
	return b
}

// SampleNames returns the given names (men's and women's) and the surnames
// that Registration draws from, for bulk loads that draw in SQL.
func SampleNames() (given, family []string) {
	return append(slices.Clone(maleNames), femaleNames...), slices.Clone(surnames)
}

// SampleSkills returns every skill Registration may draw, sorted.
func SampleSkills() []string {
	var out []string
	for _, list := range skillsBySector {
		out = append(out, list...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
