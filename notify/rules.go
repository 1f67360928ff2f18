package notify

import (
	"database/sql"
	"errors"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/records"
)

// bindRules checks what superusers write in the dashboard or the API (the
// server's own writes pass the same checks): a message only to a person who
// consented to its channel and has an address for it, a template that fits
// two SMS, a gateway sender with its address.
func bindRules(app core.App) {
	app.OnRecordValidate(catalog.Notifications).BindFunc(func(e *core.RecordEvent) error {
		return recordwrite.Validate(e, func(errs validation.Errors) error { return checkNotification(e.App, errs, e.Record) })
	})
	app.OnRecordValidate(catalog.NotificationTemplates).BindFunc(func(e *core.RecordEvent) error {
		return recordwrite.Validate(e, func(errs validation.Errors) error {
			checkTemplate(errs, e.Record)
			return nil
		})
	})
	app.OnRecordValidate(catalog.NotificationSettings).BindFunc(func(e *core.RecordEvent) error {
		return recordwrite.Validate(e, func(errs validation.Errors) error {
			for _, channel := range catalog.PhoneChannels {
				if e.Record.GetString(channel+"_sender") == "http" && e.Record.GetString(channel+"_url") == "" {
					errs[channel+"_url"] = validation.NewError("validation_required", "Escribe la dirección de la pasarela.")
				}
			}
			return nil
		})
	})
}

// checkNotification refuses a message, new or queued again, to a person
// without a consent to its channel or an address for it: nothing is saved,
// and so nothing sent.
func checkNotification(app core.App, errs validation.Errors, r *core.Record) error {
	queued := r.GetString("status") == StatusQueued || r.GetString("status") == ""
	if !queued || (!r.IsNew() && r.Original().GetString("status") == StatusQueued) {
		return nil
	}
	person, err := records.FindReturnee(app, r.GetString("returnee"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the relation's own validation reports it
	}
	if err != nil {
		return err
	}
	channel := r.GetString("channel")
	if catalog.ChannelConsent[channel] == "" {
		return nil // the select's own validation reports it
	}
	to, consent, err := reach(app, person, channel)
	switch {
	case err != nil:
		return err
	case !consent:
		errs["channel"] = validation.NewError("no_consent", "La persona no dio su consentimiento para recibir mensajes por este medio.")
	case to == "":
		errs["channel"] = validation.NewError("no_address", "La persona no tiene un teléfono o correo para este medio.")
	}
	return nil
}
