package suggest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/retorno-mx/retorno/catalog"
)

// Points of each part of a score. An offer's score is the sum of the points
// of its reasons; every offer also carries a zero-point reason saying it is
// in the person's destination state, so no offer is listed without one.
const (
	PointsSector         = 30 // the offer's theme continues the person's trade in the US
	PointsSectorRelated  = 15 // the offer's theme uses part of that trade
	PointsSkill          = 10 // per skill named in the offer's title or description, at most MaxSkillMatches
	MaxSkillMatches      = 3
	PointsSkillTheme     = 10 // a skill belongs to the offer's theme (once per offer)
	PointsNeedTraining   = 20 // need "training", for any course
	PointsNeedFinancial  = 30 // need "financial", for a savings group
	PointsNeedFinCourse  = 20 // need "financial", for a solidarity-finance course
	PointsNeedEmployment = 15 // need "employment", for a course that prepares for work or self-employment
	PointsNeedEmpGroup   = 10 // need "employment", for a savings group (capital for a business of their own)
	PointsMunicipality   = 10 // the offer is in the person's destination municipality
)

// Reason codes: the machine-readable half of a Reason.
const (
	ReasonSector           = "sector"
	ReasonSectorRelated    = "sector_related"
	ReasonSkill            = "skill"
	ReasonSkillTheme       = "skill_theme"
	ReasonNeedTraining     = "need_training"
	ReasonNeedFinancial    = "need_financial"
	ReasonNeedEmployment   = "need_employment"
	ReasonMunicipality     = "municipality"
	ReasonDestinationState = "destination_state"
)

// Reason is one part of a suggestion's score: a code, a sentence in Spanish
// for the person and the staff, and the points it adds.
type Reason struct {
	Code   string `json:"code"`
	Text   string `json:"text"`
	Points int    `json:"points"`
}

// person is what ranking reads of a returnee.
type person struct {
	sector       string
	skills       string
	needs        []string
	municipality string
	stateName    string
}

// offer is a course or savings group being ranked. A savings group is ranked
// as an offer of the solidarity-finance ecosystem.
type offer struct {
	group        bool
	theme        string
	text         string // title or name, and description
	municipality string
}

// SectorThemes maps each sector where returnees worked in the US
// (catalog.SectorsInUS) to the NODESS ecosystems (catalog.Themes)
// where that experience counts: Primary themes continue the same trade,
// Related ones use part of it. "other" maps to nothing.
var SectorThemes = map[string]struct{ Primary, Related []string }{
	// agricultural production; composting, soil and sustainable food production
	"agriculture": {[]string{"agro_livestock_fishing"}, []string{"environment_sustainability"}},
	// gastronomic tourism; nutrition; food sovereignty
	"food_services": {[]string{"tourism"}, []string{"health_care", "agro_livestock_fishing"}},
	// rural and community lodging
	"lodging": {[]string{"tourism"}, nil},
	// carpentry, welding, electrical and solar installation; building with local materials
	"construction": {[]string{"industry_energy_technology"}, []string{"environment_sustainability"}},
	// family and urban gardens, landscaping; horticulture
	"gardening": {[]string{"environment_sustainability"}, []string{"agro_livestock_fishing"}},
	// care economy, preventive and community health
	"health_personal_care": {[]string{"health_care"}, nil},
	// industrial transformation; human capital development
	"manufacturing": {[]string{"industry_energy_technology"}, []string{"capabilities_innovation"}},
	// mechanics; tourist transport
	"transport": {nil, []string{"industry_energy_technology", "tourism"}},
	// care economy; hospitality
	"domestic_work": {[]string{"health_care"}, []string{"tourism"}},
	// business plans and social enterprises; cash and savings; craft marketing
	"commerce": {[]string{"capabilities_innovation"}, []string{"solidarity_finance", "art_culture"}},
}

