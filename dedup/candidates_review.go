package dedup

import (
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// bindReview limits what staff may do to a duplicate candidate: its API
// rules let the field workers of either person's reception point and the
// coordinators of their states update it, and this hook lets them only
// dismiss an open pair. Merging is POST /api/returnees/{id}/merge, which
// marks the pair itself; superusers and system writes may change anything.
func bindReview(app core.App) {
	app.OnRecordValidate(Collection).BindFunc(func(e *core.RecordEvent) error {
		who := actor.Of(e.Context, e.Record)
		if who == nil || who.IsSuperuser() {
			return e.Next()
		}
		errs := validation.Errors{}
		for _, name := range recordwrite.ChangedFields(e.Record) {
			if name != "status" {
				errs[name] = validation.NewError("not_editable", "No puedes modificar este campo.")
			}
		}
		was, now := e.Record.Original().GetString("status"), e.Record.GetString("status")
		if e.Record.IsNew() || (now != was && (was != StatusOpen || now != StatusDismissed)) {
			errs["status"] = validation.NewError("invalid_transition",
				"Solo puedes descartar (dismissed) un posible duplicado abierto; para unir los registros usa la fusión.")
		}
		err := e.Next()
		if len(errs) == 0 {
			return err
		}
		var chain validation.Errors
		if errors.As(err, &chain) {
			for k, v := range chain {
				if _, ok := errs[k]; !ok {
					errs[k] = v
				}
			}
		}
		return errs
	})
}
