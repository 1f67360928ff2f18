package privacy

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// AuditRectify is the audit_log action of an approved rectification, on the
// person: the field changed, never its values.
const AuditRectify = "rectify"

// bindRectification runs rectification requests (docs/PRIVACY.md, "Rights
// of the person"), as model hooks, so REST, batch, the sync push and Go code
// obey them alike:
//
//   - a returnee asks for themselves, for a field of catalog.RectifiableFields
//     (one they edit themselves is field_self_editable, any other
//     unknown_field), with a value that differs from the stored one and that
//     the field takes (checked as the person's record checks it, except what
//     depends on other fields or on other people: a CURP's letters, a CURP
//     someone else holds, which the decision checks); the server keeps the
//     current value beside it;
//   - the person's field workers and coordinator (the update rule) decide:
//     requested to approved or declined, once; a decline needs a reason
//     (reason_required); the server stamps decided_by and decided_at;
//   - an approval saves the value on the person in the same transaction,
//     as the approver, through the person's own hooks: an approval that
//     breaks one of their rules (a CURP that contradicts the birth date) is
//     refused with that rule's code on requested_value, and nothing is
//     written.
func bindRectification(app core.App) {
	app.OnRecordCreate(catalog.RectificationReqs).BindFunc(func(e *core.RecordEvent) error {
		if person, err := e.App.FindRecordById(catalog.Returnees, e.Record.GetString("returnee")); err == nil {
			e.Record.Set("current_value", valueText(person, e.Record.GetString("field")))
		}
		return e.Next()
	})
	app.OnRecordUpdate(catalog.RectificationReqs).BindFunc(func(e *core.RecordEvent) error {
		if was := e.Record.Original().GetString("status"); was == "requested" && e.Record.GetString("status") != was {
			who := actor.Of(e.Context, e.Record)
			if who != nil && who.Collection().Name == catalog.Staff {
				e.Record.Set("decided_by", who.Id)
			}
			e.Record.Set("decided_at", types.NowDateTime())
		}
		return e.Next()
	})
	app.OnRecordValidate(catalog.RectificationReqs).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			return mergeErrors(e.Next(), checkRequest(e.App, e.Record, actor.Of(e.Context, e.Record)))
		}
		return mergeErrors(e.Next(), checkDecision(e.Record, actor.Of(e.Context, e.Record)))
	})
	hookorder.Hook{
		ID: "retorno_rectification", Priority: hookorder.Rectification, Func: apply,
	}.OnUpdate(app, catalog.RectificationReqs)
}

// checkRequest checks a new request by who.
func checkRequest(app core.App, r *core.Record, who *core.Record) validation.Errors {
	errs := validation.Errors{}
	if who != nil && who.Collection().Name == catalog.ReturneeAccounts {
		if r.GetString("returnee") != who.GetString("returnee") {
			errs["returnee"] = validation.NewError("outside_scope", "Solo puedes hacer solicitudes a tu nombre.")
		}
		for _, f := range recordwrite.ChangedFields(r) {
			if !slices.Contains([]string{"id", "returnee", "field", "requested_value", "reason", "status", "current_value"}, f) {
				errs[f] = validation.NewError("not_editable", "No puedes modificar este campo.")
			}
		}
	}
	if r.GetString("status") != "requested" {
		errs["status"] = validation.NewError("invalid_status", "Una solicitud nueva empieza como pedida (requested).")
	}
	field := r.GetString("field")
	switch {
	case slices.Contains(hooks.ReturneeEditable, field):
		errs["field"] = validation.NewError("field_self_editable", "Este dato lo puedes cambiar tú en tu perfil.")
		return errs
	case !slices.Contains(catalog.RectifiableFields.Codes(), field):
		errs["field"] = validation.NewError("unknown_field", "Ese dato no se puede pedir corregir.")
		return errs
	}
	if r.GetString("requested_value") == r.GetString("current_value") {
		errs["requested_value"] = validation.NewError("same_value", "El valor pedido es el que ya tienes registrado.")
		return errs
	}
	person, err := app.FindRecordById(catalog.Returnees, r.GetString("returnee"))
	if err != nil {
		return errs // the relation's own validation reports it
	}
	probe := person.Fresh()
	if fieldErr := setValue(probe, field, r.GetString("requested_value")); fieldErr != nil {
		errs["requested_value"] = fieldErr
		return errs
	}
	// what depends on the rest of the record or on other people (a CURP's
	// letters, a CURP someone else holds) is the decision's to check: the
	// person may be asking for a name and a CURP at once, and a returnee
	// must not learn whether a CURP is someone else's
	var fieldErrs validation.Errors
	if errors.As(app.Validate(probe), &fieldErrs) {
		var ve validation.Error
		if errors.As(fieldErrs[field], &ve) && !strings.HasSuffix(ve.Code(), "_mismatch") && ve.Code() != "validation_not_unique" {
			errs["requested_value"] = ve
		}
	}
	return errs
}