// themeWords are folded words of skills that belong to each ecosystem, so
// that "cosecha de fresa" fits an agriculture course whose title never says
// "cosecha". They are compared with sameWord.
var themeWords = map[string][]string{
	"agro_livestock_fishing":     {"cosecha", "siembra", "cultivo", "tractor", "riego", "hortalizas", "empaque", "poda", "frutales", "ganado", "ganaderia", "pesca", "campo", "invernadero", "agricultura", "fresa", "ordena", "apicultura"},
	"industry_energy_technology": {"albanileria", "construccion", "soldadura", "herreria", "carpinteria", "electricidad", "electricista", "plomeria", "mecanica", "montacargas", "ensamble", "pintura", "techado", "tablaroca", "drywall", "computadora", "celulares", "maquinaria"},
	"capabilities_innovation":    {"ventas", "caja", "cliente", "administracion", "contabilidad", "ingles", "computadora", "negocio", "emprendimiento", "liderazgo"},
	"solidarity_finance":         {"contabilidad", "caja", "ahorro", "finanzas", "cobranza", "tesoreria"},
	"tourism":                    {"cocina", "parrilla", "panaderia", "alimentos", "restaurante", "mesero", "hotel", "huespedes", "habitaciones", "recepcion", "ingles", "guia", "hospedaje", "lavanderia", "limpieza"},
	"health_care":                {"enfermeria", "cuidado", "mayores", "ninos", "estetica", "cabello", "primeros", "nutricion", "masaje", "terapia"},
	"art_culture":                {"artesania", "textil", "costura", "alfareria", "fotografia", "musica", "bordado", "tejido", "dibujo", "diseno"},
	"environment_sustainability": {"jardineria", "paisajismo", "composta", "reciclaje", "podadora", "vivero", "huerto", "forestal"},
}

// workThemes are the ecosystems whose courses prepare for a job or for
// self-employment (business management, trades, digital skills).
var workThemes = []string{"capabilities_innovation", "industry_energy_technology"}

// rank scores o for p: sector, then needs, then skills, then place. Needs
// other than training, financial and employment (documents, shelter,
// health...) are services, not courses or groups, and add nothing.
func rank(p person, o offer) (int, []Reason) {
	var reasons []Reason
	add := func(code string, points int, format string, args ...any) {
		reasons = append(reasons, Reason{Code: code, Text: fmt.Sprintf(format, args...), Points: points})
	}

	if t := SectorThemes[p.sector]; slices.Contains(t.Primary, o.theme) {
		add(ReasonSector, PointsSector, "Coincide con su experiencia en %s en Estados Unidos.", strings.ToLower(catalog.SectorsInUS.Label(p.sector)))
	} else if slices.Contains(t.Related, o.theme) {
		add(ReasonSectorRelated, PointsSectorRelated, "Aprovecha parte de su experiencia en %s en Estados Unidos.", strings.ToLower(catalog.SectorsInUS.Label(p.sector)))
	}

	needs := p.needs
	switch {
	case o.group && slices.Contains(needs, "financial"):
		add(ReasonNeedFinancial, PointsNeedFinancial, "Busca apoyo económico: en un grupo de ahorro puede ahorrar y pedir préstamos pequeños.")
	case !o.group && slices.Contains(needs, "financial") && o.theme == "solidarity_finance":
		add(ReasonNeedFinancial, PointsNeedFinCourse, "Busca apoyo económico: el curso es de finanzas solidarias.")
	}
	if !o.group && slices.Contains(needs, "training") {
		add(ReasonNeedTraining, PointsNeedTraining, "Pidió capacitación.")
	}
	switch {
	case o.group && slices.Contains(needs, "employment"):
		add(ReasonNeedEmployment, PointsNeedEmpGroup, "Busca empleo: el ahorro y los préstamos del grupo pueden darle capital para un negocio propio.")
	case !o.group && slices.Contains(needs, "employment") && slices.Contains(workThemes, o.theme):
		add(ReasonNeedEmployment, PointsNeedEmployment, "Busca empleo: el curso prepara para trabajar o emprender.")
	}

	offerWords := tokens(o.text)
	matched, themed := 0, false
	for _, skill := range phrases(p.skills) {
		words := tokens(skill)
		if len(words) == 0 {
			continue
		}
		if _, ok := matchAny(words, offerWords); ok && matched < MaxSkillMatches {
			matched++
			add(ReasonSkill, PointsSkill, "Coincide con su habilidad «%s».", skill)
			continue
		}
		if _, ok := matchAny(words, themeWords[o.theme]); ok && !themed {
			themed = true
			add(ReasonSkillTheme, PointsSkillTheme, "Su habilidad «%s» es afín al ecosistema %s.", skill, catalog.Themes.Label(o.theme))
		}
	}

	if m := strings.TrimSpace(o.municipality); m != "" && fold(m) == fold(strings.TrimSpace(p.municipality)) {
		add(ReasonMunicipality, PointsMunicipality, "Está en su municipio de destino, %s.", m)
	}
	add(ReasonDestinationState, 0, "Se ofrece en su estado de destino, %s.", p.stateName)

	score := 0
	for _, r := range reasons {
		score += r.Points
	}
	slices.SortStableFunc(reasons, func(a, b Reason) int { return cmp.Compare(b.Points, a.Points) })
	return score, reasons
}
