package claim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// attemptsCollection holds one record per attempt and key limited.
const attemptsCollection = "claim_attempts"

// retention is how long attempts are kept: the longest window.
const retention = max(IPWindow, PersonWindow)

// limit is a number of attempts allowed per window.
type limit struct {
	attempts int
	window   time.Duration
}

var (
	perIP     = limit{IPAttempts, IPWindow}
	perPerson = limit{PersonAttempts, PersonWindow}
)

// attemptKey hashes what is limited: IP addresses, CURPs and phones are
// personal data, and the attempts table needs only to tell them apart.
func attemptKey(kind, value string) string {
	sum := sha256.Sum256([]byte("retorno-claim-attempt:" + kind + ":" + value))
	return hex.EncodeToString(sum[:16])
}

// admit records a claim attempt, in one transaction: ok is false, and
// nothing is recorded, when the request's IP or identifier is over its
// limit; otherwise tried are the people (of candidates) still within theirs,
// each charged one attempt.
func admit(app core.App, ip, identifier string, candidates []*core.Record) (ok bool, tried []*core.Record, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		now := types.NowDateTime()
		_, err := tx.DB().NewQuery("DELETE FROM " + attemptsCollection + " WHERE created < {:cutoff}").
			Bind(dbx.Params{"cutoff": now.Add(-retention).String()}).Execute()
		if err != nil {
			return err
		}
		ipKey, idKey := attemptKey("ip", ip), attemptKey("identifier", identifier)
		for _, c := range []struct {
			key string
			limit
		}{{ipKey, perIP}, {idKey, perPerson}} {
			over, err := overLimit(tx, c.key, c.limit, now)
			if err != nil || over {
				return err
			}
		}
		ok = true
		keys := []string{ipKey, idKey}
		for _, c := range candidates {
			key := attemptKey("returnee", c.Id)
			over, err := overLimit(tx, key, perPerson, now)
			if err != nil {
				return err
			}
			if !over {
				tried = append(tried, c)
				keys = append(keys, key)
			}
		}
		return charge(tx, keys)
	})
	if err != nil {
		return false, nil, fmt.Errorf("claim attempts: %w", err)
	}
	return ok, tried, nil
}

// overLimit reports whether key has used up its attempts of l's window.
func overLimit(app core.App, key string, l limit, now types.DateTime) (bool, error) {
	var n int
	err := app.DB().Select("COUNT(*)").From(attemptsCollection).
		Where(dbx.HashExp{"key": key}).
		AndWhere(dbx.NewExp("created > {:since}", dbx.Params{"since": now.Add(-l.window).String()})).
		Row(&n)
	return n >= l.attempts, err
}

// charge records one attempt under each key.
func charge(app core.App, keys []string) error {
	col, err := app.FindCachedCollectionByNameOrId(attemptsCollection)
	if err != nil {
		return err
	}
	for _, key := range keys {
		r := core.NewRecord(col)
		r.Set("key", key)
		if err := app.SaveNoValidate(r); err != nil {
			return err
		}
	}
	return nil
}
