package claim

import (
	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
)

// The answers of a refused claim. One message for every refusal that
// concerns the person, so that it never tells whether they exist.
const (
	msgRefused     = "The account could not be claimed: check the CURP or phone and the code."
	msgTooMany     = "Too many claim attempts from this network: try from another network or tomorrow, or ask a field worker for a new code."
	msgInvalidForm = "An error occurred while validating the submitted data."
)

// errNotClaimable: the matched person's code was used or replaced meanwhile,
// or they have an account already.
var errNotClaimable = errors.New("claim: the code is no longer claimable")

// claimAccount handles POST /api/returnee-accounts/claim.
func claimAccount(e *core.RequestEvent) error {
	form := &claimForm{}
	if err := e.BindBody(form); err != nil {
		return e.BadRequestError("An error occurred while loading the submitted data.", err)
	}
	if err := form.validate(); err != nil {
		return e.BadRequestError(msgInvalidForm, err)
	}

	candidates, err := liveCodes(e.App, form)
	if err != nil {
		return e.InternalServerError("", err)
	}
	ok, tried, err := admit(e.App, e.RealIP(), form.identifier(), candidates)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return e.TooManyRequestsError(msgTooMany, nil)
	}
	key, err := serverKey(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	person := verify(key, tried, form.Code)
	if person == nil {
		return e.BadRequestError(msgRefused, nil)
	}

	account, err := claim(e.App, person, form)
	var fieldErrs validation.Errors
	switch {
	case errors.Is(err, errNotClaimable):
		return e.BadRequestError(msgRefused, nil)
	case errors.As(err, &fieldErrs):
		return e.BadRequestError(msgInvalidForm, fieldErrs)
	case err != nil:
		return e.InternalServerError("", err)
	}
	return apis.RecordAuthResponse(e, account, core.MFAMethodPassword, nil)
}

// liveCodes finds the people the form names who hold a live code: set, not
// used, not expired.
func liveCodes(app core.App, form *claimForm) ([]*core.Record, error) {
	q := app.RecordQuery(catalog.Returnees).
		AndWhere(dbx.NewExp("[[" + fieldVerifier + "]] != ''")).
		AndWhere(dbx.HashExp{fieldClaimed: false}).
		AndWhere(dbx.NewExp("[["+fieldExpires+"]] > {:now}", dbx.Params{"now": types.NowDateTime().String()})).
		OrderBy("created DESC").
		Limit(MaxCandidates)
	if form.CURP != "" {
		q.AndWhere(dbx.HashExp{"curp": form.CURP})
	} else {
		forms := phoneForms(form.Phone)
		in := make([]any, len(forms))
		for i, f := range forms {
			in[i] = f
		}
		q.AndWhere(dbx.In("phone", in...))
	}
	var people []*core.Record
	if err := q.All(&people); err != nil {
		return nil, fmt.Errorf("claim: find people: %w", err)
	}
	return people, nil
}

// verify returns the first person whose stored verifier matches the code,
// or nil. Every person found is compared, and a dummy verifier when none
// was, so that a wrong code and an unknown person cost the same: one HMAC
// each (a bcrypt for a code stored before the key, until it expires).
func verify(key []byte, people []*core.Record, code string) *core.Record {
	if len(people) == 0 {
		matches(key, verifierOf(key, "dummy"), Hash("", code))
		return nil
	}
	var match *core.Record
	for _, p := range people {
		if matches(key, p.GetString(fieldVerifier), Hash(saltOf(p), code)) && match == nil {
			match = p
		}
	}
	return match
}

