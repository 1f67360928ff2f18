package imports

import (
	"crypto/rand"
	"net/http"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	"github.com/retorno-mx/retorno/catalog"
)

// A staff account made by an import has a random password nobody knows and
// an invitation: a one-time code, shown once in the import's answer, that
// the person uses to set their own password (POST
// /api/staff-invitations/accept). Only its bcrypt is kept (the hidden field
// invite_verifier), for InviteTTL. PocketBase's own mail is not used: these
// deployments send no mail.
const (
	InviteTTL = 14 * 24 * time.Hour
	// inviteAlphabet leaves out letters and digits people confuse (0/O, 1/I/L).
	inviteAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	inviteLength   = 12
)

// Invitation is the code of a staff account an import created (Line is its
// line in the file), or of an account invited again (no line).
type Invitation struct {
	Line    int            `json:"line,omitzero"`
	Email   string         `json:"email"`
	Code    string         `json:"code"`
	Expires types.DateTime `json:"expires"`
}

func bindInvitations(app core.App) {
	// the verifier and its expiry are the server's: no request sets them
	// (they are hidden fields, which PocketBase drops from everyone's
	// requests but superusers'; a superuser's value is dropped too)
	app.OnRecordCreateRequest(catalog.Staff).BindFunc(dropInvite)
	app.OnRecordUpdateRequest(catalog.Staff).BindFunc(dropInvite)
}

func dropInvite(e *core.RecordRequestEvent) error {
	original := e.Record.Original()
	e.Record.Set("invite_verifier", original.GetString("invite_verifier"))
	e.Record.Set("invite_expires", original.GetDateTime("invite_expires"))
	return e.Next()
}

// reinvite handles POST /api/staff/{id}/invitation: a new invitation for a
// staff account (a lost or expired code, a forgotten password), replacing
// the one it had; the password stays until the person accepts it. Superusers
// invite anyone, a coordinator the accounts they could import (of their
// state alone); to anyone else the account does not exist (404).
func reinvite(e *core.RequestEvent) error {
	staff, err := e.App.FindRecordById(catalog.Staff, e.Request.PathValue("id"))
	if err != nil || !staffKind.inScope(e.App, e.Auth, staff) {
		return e.NotFoundError("", nil)
	}
	var result Result
	if err := invite(e.App, staff, 0, &result); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, result.Invitations[0])
}

// invite draws the invitation of a staff account, keeps its bcrypt (the
// last one drawn is the only one valid) and adds its code to result.
func invite(tx core.App, rec *core.Record, line int, result *Result) error {
	code := rand.Text()[:inviteLength]
	code = strings.Map(func(r rune) rune { return rune(inviteAlphabet[int(r)%len(inviteAlphabet)]) }, code)
	verifier, err := bcrypt.GenerateFromPassword([]byte(code), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	rec.Set("invite_verifier", string(verifier))
	rec.Set("invite_expires", types.NowDateTime().Add(InviteTTL))
	if err := tx.SaveNoValidate(rec); err != nil {
		return err
	}
	result.Invitations = append(result.Invitations, Invitation{Line: line, Email: rec.GetString("email"), Code: formatCode(code),
		Expires: rec.GetDateTime("invite_expires")})
	return nil
}

// formatCode groups a code for reading aloud: "ABCD-EFGH-JKMN".
func formatCode(code string) string {
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

type acceptForm struct {
	Email           string `json:"email"`
	Code            string `json:"code"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"passwordConfirm"`
}

// dummyVerifier is compared when no invitation is found, so that the time
// taken does not tell an unknown email from a wrong code.
var dummyVerifier, _ = bcrypt.GenerateFromPassword([]byte("not-a-code"), bcrypt.DefaultCost)

// acceptInvitation sets a staff account's password with its invitation and
// signs it in. An unknown email, a wrong, used or expired code are the same
// 400.
func acceptInvitation(e *core.RequestEvent) error {
	var form acceptForm
	if err := e.BindBody(&form); err != nil {
		return e.BadRequestError("Invalid invitation.", err)
	}
	form.Code = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(form.Code))
	if err := validation.ValidateStruct(&form,
		validation.Field(&form.Email, validation.Required, is.EmailFormat),
		validation.Field(&form.Code, validation.Required, validation.Length(inviteLength, inviteLength)),
		validation.Field(&form.Password, validation.Required, validation.Length(10, 71)),
		validation.Field(&form.PasswordConfirm, validation.Required, validation.In(form.Password).Error("Las contraseñas no coinciden.")),
	); err != nil {
		return e.BadRequestError("Invalid invitation.", err)
	}
	staff, err := e.App.FindAuthRecordByEmail(catalog.Staff, form.Email)
	verifier := dummyVerifier
	live := err == nil && staff.GetString("invite_verifier") != "" && staff.GetDateTime("invite_expires").Time().After(time.Now())
	if live {
		verifier = []byte(staff.GetString("invite_verifier"))
	}
	if bcrypt.CompareHashAndPassword(verifier, []byte(form.Code)) != nil || !live {
		return e.BadRequestError("The invitation is not valid: check the email and the code, or ask for a new invitation.", nil)
	}
	staff.SetPassword(form.Password)
	staff.Set("invite_verifier", "")
	staff.Set("invite_expires", "")
	if err := e.App.Save(staff); err != nil {
		return e.BadRequestError("Invalid invitation.", err)
	}
	e.Set("status", http.StatusOK)
	return apis.RecordAuthResponse(e, staff, core.MFAMethodPassword, nil)
}
