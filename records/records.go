// Package records holds typed wrappers of Retorno's central records
// (PocketBase's core.BaseRecordProxy): getters named after the fields, so
// that code reads person.ReceptionPoint() instead of
// r.GetString("reception_point") and a renamed field is a compile error in
// one file. Collection names live in package catalog.
package records

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/txmemo"
)

// Returnee is a record of returnees: a person received at a reception point.
type Returnee struct{ core.BaseRecordProxy }

// AsReturnee wraps r, a record of returnees.
func AsReturnee(r *core.Record) *Returnee {
	p := &Returnee{}
	p.SetProxyRecord(r)
	return p
}

// FindReturnee loads the returnee id: once in a transaction (txmemo), a
// copy of it each time, to read or change and save.
func FindReturnee(app core.App, id string) (*Returnee, error) {
	r, err := txmemo.Get(app, catalog.Returnees+"/"+id, func() (*core.Record, error) {
		return app.FindRecordById(catalog.Returnees, id)
	})
	if err != nil {
		return nil, err
	}
	return AsReturnee(r.Clone()), nil
}

// GivenNames is the field given_names.
func (p *Returnee) GivenNames() string { return p.GetString("given_names") }

// FirstSurname is the field first_surname.
func (p *Returnee) FirstSurname() string { return p.GetString("first_surname") }

// SecondSurname is the field second_surname.
func (p *Returnee) SecondSurname() string { return p.GetString("second_surname") }

// BirthDate is the field birth_date (YYYY-MM-DD).
func (p *Returnee) BirthDate() string { return p.GetString("birth_date") }

// Sex is the field sex (catalog.Sexes).
func (p *Returnee) Sex() string { return p.GetString("sex") }

// CURP is the field curp.
func (p *Returnee) CURP() string { return p.GetString("curp") }

// BirthState is the field birth_state.
func (p *Returnee) BirthState() string { return p.GetString("birth_state") }

// DestinationState is the field destination_state.
func (p *Returnee) DestinationState() string { return p.GetString("destination_state") }

// ReceptionPoint is the field reception_point.
func (p *Returnee) ReceptionPoint() string { return p.GetString("reception_point") }

// Phone is the field phone.
func (p *Returnee) Phone() string { return p.GetString("phone") }

// RepatriationDate is the field repatriation_date (YYYY-MM-DD): the date of
// the person's latest return.
func (p *Returnee) RepatriationDate() string { return p.GetString("repatriation_date") }

// Languages is the field languages: the languages the person speaks
// (catalog.Languages).
func (p *Returnee) Languages() []string { return p.GetStringSlice("languages") }

// FindReturneeIfAny is FindReturnee, but a person who no longer exists
// (deleted in the same write, their children with them) is nil, not an
// error.
func FindReturneeIfAny(app core.App, id string) (*Returnee, error) {
	p, err := FindReturnee(app, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// HasConsent reports whether the returnee id has a granted, not withdrawn
// consent of purpose (catalog.ConsentPurposes).
// Asked once in a transaction (txmemo).
func HasConsent(app core.App, id, purpose string) (bool, error) {
	return txmemo.Get(app, catalog.Consents+"/"+id+"/"+purpose, func() (bool, error) {
		var n int
		err := app.DB().Select("count(*)").From(catalog.Consents).Where(dbx.HashExp{
			"returnee": id, "purpose": purpose, "granted": true, "withdrawn_at": "",
		}).Row(&n)
		return n > 0, err
	})
}

// NodessConsent is the field nodess_consent: a granted, not withdrawn
// share_nodess consent exists.
func (p *Returnee) NodessConsent() bool { return p.GetBool("nodess_consent") }

// Staff is a record of staff: a field worker (ReceptionPoint), NODESS staff
// (Nodess) or a coordinator (State).
type Staff struct{ core.BaseRecordProxy }

// AsStaff wraps r, a record of staff.
func AsStaff(r *core.Record) *Staff {
	s := &Staff{}
	s.SetProxyRecord(r)
	return s
}

// Role is the field role (catalog.StaffRoles).
func (s *Staff) Role() string { return s.GetString("role") }

// ReceptionPoint is the field reception_point.
func (s *Staff) ReceptionPoint() string { return s.GetString("reception_point") }

// Nodess is the field nodess.
func (s *Staff) Nodess() string { return s.GetString("nodess") }

// State is the field state.
func (s *Staff) State() string { return s.GetString("state") }

// Active is the field active: off, the account's tokens and sign-in are
// refused (package accounts).
func (s *Staff) Active() bool { return s.GetBool("active") }

// IsFieldWorker reports whether s registers people at a reception point.
func (s *Staff) IsFieldWorker() bool { return s.ReceptionPoint() != "" }

// Role names what auth acts as: a staff member's role (catalog.StaffRoles),
// "returnee" for a returnee account, "superuser", "" for none (a guest, or a
// system write) and "other" for any other auth record.
func Role(auth *core.Record) string {
	switch {
	case auth == nil:
		return ""
	case auth.IsSuperuser():
		return "superuser"
	case auth.Collection().Name == catalog.Staff:
		return auth.GetString("role")
	case auth.Collection().Name == catalog.ReturneeAccounts:
		return "returnee"
	}
	return "other"
}
