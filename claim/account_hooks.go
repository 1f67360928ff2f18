package claim

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

func bindAccounts(app core.App) {
	// the login is set by the claim: an account holder who could change it
	// could take a CURP or phone that someone else will claim with
	app.OnRecordValidate(catalog.ReturneeAccounts).BindFunc(func(e *core.RecordEvent) error {
		who := actor.Of(e.Context, e.Record)
		if who == nil || who.IsSuperuser() || e.Record.IsNew() ||
			e.Record.GetString(fieldLogin) == e.Record.Original().GetString(fieldLogin) {
			return e.Next()
		}
		return recordwrite.Validate(e, func(errs validation.Errors) error {
			errs[fieldLogin] = validation.NewError("not_editable", "No puedes modificar este campo.")
			return nil
		})
	})

	// a sign-in by login takes the CURP or phone as people type them
	app.OnRecordAuthWithPasswordRequest(catalog.ReturneeAccounts).BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		if e.Record != nil || (e.IdentityField != "" && e.IdentityField != fieldLogin) {
			return e.Next()
		}
		login := loginOf(e.Identity)
		if login == "" || login == e.Identity {
			return e.Next()
		}
		record, err := findByLogin(e.App, login)
		switch {
		case err == nil:
			e.Record = record
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return e.Next()
	})
}

// loginOf is the login an identity names: a phone's key (see phoneKey) for
// something that looks like a phone number, else an upper-cased CURP.
func loginOf(identity string) string {
	identity = strings.TrimSpace(identity)
	if strings.Contains(identity, "@") {
		return "" // an email: PocketBase's own lookup
	}
	if strings.Trim(identity, "+0123456789 -().") == "" && len(digits(identity)) >= 7 {
		return phoneKey(identity)
	}
	return curp.Normalize(identity)
}

// findByLogin finds the account whose login is login, ignoring case.
func findByLogin(app core.App, login string) (*core.Record, error) {
	record := &core.Record{}
	err := app.RecordQuery(catalog.ReturneeAccounts).
		AndWhere(dbx.NewExp("[["+fieldLogin+"]] = {:login} COLLATE NOCASE", dbx.Params{"login": login})).
		Limit(1).One(record)
	if err != nil {
		return nil, err
	}
	return record, nil
}
