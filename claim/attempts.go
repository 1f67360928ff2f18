package claim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/curp"
)

// attemptsCollection holds one record per admitted attempt and key limited.
const attemptsCollection = "claim_attempts"

// retention is how long attempts are kept: the longest window.
const retention = max(IPWindow, PersonWindow)

// What the limits count.
const (
	kindSource     = "ip"
	kindIdentifier = "identifier" // a CURP or phone sent
	kindPerson     = "returnee"   // a person tried
)

// now is the rate limits' clock (tests move it).
var now = types.NowDateTime

// digest hashes what is limited: IP addresses, CURPs and phones are
// personal data, and the attempts table needs only to tell them apart.
func digest(kind, value string) string {
	sum := sha256.Sum256([]byte("retorno-claim-attempt:" + kind + ":" + value))
	return hex.EncodeToString(sum[:16])
}

// sourceKey is the key of a source's attempts, whatever they tried.
func sourceKey(source string) string { return digest(kindSource, source) }

// attemptKey is the key of source's attempts on value (of kind): value's
// digest, a slash, a digest of source. The attempts of all sources on one
// value are a range of keys (see valueRange), counted for the shared
// budget and deleted by a new code.
func attemptKey(kind, value, source string) string {
	return digest(kind, value) + "/" + digest(kindSource, source)[:16]
}

// valueRange bounds the keys of every source's attempts on value: hex digits
// sort after the slash, and "0" right after it (neither bound is a key).
func valueRange(kind, value string) dbx.Expression {
	d := digest(kind, value)
	return dbx.Between("key", d+"/", d+"0")
}

// curpIdentifier and phoneIdentifier name what a claim was sent, for the
// limits: a phone by its key, as people type it in many ways.
func curpIdentifier(c string) string  { return "curp:" + curp.Normalize(c) }
func phoneIdentifier(p string) string { return "phone:" + phoneKey(p) }

// sourceOf is what the limits count as one client: an IPv4 address, or the
// /48 of an IPv6 address.
func sourceOf(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if addr = addr.Unmap(); addr.Is4() {
		return addr.String()
	}
	prefix, err := addr.Prefix(48)
	if err != nil {
		return ip
	}
	return prefix.String()
}

// admit records a claim attempt, in one transaction: ok is false, and
// nothing is recorded, when the request's source is over its limit or may
// not try the identifier (see allowed); otherwise tried are the people (of
// candidates) the source may try, and the attempt is charged to the source,
// the identifier and each of them.
func admit(app core.App, ip, identifier string, candidates []*core.Record) (ok bool, tried []*core.Record, err error) {
	source := sourceOf(ip)
	err = app.RunInTransaction(func(tx core.App) error {
		t := now()
		_, err := tx.DB().NewQuery("DELETE FROM " + attemptsCollection + " WHERE created < {:cutoff}").
			Bind(dbx.Params{"cutoff": t.Add(-retention).String()}).Execute()
		if err != nil {
			return err
		}
		n, err := count(tx, dbx.HashExp{"key": sourceKey(source)}, t.Add(-IPWindow))
		if err != nil || n >= IPAttempts {
			return err
		}
		if ok, err = allowed(tx, kindIdentifier, identifier, source, t); err != nil || !ok {
			return err
		}
		keys := []string{sourceKey(source), attemptKey(kindIdentifier, identifier, source)}
		for _, c := range candidates {
			open, err := allowed(tx, kindPerson, c.Id, source, t)
			if err != nil {
				return err
			}
			if open {
				tried = append(tried, c)
				keys = append(keys, attemptKey(kindPerson, c.Id, source))
			}
		}
		return charge(tx, keys, t)
	})
	if err != nil {
		return false, nil, fmt.Errorf("claim attempts: %w", err)
	}
	return ok, tried, nil
}

// allowed reports whether source may try value (of kind) at t: while value
// has had fewer than PersonAttempts attempts in PersonWindow, from anyone;
// once they are spent, if source has made fewer than FreshAttempts of them.
// Strangers spending the budget never refuse a source they have not used.
func allowed(app core.App, kind, value, source string, t types.DateTime) (bool, error) {
	since := t.Add(-PersonWindow)
	n, err := count(app, valueRange(kind, value), since)
	if err != nil || n < PersonAttempts {
		return err == nil, err
	}
	mine, err := count(app, dbx.HashExp{"key": attemptKey(kind, value, source)}, since)
	return mine < FreshAttempts, err
}

// count counts the attempts matching keys made after since.
func count(app core.App, keys dbx.Expression, since types.DateTime) (int, error) {
	var n int
	err := app.DB().Select("COUNT(*)").From(attemptsCollection).
		Where(keys).
		AndWhere(dbx.NewExp("created > {:since}", dbx.Params{"since": since.String()})).
		Row(&n)
	return n, err
}

// charge records one attempt at t under each key.
func charge(app core.App, keys []string, t types.DateTime) error {
	col, err := app.FindCachedCollectionByNameOrId(attemptsCollection)
	if err != nil {
		return err
	}
	for _, key := range keys {
		r := core.NewRecord(col)
		r.Set("key", key)
		r.SetRaw("created", t)
		if err := app.SaveNoValidate(r); err != nil {
			return err
		}
	}
	return nil
}

// ForgetAttempts forgets every attempt on person, on their CURP and on
// their phone, from every source: a new code is a new secret, and what was
// tried against the old one says nothing about it; an erased person leaves
// no trace (package privacy).
func ForgetAttempts(app core.App, person *core.Record) error {
	ranges := []dbx.Expression{valueRange(kindPerson, person.Id)}
	if c := person.GetString("curp"); c != "" {
		ranges = append(ranges, valueRange(kindIdentifier, curpIdentifier(c)))
	}
	if p := person.GetString("phone"); p != "" {
		ranges = append(ranges, valueRange(kindIdentifier, phoneIdentifier(p)))
	}
	_, err := app.DB().Delete(attemptsCollection, dbx.Or(ranges...)).Execute()
	if err != nil {
		return fmt.Errorf("claim attempts: reset: %w", err)
	}
	return nil
}