// checkDecision checks an update of a request by who: a decision, once.
func checkDecision(r *core.Record, who *core.Record) validation.Errors {
	errs := validation.Errors{}
	was, status := r.Original().GetString("status"), r.GetString("status")
	changed := recordwrite.ChangedFields(r)
	if who != nil && !who.IsSuperuser() {
		for _, f := range changed {
			if !slices.Contains([]string{"status", "decision_reason", "decided_by", "decided_at"}, f) {
				errs[f] = validation.NewError("not_editable", "No puedes modificar este campo.")
			}
		}
	}
	if status != was && (was != "requested" || (status != "approved" && status != "declined")) {
		errs["status"] = validation.NewError("invalid_transition", "Cambio de estado no permitido: "+was+" → "+status+".")
	}
	if status == "declined" && strings.TrimSpace(r.GetString("decision_reason")) == "" {
		errs["decision_reason"] = validation.NewError("reason_required", "Indica el motivo.")
	}
	return errs
}

// apply saves an approved request's value on the person, in the request's
// transaction, as the approver.
func apply(e *core.RecordEvent) error {
	if e.Record.GetString("status") != "approved" || e.Record.Original().GetString("status") == "approved" {
		return e.Next()
	}
	return recordwrite.InTransaction(e, func() error {
		if err := e.Next(); err != nil {
			return err
		}
		person, err := e.App.FindRecordById(catalog.Returnees, e.Record.GetString("returnee"))
		if err != nil {
			return err
		}
		field := e.Record.GetString("field")
		if fieldErr := setValue(person, field, e.Record.GetString("requested_value")); fieldErr != nil {
			return validation.Errors{"requested_value": fieldErr}
		}
		who := actor.Of(e.Context, e.Record)
		actor.Set(person, who)
		if err := e.App.SaveWithContext(e.Context, person); err != nil {
			return onRequestedValue(err, field)
		}
		return hooks.WriteAuditReason(e.App, who, AuditRectify, catalog.Returnees, person.Id, []string{field}, "")
	})
}

// onRequestedValue is the person's refusal of a rectified value as the
// request's field error: the field's own error, else the first one (a
// CURP whose letters the new name contradicts).
func onRequestedValue(err error, field string) error {
	var errs validation.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return err
	}
	fieldErr, ok := errs[field]
	if !ok {
		keys := make([]string, 0, len(errs))
		for k := range errs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		fieldErr = errs[keys[0]]
	}
	return validation.Errors{"requested_value": fieldErr}
}

// setValue sets field of person to value, the text of a request.
func setValue(person *core.Record, field, value string) error {
	if _, ok := person.Collection().Fields.GetByName(field).(*core.NumberField); ok {
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil {
			return validation.NewError("validation_not_a_number", "Escribe un número.")
		}
		person.Set(field, n)
		return nil
	}
	person.Set(field, value)
	return nil
}

// valueText is field of person as the text of a request.
func valueText(person *core.Record, field string) string {
	if person.Collection().Fields.GetByName(field) == nil {
		return ""
	}
	if _, ok := person.Collection().Fields.GetByName(field).(*core.NumberField); ok {
		return strconv.Itoa(person.GetInt(field))
	}
	return person.GetString(field)
}
