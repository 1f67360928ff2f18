package claim

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Claim codes and their hashes.
const (
	// CodeDigits is the length of the codes NewCode draws.
	CodeDigits = 10
	// MinCodeDigits and MaxCodeDigits bound the codes a claim accepts.
	MinCodeDigits, MaxCodeDigits = 8, 12
	// CodeTTL is how long a code works after the server received it.
	CodeTTL = 30 * 24 * time.Hour
	// MaxCandidates is the most people with a live code a claim by phone
	// tries.
	MaxCandidates = 10
)

// Rate limits of claims (see the package documentation).
const (
	// PersonAttempts is the budget of a CURP, a phone or a person, from all
	// sources, per PersonWindow.
	PersonAttempts = 10
	PersonWindow   = 24 * time.Hour
	// FreshAttempts is what each source may still try, per PersonWindow, on
	// a CURP, phone or person whose budget is spent.
	FreshAttempts = 1
	// IPAttempts is the budget of a source (an IPv4 address, an IPv6 /48)
	// per IPWindow, whatever it tries.
	IPAttempts = 20
	IPWindow   = time.Hour
)

// Field names on returnees and returnee_accounts.
const (
	fieldHash     = "claim_hash"
	fieldVerifier = "claim_verifier"
	fieldExpires  = "claim_expires"
	fieldClaimed  = "claimed"
	fieldSalt     = "claim_salt"
	fieldLogin    = "login"
)

// Register binds the claim hooks and the claim route to app.
func Register(app core.App) error {
	bindCodes(app)
	bindAccounts(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/returnee-accounts/claim", claimAccount)
		return se.Next()
	})
	return nil
}

// NewCode draws a claim code of CodeDigits digits with crypto/rand.
func NewCode() string {
	n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(CodeDigits), nil))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%0*d", CodeDigits, n)
}

// Hash is what a device sends as claim_hash for the code it gave the person
// of the returnee record returneeID: hex(sha256("retorno-claim:" + id + ":" +
// code)), code being digits only (spaces and dashes a person types are
// dropped).
func Hash(returneeID, code string) string {
	sum := sha256.Sum256([]byte("retorno-claim:" + returneeID + ":" + digits(code)))
	return hex.EncodeToString(sum[:])
}

// saltKey is a custom (non-field) record key: the id a device hashed a new
// code with, when it is not the record's (SetSalt).
const saltKey = "@claim_salt"

// SetSalt says that the claim_hash being written on person was hashed by a
// device with the id salt, not the person's: a registration made offline and
// rebound at sync to someone already known, whose code the device drew for
// its own id. The code stays valid for the person.
func SetSalt(person *core.Record, salt string) {
	person.SetRaw(saltKey, salt)
}

// saltOf is the id person's code was hashed with.
func saltOf(person *core.Record) string {
	if salt := person.GetString(fieldSalt); salt != "" {
		return salt
	}
	return person.Id
}

// digits keeps the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// phoneKey is how a claim and a sign-in compare phones: the last 10 digits
// (a Mexican or US number without its country code), or all of a shorter
// one.
func phoneKey(s string) string {
	d := digits(s)
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	return d
}

// phoneForms are the ways a phone with this key may be stored on a returnee
// (the phone field holds an optional + and 7-15 digits).
func phoneForms(s string) []string {
	d, key := digits(s), phoneKey(s)
	forms := []string{d, "+" + d, key, "+" + key}
	if len(key) == 10 {
		for _, cc := range []string{"52", "521", "1"} {
			forms = append(forms, cc+key, "+"+cc+key)
		}
	}
	return forms
}