// claim creates person's account and marks their code used, in one
// transaction that checks again that the code is still theirs to claim.
func claim(app core.App, person *core.Record, form *claimForm) (*core.Record, error) {
	accounts, err := app.FindCachedCollectionByNameOrId(catalog.ReturneeAccounts)
	if err != nil {
		return nil, err
	}
	account := core.NewRecord(accounts)
	account.Set("returnee", person.Id)
	account.SetEmail(form.Email)
	account.SetEmailVisibility(false)
	account.SetPassword(form.Password) // bcrypt: outside the transaction

	err = app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(catalog.Returnees, person.Id)
		if err != nil || fresh.GetBool(fieldClaimed) || fresh.GetString(fieldVerifier) != person.GetString(fieldVerifier) ||
			hasAccount(tx, person.Id) {
			return errNotClaimable
		}
		login := form.login()
		if _, err := findByLogin(tx, login); err == nil {
			// a phone shared with someone who claimed before
			if form.Email == "" {
				msg := "Este teléfono ya sirve para entrar a otra cuenta: reclame con su CURP o indique un correo electrónico."
				if form.CURP != "" {
					msg = "Esta CURP ya sirve para entrar a otra cuenta: indique un correo electrónico."
				}
				return validation.Errors{form.identifierField(): validation.NewError("login_taken", msg)}
			}
			login = ""
		}
		account.Set(fieldLogin, login)
		if err := tx.Save(account); err != nil {
			return err
		}
		fresh.Set(fieldClaimed, true)
		fresh.Set(fieldVerifier, "")
		fresh.Set(fieldExpires, "")
		return tx.Save(fresh)
	})
	if err != nil {
		return nil, err
	}
	return account, nil
}

// codeShape is a code as people type it: digits, maybe grouped by spaces or
// dashes.
var codeShape = regexp.MustCompile(`^[0-9][0-9 -]{0,30}$`)

// claimForm is the body of a claim.
type claimForm struct {
	CURP            string `form:"curp" json:"curp"`
	Phone           string `form:"phone" json:"phone"`
	Code            string `form:"code" json:"code"`
	Password        string `form:"password" json:"password"`
	PasswordConfirm string `form:"passwordConfirm" json:"passwordConfirm"`
	Email           string `form:"email" json:"email"`
}

// identifier names the CURP or phone sent, for the rate limit.
func (f *claimForm) identifier() string {
	if f.CURP != "" {
		return curpIdentifier(f.CURP)
	}
	return phoneIdentifier(f.Phone)
}

// identifierField is the form field that names the person.
func (f *claimForm) identifierField() string {
	if f.CURP != "" {
		return "curp"
	}
	return "phone"
}

// login is what the account will sign in with.
func (f *claimForm) login() string {
	if f.CURP != "" {
		return f.CURP
	}
	return phoneKey(f.Phone)
}

func (f *claimForm) validate() error {
	f.CURP = curp.Normalize(f.CURP)
	errs := validation.Errors{}
	switch {
	case f.CURP == "" && f.Phone == "":
		errs["curp"] = validation.NewError("validation_required", "Indica tu CURP o tu teléfono.")
	case f.CURP != "" && f.Phone != "":
		errs["phone"] = validation.NewError("curp_or_phone", "Indica tu CURP o tu teléfono, no ambos.")
	case f.CURP != "":
		var ce *curp.Error
		if err := curp.Validate(f.CURP); errors.As(err, &ce) {
			errs["curp"] = validation.NewError(ce.Code, ce.Message)
		}
	default:
		if n := len(digits(f.Phone)); n < 7 || n > 15 {
			errs["phone"] = validation.NewError("invalid_phone", "El teléfono debe tener de 7 a 15 dígitos.")
		}
	}
	if n := len(digits(f.Code)); n < MinCodeDigits || n > MaxCodeDigits || !codeShape.MatchString(f.Code) {
		errs["code"] = validation.NewError("invalid_code",
			fmt.Sprintf("El código tiene de %d a %d dígitos.", MinCodeDigits, MaxCodeDigits))
	}
	if n := utf8.RuneCountInString(f.Password); n < 8 || n > 71 {
		errs["password"] = validation.NewError("validation_length_out_of_range", "La contraseña debe tener de 8 a 71 caracteres.")
	} else if f.PasswordConfirm != f.Password {
		errs["passwordConfirm"] = validation.NewError("validation_values_mismatch", "Las contraseñas no coinciden.")
	}
	if f.Email != "" {
		if err := validation.Validate(f.Email, validation.Length(1, 255), is.EmailFormat); err != nil {
			errs["email"] = err
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
