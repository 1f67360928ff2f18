package dedup

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/names"
	"github.com/retorno-mx/retorno/records"
)

// Threshold is the lowest score of a likely duplicate: a pair that scores
// at least this much is recorded in duplicate_candidates and returned by the
// duplicate check.
const Threshold = 70

// Reasons explain a score; each names one comparison and its outcome.
const (
	ReasonSameCURP            = "same_curp"
	ReasonDifferentCURP       = "different_curp"
	ReasonSameBirthDate       = "same_birth_date"
	ReasonBirthDaySwapped     = "birth_day_month_swapped"
	ReasonDifferentBirthDate  = "different_birth_date"
	ReasonSameFirstSurname    = "same_first_surname"
	ReasonSimilarFirstSurname = "similar_first_surname"
	ReasonSurnamesSwapped     = "surnames_swapped"
	ReasonSurnamesJoined      = "surnames_joined"
	ReasonSurnameAsSecond     = "first_surname_as_second"
	ReasonDiffFirstSurname    = "different_first_surname"
	ReasonSameSecondSurname   = "same_second_surname"
	ReasonSimilarSecond       = "similar_second_surname"
	ReasonSecondMissing       = "second_surname_missing"
	ReasonDiffSecondSurname   = "different_second_surname"
	ReasonSameGivenNames      = "same_given_names"
	ReasonSimilarGivenNames   = "similar_given_names"
	ReasonPartialGivenNames   = "partial_given_names"
	ReasonDiffGivenNames      = "different_given_names"
	ReasonSameBirthState      = "same_birth_state"
	ReasonBirthStateMissing   = "birth_state_missing"
	ReasonDiffBirthState      = "different_birth_state"
)

// Person is what duplicate detection compares: names as typed, the birth
// date as YYYY-MM-DD, the birth state's record id and the CURP.
type Person struct {
	GivenNames    string
	FirstSurname  string
	SecondSurname string
	BirthDate     string
	BirthState    string
	CURP          string
}

// PersonOf reads a returnee record.
func PersonOf(r *core.Record) Person {
	p := records.AsReturnee(r)
	return Person{
		GivenNames:    p.GivenNames(),
		FirstSurname:  p.FirstSurname(),
		SecondSurname: p.SecondSurname(),
		BirthDate:     p.BirthDate(),
		BirthState:    p.BirthState(),
		CURP:          p.CURP(),
	}
}

