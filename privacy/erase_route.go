package privacy

import (
	"errors"
	"net/http"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// eraseForm is the body of POST /api/returnees/{id}/erase.
type eraseForm struct {
	Reason string `json:"reason"`
}

// erase answers POST /api/returnees/{id}/erase, for superusers only (the
// route's middleware): it erases the person (Erase) and answers
// {"id", "erased": true}.
func erase(e *core.RequestEvent) error {
	var form eraseForm
	if err := e.BindBody(&form); err != nil {
		return e.BadRequestError("The body could not be read.", err)
	}
	err := Erase(e.App, e.Auth, e.Request.PathValue("id"), form.Reason)
	switch {
	case errors.Is(err, ErrReasonRequired):
		return e.BadRequestError("The erasure needs a reason.", validation.Errors{
			"reason": validation.NewError("reason_required", "Indica el motivo.")})
	case errors.Is(err, ErrReasonNamesPerson):
		return e.BadRequestError("The reason names the person.", validation.Errors{
			"reason": validation.NewError("reason_names_person",
				"El motivo queda en la auditoría: no escribas el nombre, la CURP ni el teléfono de la persona.")})
	case errors.Is(err, ErrNotFound):
		return e.NotFoundError("", nil)
	case err != nil:
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"id": e.Request.PathValue("id"), "erased": true})
}
