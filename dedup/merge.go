package dedup

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/records"
)

// mergeRecords handles POST /api/returnees/{id}/merge: the person "from"
// is merged into the person {id}, who is kept. The caller must be able to
// update both records (a field worker of their reception point, or a
// superuser), or coordinate the state of both records' reception points
// (their review queue shows the state's pairs); a record they cannot see
// answers 404, as PocketBase's record API does.
func mergeRecords(e *core.RequestEvent) error {
	var form mergeForm
	if err := e.BindBody(&form); err != nil {
		return e.BadRequestError("Failed to read the request body.", err)
	}
	keptID := e.Request.PathValue("id")
	if err := form.validate(keptID); err != nil {
		return e.BadRequestError("Cannot merge these records.", err)
	}
	info := &core.RequestInfo{Auth: e.Auth, Context: core.RequestInfoContextDefault, Method: e.Request.Method}

	var result *MergeResult
	err := e.App.RunInTransaction(func(tx core.App) error {
		kept, err := editable(tx, info, keptID, "id")
		if err != nil {
			return err
		}
		from, err := editable(tx, info, form.From, "from")
		if err != nil {
			return err
		}
		// the rules already keep a field worker's records at their own
		// point; this holds even if a rule is widened some day
		if !e.Auth.IsSuperuser() && !coordinates(tx, e.Auth, kept) && records.AsReturnee(kept).ReceptionPoint() != records.AsReturnee(from).ReceptionPoint() {
			return validation.Errors{"from": validation.NewError("different_reception_point",
				"Solo un administrador puede fusionar registros de distintos puntos de recepción.")}
		}
		result, err = Merge(tx, e.Auth, kept, from, MergeOptions{IdentityVerified: form.IdentityVerified, IdentityNote: form.IdentityNote})
		return err
	})
	var apiErr *router.ApiError
	var fieldErrs validation.Errors
	switch {
	case err == nil:
		// the kept person as the caller's REST view shows them (fieldaccess)
		if err := apis.EnrichRecord(e, result.Record); err != nil {
			return e.InternalServerError("", err)
		}
		return e.JSON(http.StatusOK, result)
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &fieldErrs):
		return e.BadRequestError("Cannot merge these records.", fieldErrs)
	}
	return e.InternalServerError("", err)
}

// editable loads returnee id if info's auth may update it: one they cannot
// see is not found, one they see but may not change is a field error on
// field.
func editable(app core.App, info *core.RequestInfo, id, field string) (*core.Record, error) {
	record, err := app.FindRecordById(catalog.Returnees, id)
	if err != nil {
		return nil, router.NewNotFoundError("", nil)
	}
	col := record.Collection()
	visible, err := app.CanAccessRecord(record, info, col.ViewRule)
	if err != nil {
		return nil, err
	}
	if !visible {
		return nil, router.NewNotFoundError("", nil)
	}
	if coordinates(app, info.Auth, record) {
		return record, nil
	}
	updatable, err := app.CanAccessRecord(record, info, col.UpdateRule)
	if err != nil {
		return nil, err
	}
	if !updatable {
		return nil, validation.Errors{field: validation.NewError("not_editable",
			"No puedes modificar este registro: solo el personal de campo de su punto de recepción, la coordinación de su estado o un administrador pueden fusionarlo.")}
	}
	return record, nil
}

// coordinates reports whether auth is the coordinator of the state of
// person's reception point.
func coordinates(app core.App, auth *core.Record, person *core.Record) bool {
	if auth.Collection().Name != catalog.Staff || records.AsStaff(auth).Role() != "coordinator" {
		return false
	}
	point, err := app.FindRecordById(catalog.ReceptionPoints, records.AsReturnee(person).ReceptionPoint())
	return err == nil && point.GetString("state") == records.AsStaff(auth).State()
}

// mergeForm is the body of POST /api/returnees/{id}/merge. The other
// person's account, if any, moves to the kept person only with
// identity_verified and a note of how identity was checked; without them it
// is closed.
type mergeForm struct {
	From             string `json:"from"`
	IdentityVerified bool   `json:"identity_verified"`
	IdentityNote     string `json:"identity_note"`
}

// Bounds of the identity note.
const (
	minIdentityNote = 10
	maxIdentityNote = 500
)

func (f *mergeForm) validate(keptID string) error {
	f.IdentityNote = strings.TrimSpace(f.IdentityNote)
	switch {
	case f.IdentityVerified && utf8.RuneCountInString(f.IdentityNote) < minIdentityNote:
		return validation.Errors{"identity_note": validation.NewError("validation_required",
			"Escribe cómo comprobaste la identidad (por ejemplo, qué identificación viste).")}
	case utf8.RuneCountInString(f.IdentityNote) > maxIdentityNote:
		return validation.Errors{"identity_note": validation.NewError("validation_max_text_constraint",
			"La nota puede tener a lo más 500 caracteres.")}
	case f.From == "":
		return validation.Errors{"from": validation.NewError("validation_required", "Indica el registro que se va a fusionar.")}
	case f.From == keptID:
		return validation.Errors{"from": validation.NewError("merge_self", "No se puede fusionar un registro consigo mismo.")}
	}
	return nil
}
