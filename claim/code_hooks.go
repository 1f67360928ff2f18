package claim

import (
	"encoding/json"
	"regexp"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/hookorder"
	"github.com/retorno-mx/retorno/internal/recordwrite"
)

// deviceHash is the shape of the claim_hash a device sends (see Hash).
var deviceHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// redacted replaces a claim hash kept in a sync conflict record.
var redacted = types.JSONRaw(`"[redacted]"`)

func bindCodes(app core.App) {
	// claimed and claim_expires are the server's: staff and returnees'
	// values are ignored (claim_verifier is hidden: PocketBase drops it
	// from the requests of everyone but superusers)
	serverOwned := func(e *core.RecordEvent) error {
		if who := actor.Of(e.Context, e.Record); who != nil && !who.IsSuperuser() {
			if e.Record.IsNew() {
				e.Record.Set(fieldClaimed, false)
				e.Record.Set(fieldExpires, "")
			} else {
				e.Record.Set(fieldClaimed, e.Record.Original().GetBool(fieldClaimed))
				e.Record.Set(fieldExpires, e.Record.Original().GetDateTime(fieldExpires))
			}
		}
		return e.Next()
	}
	app.OnRecordCreate(catalog.Returnees).BindFunc(serverOwned)
	app.OnRecordUpdate(catalog.Returnees).BindFunc(serverOwned)

	app.OnRecordValidate(catalog.Returnees).BindFunc(checkCode)

	// the slow hash is computed once the record is valid, before the other
	// execute hooks (sync log, audit) see the record
	hookorder.Hook{ID: "claimStoreCode", Priority: hookorder.ClaimCode, Func: storeCode}.OnSave(app, catalog.Returnees)

	app.OnRecordCreate(catalog.SyncConflicts).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("collection_name") == "returnees" {
			redact(e.Record)
		}
		return e.Next()
	})
}

// checkCode refuses a claim_hash that is not a device's hash, and a new code
// for a person who already has an account.
func checkCode(e *core.RecordEvent) error {
	hash := e.Record.GetString(fieldHash)
	if hash == "" {
		return e.Next()
	}
	return recordwrite.Validate(e, func(errs validation.Errors) error {
		switch {
		case !deviceHash.MatchString(hash):
			errs[fieldHash] = validation.NewError("invalid_claim_hash",
				"Debe ser el SHA-256 del código de reclamo, en 64 caracteres hexadecimales en minúsculas.")
		case !e.Record.IsNew() && (e.Record.GetBool(fieldClaimed) || hasAccount(e.App, e.Record.Id)):
			errs[fieldHash] = validation.NewError("already_claimed", "La persona ya tiene su cuenta: no necesita un código nuevo.")
		}
		return nil
	})
}

// storeCode keeps a new code's device hash as its HMAC (key.go) in claim_verifier,
// starts its period, and empties claim_hash; once the record is written,
// it forgets the claim attempts on the person (a field worker gives a new
// code to someone who spent them).
func storeCode(e *core.RecordEvent) error {
	hash := e.Record.GetString(fieldHash)
	if hash == "" {
		return e.Next()
	}
	key, err := serverKey(e.App)
	if err != nil {
		return err
	}
	e.Record.Set(fieldVerifier, verifierOf(key, hash))
	salt, _ := e.Record.GetRaw(saltKey).(string)
	e.Record.Set(fieldSalt, salt)
	e.Record.Set(fieldExpires, types.NowDateTime().Add(CodeTTL))
	e.Record.Set(fieldHash, "")
	if err := e.Next(); err != nil {
		return err
	}
	// the code is stored: a failed reset only leaves the old limits, so it
	// is logged, not answered as a failed write
	if err := ForgetAttempts(e.App, e.Record); err != nil {
		e.App.Logger().Error("claim: new code", "returnee", e.Record.Id, "error", err)
	}
	return nil
}

func hasAccount(app core.App, returneeID string) bool {
	_, err := app.FindFirstRecordByData(catalog.ReturneeAccounts, "returnee", returneeID)
	return err == nil
}

// redact keeps a device's claim hash out of a sync conflict record.
func redact(r *core.Record) {
	if r.GetString("field") == fieldHash {
		for _, name := range []string{"yours", "kept", "lost"} {
			r.Set(name, redacted)
		}
	}
	var yours map[string]any
	if json.Unmarshal([]byte(r.GetString("yours")), &yours) == nil {
		if _, ok := yours[fieldHash]; ok {
			yours[fieldHash] = redacted
			r.Set("yours", yours)
		}
	}
}
