package privacy

import (
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/recordwrite"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// bindConsentTexts keeps each consent with the version of the wording it
// was asked with (docs/PRIVACY.md, "Consent wording"), on every write path:
//
//   - a consent names the version of its purpose's wording that the device
//     showed (text_version); a version that purpose does not have is
//     refused (unknown_text_version); a consent that names none (a client
//     older than the texts) gets the purpose's current version, the one
//     such a client shows; the version never changes afterwards;
//   - the words of a version that a consent names cannot change, nor can
//     it be deleted (text_in_use): new words are a new version.
func bindConsentTexts(app core.App) {
	app.OnRecordCreate(catalog.Consents).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("text_version") == "" {
			version, err := CurrentTextVersion(e.App, e.Record.GetString("purpose"), types.NowDateTime())
			if err != nil {
				return err
			}
			e.Record.Set("text_version", version)
		}
		return e.Next()
	})
	app.OnRecordValidate(catalog.Consents).BindFunc(func(e *core.RecordEvent) error {
		version := e.Record.GetString("text_version")
		errs := validation.Errors{}
		switch {
		case !e.Record.IsNew():
			if version != e.Record.Original().GetString("text_version") {
				errs["text_version"] = validation.NewError("not_editable", "No puedes modificar este campo.")
			}
		case version != "":
			if !textExists(e.App, e.Record.GetString("purpose"), version) {
				errs["text_version"] = validation.NewError("unknown_text_version", "Esa versión del texto del consentimiento no existe para esta finalidad.")
			}
		}
		return mergeErrors(e.Next(), errs)
	})

	app.OnRecordValidate(catalog.ConsentTexts).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.IsNew() {
			return e.Next()
		}
		original := e.Record.Original()
		if !inUse(e.App, original) {
			return e.Next()
		}
		errs := validation.Errors{}
		for _, f := range recordwrite.ChangedFields(e.Record) {
			if slices.Contains([]string{"purpose", "version", "text_es", "text_en"}, f) {
				errs[f] = validation.NewError("text_in_use", "Hay consentimientos con esta versión: publica una versión nueva.")
			}
		}
		if len(errs) == 0 {
			return e.Next()
		}
		return errs
	})
	app.OnRecordDelete(catalog.ConsentTexts).BindFunc(func(e *core.RecordEvent) error {
		if inUse(e.App, e.Record) {
			return router.NewBadRequestError("Consents name this version of the wording: it cannot be deleted.",
				validation.Errors{"version": validation.NewError("text_in_use", "Hay consentimientos con esta versión: no se puede borrar.")})
		}
		return e.Next()
	})
}

// textVersion is one version of a purpose's wording.
type textVersion struct {
	Version     string `db:"version"`
	PublishedAt string `db:"published_at"`
}

// textVersions are the versions of purpose's wording, the latest published
// first (the version breaking ties), read once in a transaction (txmemo):
// each consent of a push asks for them twice.
func textVersions(app core.App, purpose string) ([]textVersion, error) {
	return txmemo.Get(app, catalog.ConsentTexts+"/"+purpose, func() ([]textVersion, error) {
		var all []textVersion
		err := app.DB().Select("version", "published_at").From(catalog.ConsentTexts).
			Where(dbx.HashExp{"purpose": purpose}).
			OrderBy("published_at DESC", "version DESC").All(&all)
		return all, err
	})
}

// CurrentTextVersion is the version of purpose's wording in force at at:
// the latest one published by then, or "" if there is none.
func CurrentTextVersion(app core.App, purpose string, at types.DateTime) (string, error) {
	all, err := textVersions(app, purpose)
	if err != nil {
		return "", err
	}
	for _, v := range all {
		if v.PublishedAt <= at.String() {
			return v.Version, nil
		}
	}
	return "", nil
}

func textExists(app core.App, purpose, version string) bool {
	all, err := textVersions(app, purpose)
	return err == nil && slices.ContainsFunc(all, func(v textVersion) bool { return v.Version == version })
}

// inUse reports whether a consent names the consent text text.
func inUse(app core.App, text *core.Record) bool {
	var n int
	err := app.DB().Select("count(*)").From(catalog.Consents).
		Where(dbx.HashExp{"purpose": text.GetString("purpose"), "text_version": text.GetString("version")}).Row(&n)
	return err != nil || n > 0
}

// mergeErrors adds the field errors of add to err, the validation result of
// the rest of the chain; an error the chain set on a field stays.
func mergeErrors(err error, add validation.Errors) error {
	if len(add) == 0 {
		return err
	}
	var errs validation.Errors
	switch {
	case err == nil:
		return add
	case !errors.As(err, &errs):
		return err
	}
	for field, fieldErr := range add {
		if _, taken := errs[field]; !taken {
			errs[field] = fieldErr
		}
	}
	return errs
}