// Score says how likely a and b are the same person, from 0 to 100, and
// why. Points, out of 100:
//
//	birth date      same 30, day and month swapped 20 (US forms), else 0
//	surnames        both the same, swapped, or one field holding both: 40;
//	                otherwise first surname same 25, one letter off 18,
//	                used as the other's second (the other has none) 20,
//	                different -30; and second surname same 15, one letter
//	                off 10, missing on either side 7, different -20
//	given names     same 20, one word one letter off 15, one's names all among the
//	                other's ("Carlos" and "Juan Carlos") 12, different -30
//	birth state     same 10, missing on either side 5, different 0
//	CURP            same: 100 at once; both present and different: -30
//
// Names are compared after names.GivenNames and names.Surname. "One letter off" needs
// five letters or more in a surname and six in a given name: Mario and
// María are different people, Hernández and Hernándes are one. The penalties keep
// twins (same everything, different given names) and namesakes with another
// mother's surname below Threshold.
func Score(a, b Person) (int, []string) {
	score := 0
	reasons := []string{}
	add := func(points int, reason string) {
		score += points
		reasons = append(reasons, reason)
	}

	if ca, cb := curp.Normalize(a.CURP), curp.Normalize(b.CURP); ca != "" && cb != "" {
		if ca == cb {
			return 100, []string{ReasonSameCURP}
		}
		add(-30, ReasonDifferentCURP)
	}

	switch {
	case a.BirthDate != "" && a.BirthDate == b.BirthDate:
		add(30, ReasonSameBirthDate)
	case a.BirthDate != "" && swapDayMonth(a.BirthDate) == b.BirthDate:
		add(20, ReasonBirthDaySwapped)
	default:
		add(0, ReasonDifferentBirthDate)
	}

	a1, a2, b1, b2 := names.Surname(a.FirstSurname), names.Surname(a.SecondSurname), names.Surname(b.FirstSurname), names.Surname(b.SecondSurname)
	second := true
	switch {
	case a1 == b1:
		add(25, ReasonSameFirstSurname)
	case a2 != "" && b2 != "" && a1 == b2 && a2 == b1:
		add(40, ReasonSurnamesSwapped)
		second = false
	case a1+a2 == b1+b2:
		add(40, ReasonSurnamesJoined)
		second = false
	case oneOff(a1, b1, 5):
		add(18, ReasonSimilarFirstSurname)
	case (a2 == "" && a1 == b2) || (b2 == "" && b1 == a2):
		add(20, ReasonSurnameAsSecond)
		second = false
	default:
		add(-30, ReasonDiffFirstSurname)
	}
	if second {
		switch {
		case a2 == "" || b2 == "":
			add(7, ReasonSecondMissing)
		case a2 == b2:
			add(15, ReasonSameSecondSurname)
		case oneOff(a2, b2, 5):
			add(10, ReasonSimilarSecond)
		default:
			add(-20, ReasonDiffSecondSurname)
		}
	}

	ga, gb := names.GivenNames(a.GivenNames), names.GivenNames(b.GivenNames)
	switch {
	case strings.ReplaceAll(ga, " ", "") == strings.ReplaceAll(gb, " ", ""):
		add(20, ReasonSameGivenNames)
	case oneWordOff(ga, gb, 6):
		add(15, ReasonSimilarGivenNames)
	case within(ga, gb) || within(gb, ga):
		add(12, ReasonPartialGivenNames)
	default:
		add(-30, ReasonDiffGivenNames)
	}

	switch {
	case a.BirthState == "" || b.BirthState == "":
		add(5, ReasonBirthStateMissing)
	case a.BirthState == b.BirthState:
		add(10, ReasonSameBirthState)
	default:
		add(0, ReasonDiffBirthState)
	}
	return max(0, min(100, score)), reasons
}

// swapDayMonth returns date (YYYY-MM-DD) with day and month exchanged, or ""
// when that is not another real date.
func swapDayMonth(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || d.Day() > 12 || d.Day() == int(d.Month()) {
		return ""
	}
	swapped := time.Date(d.Year(), time.Month(d.Day()), int(d.Month()), 0, 0, 0, 0, time.UTC)
	if int(swapped.Month()) != d.Day() {
		return "" // a day that month does not have
	}
	return swapped.Format(time.DateOnly)
}

// oneOff reports whether a and b, both at least minLen runes long, differ
// by exactly one letter (inserted, deleted or replaced).
func oneOff(a, b string, minLen int) bool {
	if len([]rune(a)) < minLen || len([]rune(b)) < minLen {
		return false
	}
	return distance(a, b) == 1
}

// oneWordOff reports whether a and b have the same number of words and
// differ in exactly one of them, by one letter, in a word of at least
// minLen runes.
func oneWordOff(a, b string, minLen int) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	off := 0
	for i := range wa {
		switch {
		case wa[i] == wb[i]:
		case oneOff(wa[i], wb[i], minLen):
			off++
		default:
			return false
		}
	}
	return off == 1
}

// within reports whether every word of a is a word of b (a non-empty).
func within(a, b string) bool {
	words := strings.Fields(a)
	if len(words) == 0 {
		return false
	}
	have := map[string]bool{}
	for _, w := range strings.Fields(b) {
		have[w] = true
	}
	for _, w := range words {
		if !have[w] {
			return false
		}
	}
	return true
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
