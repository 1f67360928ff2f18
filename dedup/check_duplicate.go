package dedup

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/names"
)

// CheckResult is the answer of GET /api/returnees/check-duplicate.
type CheckResult struct {
	// CURPTaken says that some person, in the caller's scope or not, holds
	// the CURP asked about: registering it would be refused anyway, so this
	// tells nothing a create would not.
	CURPTaken bool `json:"curp_taken"`
	// Matches are the likely duplicates the caller may list, best first.
	Matches []CheckMatch `json:"matches"`
	// Elsewhere, when the CURP's holder or a strong match is someone the
	// caller may not list, says only that, and the month of their latest
	// return: the worker confirms identity with the person and registers a
	// new return (devicesync rebinds the registration by its CURP), or asks
	// for the CURP.
	Elsewhere *Elsewhere `json:"elsewhere,omitempty"`
}

// Elsewhere is someone registered at another point.
type Elsewhere struct {
	// ByCURP: the CURP asked about is theirs; else their names and birth
	// date match strongly.
	ByCURP bool `json:"by_curp"`
	// Since is the month of their latest return, "YYYY-MM".
	Since string `json:"since"`
}

// StrongMatch is the lowest score of a match outside the caller's scope that
// the check mentions (as Elsewhere): the same names and birth date, or
// nearly.
const StrongMatch = 90

// CheckMatch is one likely duplicate.
type CheckMatch struct {
	Score   int          `json:"score"`
	Reasons []string     `json:"reasons"`
	Record  *core.Record `json:"record"`
}

// checkDuplicate answers whether the person described by the query is
// already registered, among the records the caller may list. Devices use it
// before registering someone, as they search their own copy offline. Only
// those who register people may ask, CheckLimit times per CheckWindow, and
// every search leaves an audit entry.
func checkDuplicate(e *core.RequestEvent) error {
	if !mayCheck(e.Auth) {
		return e.ForbiddenError(msgNotRegistrar, nil)
	}
	q := e.Request.URL.Query()
	form := checkForm{
		GivenNames:    q.Get("given_names"),
		FirstSurname:  q.Get("first_surname"),
		SecondSurname: q.Get("second_surname"),
		BirthDate:     q.Get("birth_date"),
		BirthState:    q.Get("birth_state"),
		CURP:          curp.Normalize(q.Get("curp")),
	}
	if err := form.validate(); err != nil {
		return e.BadRequestError("Invalid search.", err)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	switch ok, err := admitCheck(e.App, e.Auth); {
	case err != nil:
		return e.InternalServerError("", err)
	case !ok:
		return e.TooManyRequestsError(msgTooManyCheck, nil)
	}
	col, err := e.App.FindCachedCollectionByNameOrId(catalog.Returnees)
	if err != nil {
		return e.InternalServerError("", err)
	}
	scope := listScope(e.App, info, col)
	matches, err := FindMatches(e.App, form.person(), "", scope)
	if err != nil {
		return e.InternalServerError("", err)
	}

	result := CheckResult{Matches: []CheckMatch{}}
	if form.CURP != "" {
		owner, err := curpOwner(e.App, form.CURP, "")
		if err != nil {
			return e.InternalServerError("", err)
		}
		result.CURPTaken = owner != ""
		if owner != "" {
			if matches, err = withCURPOwner(e.App, matches, owner, scope); err != nil {
				return e.InternalServerError("", err)
			}
		}
	}
	if result.Elsewhere, err = elsewhere(e.App, form, matches); err != nil {
		return e.InternalServerError("", err)
	}
	records := make([]*core.Record, len(matches))
	for i, m := range matches {
		records[i] = m.Record
		result.Matches = append(result.Matches, CheckMatch{Score: m.Score, Reasons: m.Reasons, Record: m.Record})
	}
	// expand and fields work as on the list API, with its visibility checks
	if err := apis.EnrichRecords(e, records); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, result)
}

// withCURPOwner puts the holder of the CURP first, with the top score, if
// scope lets the caller list them.
func withCURPOwner(app core.App, matches []Match, owner string, scope func(*dbx.SelectQuery) error) ([]Match, error) {
	matches = slices.DeleteFunc(matches, func(m Match) bool { return m.Record.Id == owner })
	query := app.RecordQuery(catalog.Returnees).AndWhere(dbx.HashExp{"returnees.id": owner})
	if err := scope(query); err != nil {
		return nil, err
	}
	var found []*core.Record
	if err := query.All(&found); err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return matches, nil
	}
	return append([]Match{{Record: found[0], Score: 100, Reasons: []string{ReasonSameCURP}}}, matches...), nil
}

// checkForm is the query of GET /api/returnees/check-duplicate.
type checkForm struct {
	GivenNames, FirstSurname, SecondSurname, BirthDate, BirthState, CURP string
}

func (f *checkForm) person() Person {
	return Person{GivenNames: f.GivenNames, FirstSurname: f.FirstSurname, SecondSurname: f.SecondSurname,
		BirthDate: f.BirthDate, BirthState: f.BirthState, CURP: f.CURP}
}

// validate checks the query; a valid CURP stands in for a missing birth
// date.
func (f *checkForm) validate() error {
	errs := validation.Errors{}
	if f.CURP != "" {
		if err := curp.Validate(f.CURP); err != nil {
			var ce *curp.Error
			if errors.As(err, &ce) {
				errs["curp"] = validation.NewError(ce.Code, ce.Message)
			} else {
				errs["curp"] = validation.NewError("invalid_curp", err.Error())
			}
		} else if born, err := curp.BirthDate(f.CURP); err == nil && f.BirthDate == "" {
			f.BirthDate = born.Format(time.DateOnly)
		}
	}
	if names.Fold(f.GivenNames) == "" {
		errs["given_names"] = validation.NewError("validation_required", "Escribe el nombre o los nombres.")
	}
	if names.Fold(f.FirstSurname) == "" {
		errs["first_surname"] = validation.NewError("validation_required", "Escribe el primer apellido.")
	}
	if _, err := time.Parse(time.DateOnly, f.BirthDate); err != nil {
		errs["birth_date"] = validation.NewError("invalid_date", "Escribe una fecha de nacimiento que exista (AAAA-MM-DD), o una CURP válida.")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// elsewhere finds, among everyone, the CURP's holder or else the strongest
// match, when the caller's matches (their scope) do not hold them.
func elsewhere(app core.App, form checkForm, listed []Match) (*Elsewhere, error) {
	visible := func(id string) bool {
		return slices.ContainsFunc(listed, func(m Match) bool { return m.Record.Id == id })
	}
	id, byCURP := "", false
	if form.CURP != "" {
		owner, err := curpOwner(app, form.CURP, "")
		if err != nil {
			return nil, err
		}
		id, byCURP = owner, owner != ""
	}
	if id == "" {
		all, err := FindMatches(app, form.person(), "", nil)
		if err != nil {
			return nil, err
		}
		if len(all) > 0 && all[0].Score >= StrongMatch {
			id = all[0].Record.Id
		}
	}
	if id == "" || visible(id) {
		return nil, nil
	}
	person, err := app.FindRecordById(catalog.Returnees, id)
	if err != nil {
		return nil, err
	}
	since := person.GetString("repatriation_date")
	if since == "" {
		since = person.GetDateTime("created").Time().Format(time.DateOnly)
	}
	return &Elsewhere{ByCURP: byCURP, Since: since[:7]}, nil
}
