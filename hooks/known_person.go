package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/records"
)

// notRebound are the fields of a registration that do not merge into the
// person it is rebound to: the id and CURP it was found by, the claim code
// (kept for the person with its own salt), and what the person's returns
// and the server decide.
var notRebound = append([]string{"id", "curp", "claim_hash", "registered_by", "rev", "created", "updated"}, returnDerived...)

// knownPersonKey marks, as a custom record key that no request can set, the
// return of a registration rebound by its CURP: its person is not yet in the
// worker's scope, which the return grants (scope_grants.go).
const knownPersonKey = "@known_person"

// knownPerson recognises, in a sync push, a field worker's registration of
// someone the server already holds: a create of a returnee whose CURP
// another person has (registered at another point, or by another device of
// the same point while both were offline). Instead of refusing it, the
// registration becomes a new return of that person at the worker's point,
// with the registration's id (the return that brings the person into the
// worker's scope, reviewed by the state's coordinator: scope_grants.go);
// the code the device handed out stays valid for the person; and the sync
// engine merges the registration's other values into the person, field by
// field (devicesync/rebind.go).
func knownPerson(tx core.App, auth *core.Record, m devicesync.Mutation) (devicesync.Known, *devicesync.MutationError, error) {
	value, _ := m.Fields["curp"].(string)
	c := curp.Normalize(value)
	if c == "" || role(auth) != "field_worker" {
		return devicesync.Known{}, nil, nil
	}
	var owner string
	err := tx.DB().Select("id").From(catalog.Returnees).
		Where(dbx.HashExp{"curp": c}).AndWhere(dbx.Not(dbx.HashExp{"id": m.RecordID})).Limit(1).Row(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return devicesync.Known{}, nil, nil // a new person
	case err != nil:
		return devicesync.Known{}, nil, fmt.Errorf("known person: %w", err)
	}

	ret, err := newReturn(tx, auth, owner, m)
	if err != nil {
		return devicesync.Known{}, nil, err
	}
	if err := tx.Save(ret); err != nil {
		refused, ok := devicesync.RefusalOf(err)
		if !ok {
			return devicesync.Known{}, nil, err
		}
		return devicesync.Known{}, refused, nil
	}
	if refused, err := keepClaimCode(tx, auth, owner, m); err != nil || refused != nil {
		return devicesync.Known{}, refused, err
	}

	fields := maps.Clone(m.Fields)
	for _, f := range notRebound {
		delete(fields, f)
	}
	return devicesync.Known{ID: owner, Fields: fields}, nil, nil
}

// newReturn is the return of a registration rebound to person: at the
// worker's point, on the registration's repatriation date, with its needs,
// registered when the device says (not later than now), under the
// registration's id.
func newReturn(tx core.App, auth *core.Record, person string, m devicesync.Mutation) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId(catalog.Returns)
	if err != nil {
		return nil, err
	}
	ret := core.NewRecord(col)
	ret.Id = m.RecordID
	ret.Set("returnee", person)
	ret.Set("reception_point", records.AsStaff(auth).ReceptionPoint())
	ret.Set("repatriation_date", m.Fields["repatriation_date"])
	ret.Set("needs", m.Fields["needs"])
	at, err := types.ParseDateTime(m.ClientTS)
	if err != nil || at.IsZero() || at.Time().After(time.Now()) {
		at = types.NowDateTime()
	}
	ret.Set("registered_at", at)
	ret.SetRaw(knownPersonKey, true)
	actor.Set(ret, auth)
	return ret, nil
}

// keepClaimCode issues for person the code the device handed out with the
// registration, hashed with the registration's id, unless the person already
// has an account (their sign-in stands; the code is not needed).
func keepClaimCode(tx core.App, auth *core.Record, person string, m devicesync.Mutation) (*devicesync.MutationError, error) {
	hash, _ := m.Fields["claim_hash"].(string)
	if hash == "" {
		return nil, nil
	}
	found, err := records.FindReturnee(tx, person)
	if err != nil {
		return nil, err
	}
	record := found.ProxyRecord()
	if record.GetBool("claimed") {
		return nil, nil
	}
	if _, err := tx.FindFirstRecordByData(catalog.ReturneeAccounts, "returnee", person); err == nil {
		return nil, nil
	}
	record.Set("claim_hash", hash)
	claim.SetSalt(record, m.RecordID)
	actor.Set(record, auth)
	if err := tx.Save(record); err != nil {
		if refused, ok := devicesync.RefusalOf(err); ok {
			return refused, nil
		}
		return nil, err
	}
	return nil, nil
}
