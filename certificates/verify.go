package certificates

import (
	"database/sql"
	"errors"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// States of a checked code.
const (
	StatusValid   = "valid"
	StatusRevoked = "revoked" // the enrollment is no longer completed
	StatusUnknown = "unknown" // no certificate has the code (or never had)
)

// Check is the answer of GET /api/certificates/{code}: the course, the day
// of the completion and whether the certificate is valid. Nothing of the
// person.
type Check struct {
	Code        string `json:"code"`
	Valid       bool   `json:"valid"`
	Status      string `json:"status"`
	Course      string `json:"course,omitempty"`
	CompletedOn string `json:"completed_on,omitempty"`
}

// verify answers a check of a code, for anyone: 200 with the course and the
// day, valid or revoked; 404 for a code no certificate has (a malformed one
// included), with the same shape.
func verify(e *core.RequestEvent) error {
	code := Normalize(e.Request.PathValue("code"))
	check, err := Lookup(e.App, code)
	if err != nil {
		return e.InternalServerError("", err)
	}
	status := http.StatusOK
	if check.Status == StatusUnknown {
		status = http.StatusNotFound
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(status, check)
}

// Lookup checks code, as Normalize writes it ("" is a code no certificate
// has).
func Lookup(app core.App, code string) (Check, error) {
	check := Check{Code: code, Status: StatusUnknown}
	if code == "" {
		return check, nil
	}
	var row struct {
		Course      string `db:"course"`
		Status      string `db:"status"`
		CompletedOn string `db:"completed_on"`
	}
	err := app.DB().Select("course", "status", FieldCompletedOn).From(catalog.Enrollments).
		Where(dbx.HashExp{FieldCode: code}).Limit(1).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return check, nil
	}
	if err != nil {
		return check, err
	}
	course, err := app.FindRecordById(catalog.TrainingCourses, row.Course)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return check, err
	}
	if course != nil {
		check.Course = course.GetString("title")
	}
	check.CompletedOn = row.CompletedOn
	check.Valid = row.Status == statusCompleted
	check.Status = StatusRevoked
	if check.Valid {
		check.Status = StatusValid
	}
	return check, nil
}
