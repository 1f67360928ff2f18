package demo

import (
	"fmt"
	"math"
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
	// Born draws birth dates (default: BirthDate, clustered as registers
	// are).
	Born func(*rand.Rand) time.Time
}

// BirthDate draws a birth date as registers hold them: years concentrated
// in a few decades (normal around 1985, standard deviation 10 years, within
// 1940-2008), and 15% of people on 1 January of their year, the date
// written when the person does not know theirs. The rest are uniform over
// the year. Duplicate detection must stay fast on such days (dedup.block).
func BirthDate(rng *rand.Rand) time.Time {
	year := min(max(int(math.Round(1985+10*rng.NormFloat64())), 1940), 2008)
	first := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	if rng.Float64() < 0.15 {
		return first
	}
	days := int(first.AddDate(1, 0, 0).Sub(first).Hours() / 24)
	return first.AddDate(0, 0, rng.IntN(days))
}

// Registration draws one valid returnee registration as the field app sends
// it, with the demo's names, sectors and skills: the one person generator of
// the demo seeder's tables that the benchmark, `retorno devices` and the
// tests share.
func Registration(rng *rand.Rand, spec RegistrationSpec) map[string]any {
	sex, given := "H", tables.MaleNames[rng.IntN(len(tables.MaleNames))]
	if rng.IntN(2) == 0 {
		sex, given = "M", tables.FemaleNames[rng.IntN(len(tables.FemaleNames))]
	}
	first, second := tables.Surnames[rng.IntN(len(tables.Surnames))], tables.Surnames[rng.IntN(len(tables.Surnames))]
	sectors := catalog.SectorsInUS.Codes()
	sector := sectors[rng.IntN(len(sectors))]
	skills := tables.SkillsBySector[sector]
	born := cmpBorn(spec.Born)(rng)
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
		born = cmpBorn(spec.Born)(dates)
		diff := byte('0' + dates.IntN(10)) // position 17: a digit before 2000, a letter from 2000 on
		if born.Year() >= 2000 {
			diff = byte('A' + dates.IntN(26))
		}
		c := curp.Build(first, second, given, born, sex, origin.CURPCode, diff)
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

func cmpBorn(born func(*rand.Rand) time.Time) func(*rand.Rand) time.Time {
	if born != nil {
		return born
	}
	return BirthDate
}

func cmpRand(a, b *rand.Rand) *rand.Rand {
	if a != nil {
		return a
	}
	return b
}

// SampleNames returns the given names (men's and women's) and the tables.Surnames
// that Registration draws from, for bulk loads that draw in SQL.
func SampleNames() (given, family []string) {
	return append(slices.Clone(tables.MaleNames), tables.FemaleNames...), slices.Clone(tables.Surnames)
}

// SampleSkills returns every skill Registration may draw, sorted.
func SampleSkills() []string {
	var out []string
	for _, list := range tables.SkillsBySector {
		out = append(out, list...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
