package demo

import (
	_ "embed"
	"encoding/json"
)

// data.json holds the static tables the demo draws from. Figures are from
// the paper in ../shared/seed (Lara-Escamilla et al., 2024); names,
// institutions and places are plausible but invented sample content.
//
//go:embed data.json
var dataJSON []byte

// nodeTemplate is a sample NODESS: it covers every state of its region and
// has a home state, where its institution is and where its first course and
// savings group take place.
type nodeTemplate struct{ Slug, Region, Home, Name, Institution string }

// tables are data.json's tables; weights are relative frequencies.
var tables = load()

type demoTables struct {
	// OriginWeights is Table 2 of the paper: the Mexican population in the
	// United States by state of origin (2022 consular registrations), keyed
	// by CURP state code. Returnees' birth states are drawn in these
	// proportions.
	OriginWeights map[string]int
	// SeededStates are the border states whose reception points get field
	// workers and coordinators.
	SeededStates []string
	// PointWeights says how often each active reception point of Baja
	// California, Sonora and Tamaulipas receives people, by point name.
	PointWeights  map[string]int
	NodeTemplates []nodeTemplate
	// Municipalities are a few municipalities of each state, by CURP code.
	Municipalities map[string][]string
	// MaleNames, FemaleNames and NeutralNames are given names, Surnames
	// surnames.
	MaleNames, FemaleNames, NeutralNames, Surnames []string
	// SectorWeights are the sectors where returnees worked in the United
	// States (the paper names the first six); SectorLabels name them in
	// Spanish for notes, SkillsBySector are skills people bring back.
	SectorWeights  map[string]int
	SectorLabels   map[string]string
	SkillsBySector map[string][]string
	// IndigenousLanguages are languages spoken in a state besides Spanish
	// (codes of catalog.Languages).
	IndigenousLanguages map[string][]string
	NeedWeights         map[string]int
	// ServiceLabels name each referral service in Spanish, for notes.
	ServiceLabels  map[string]string
	ServiceWeights map[string]int
	// CaseNoteTemplates are case notes; {destino} is where the person is
	// going, {sector} where they worked in the US.
	CaseNoteTemplates []string
	// ReferralNotes are a referral's note by status (%s: the service);
	// ReferralOutcomes weight how far a referral has moved.
	ReferralNotes    map[string]string
	ReferralOutcomes map[string]int
	// CourseTitles are course titles per theme (catalog.Themes).
	CourseTitles    map[string][]string
	ModalityWeights map[string]int
	// GroupNames, MeetingPlaces (a municipality fills %s) and LoanPurposes
	// make the savings groups.
	GroupNames, MeetingPlaces, LoanPurposes []string
	// ReceptionWeights: how often a reception point delivers each service.
	ReceptionWeights map[string]int
}

func load() (t demoTables) {
	if err := json.Unmarshal(dataJSON, &t); err != nil {
		panic("demo/data.json: " + err.Error())
	}
	return t
}
