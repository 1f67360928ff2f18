package dedup_test

import (
	"slices"
	"testing"

	"github.com/retorno-mx/retorno/dedup"
)

// maria is the person most cases below compare against.
var maria = dedup.Person{GivenNames: "María Guadalupe", FirstSurname: "Hernández", SecondSurname: "López",
	BirthDate: "1990-05-07", BirthState: "state-gr"}

// with returns maria with some fields changed.
func with(change func(p *dedup.Person)) dedup.Person {
	p := maria
	change(&p)
	return p
}

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a      *dedup.Person // maria if nil
		other  dedup.Person
		want   int
		likely bool
		reason string // one reason the score must give
	}{
		{"identical", nil, maria, 100, true, dedup.ReasonSameBirthDate},
		{"accents, case, spaces and abbreviations", nil, with(func(p *dedup.Person) {
			p.GivenNames, p.FirstSurname, p.SecondSurname = "  MA. GPE ", "HDEZ", "lopez"
		}), 100, true, dedup.ReasonSameGivenNames},
		{"nickname", nil, with(func(p *dedup.Person) { p.GivenNames = "Ma. Lupe" }), 100, true, dedup.ReasonSameGivenNames},
		{"day and month swapped", nil, with(func(p *dedup.Person) { p.BirthDate = "1990-07-05" }), 90, true, dedup.ReasonBirthDaySwapped},
		{"no second surname, no birth state", nil, with(func(p *dedup.Person) { p.SecondSurname, p.BirthState = "", "" }), 87, true, dedup.ReasonSecondMissing},
		{"one given name of two", nil, with(func(p *dedup.Person) { p.GivenNames = "Guadalupe" }), 92, true, dedup.ReasonPartialGivenNames},
		{"given name typo", nil, with(func(p *dedup.Person) { p.GivenNames = "Maria Guadalue" }), 95, true, dedup.ReasonSimilarGivenNames},
		{"surname typo", nil, with(func(p *dedup.Person) { p.FirstSurname = "Hernandes" }), 93, true, dedup.ReasonSimilarFirstSurname},
		{"surnames swapped", nil, with(func(p *dedup.Person) { p.FirstSurname, p.SecondSurname = "López", "Hernández" }), 100, true, dedup.ReasonSurnamesSwapped},
		{"both surnames in one field", nil, with(func(p *dedup.Person) { p.FirstSurname, p.SecondSurname = "Hernández López", "" }), 100, true, dedup.ReasonSurnamesJoined},
		{"mother's surname only", nil, with(func(p *dedup.Person) { p.FirstSurname, p.SecondSurname = "López", "" }), 80, true, dedup.ReasonSurnameAsSecond},
		{"other birth state", nil, with(func(p *dedup.Person) { p.BirthState = "state-oc" }), 90, true, dedup.ReasonDiffBirthState},
		{"twin with another given name", nil, with(func(p *dedup.Person) { p.GivenNames = "Rosa Isela" }), 50, false, dedup.ReasonDiffGivenNames},
		{"Mario is not María", nil, with(func(p *dedup.Person) { p.GivenNames = "Mario Guadalupe" }), 50, false, dedup.ReasonDiffGivenNames},
		{"namesake with another mother's surname", nil, with(func(p *dedup.Person) { p.SecondSurname = "Ramírez" }), 65, false, dedup.ReasonDiffSecondSurname},
		{"another first surname", nil, with(func(p *dedup.Person) { p.FirstSurname = "García" }), 45, false, dedup.ReasonDiffFirstSurname},
		// detection only searches the same or swapped birth date; a merge
		// scores any two records
		{"another birth date", nil, with(func(p *dedup.Person) { p.BirthDate = "1991-05-07" }), 70, true, dedup.ReasonDifferentBirthDate},
		{"same CURP", &dedup.Person{CURP: "sabc560626mdflrn01"}, dedup.Person{CURP: "SABC560626MDFLRN01"}, 100, true, dedup.ReasonSameCURP},
		// RENAPO has issued two CURPs to one person: still at the threshold
		{"two CURPs, everything else equal", ptr(with(func(p *dedup.Person) { p.CURP = "SABC560626MDFLRN01" })),
			with(func(p *dedup.Person) { p.CURP = "BEML920313HMCLNS09" }), 70, true, dedup.ReasonDifferentCURP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := maria
			if tc.a != nil {
				a = *tc.a
			}
			got, reasons := dedup.Score(a, tc.other)
			if got != tc.want {
				t.Errorf("score = %d (%v), want %d", got, reasons, tc.want)
			}
			if likely := got >= dedup.Threshold; likely != tc.likely {
				t.Errorf("likely = %v at score %d, want %v", likely, got, tc.likely)
			}
			if !slices.Contains(reasons, tc.reason) {
				t.Errorf("reasons %v lack %s", reasons, tc.reason)
			}
			if back, _ := dedup.Score(tc.other, a); back != got {
				t.Errorf("score is not symmetric: %d one way, %d the other", got, back)
			}
		})
	}
}

func ptr(p dedup.Person) *dedup.Person { return &p }

// A birth date that has no swapped twin (day above 12, or day = month) or
// whose swap does not exist is not matched by the swap rule.
func TestScore_SwapOnlyForRealDates(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"1990-05-13", "1990-13-05"},
		{"1990-05-05", "1990-05-05x"},
		{"1990-02-30", "1990-30-02"},
	} {
		_, reasons := dedup.Score(with(func(p *dedup.Person) { p.BirthDate = tc.a }), with(func(p *dedup.Person) { p.BirthDate = tc.b }))
		if slices.Contains(reasons, dedup.ReasonBirthDaySwapped) {
			t.Errorf("%s and %s: %v", tc.a, tc.b, reasons)
		}
	}
}
