// Package claim lets a returnee claim their own account with the one-time
// code a field worker's device gave them at registration:
// POST /api/returnee-accounts/claim.
//
// # The code
//
// At registration the device draws a code of [CodeDigits] digits ([NewCode])
// and shows it to the person (on screen, and on paper to take away). Only a
// hash leaves the device: the returnee's create, through REST or a sync push,
// carries
//
//	claim_hash = hex(sha256("retorno-claim:" + returnee id + ":" + code))
//
// ([Hash]). The record id, drawn at random on the device, is the per-record
// salt, so no table of precomputed hashes serves two records, and the device
// needs no slow key derivation (cheap phones, offline). A later update with
// a new claim_hash issues a new code (the person lost theirs), until the
// account is claimed.
//
// claim_hash is write-only: the server stores it empty. Before the write it
// rehashes the device's hash with bcrypt (cost [HashCost]) into the hidden
// field claim_verifier, which no API answer, realtime message or sync pull
// shows to anyone but superusers, and which only superusers may filter on.
// (A hidden field cannot carry the device's value: PocketBase drops hidden
// fields from the requests of everyone but superusers.) Field workers,
// superusers and Go code may send claim_hash; returnees may not. The server
// sets claim_expires to [CodeTTL] after it received the hash (an offline
// device's registration reaches the server later: the person always has the
// full period), and claimed when the code is used. Both are server-owned:
// values sent by staff or returnees are ignored. A sync conflict record never
// keeps a device's hash (coordinators read sync_conflicts): it is redacted.
// The sync engine's before-images hold the bcrypt verifier, on the server
// only.
//
// # The claim
//
// POST /api/returnee-accounts/claim with
// {"curp" or "phone", "code", "password", "passwordConfirm", "email"?}
// looks the person up by CURP, or by phone (several people may share one: each
// is tried, at most [MaxCandidates]), checks the code against every live code
// found (not expired, not used), and on a match creates their
// returnee_accounts record, marks the code used, and answers like PocketBase's
// auth-with-password: {"token", "record"}.
//
// The account signs in with password auth on returnee_accounts, the identity
// being its email, if the person gave one, or its login: the CURP, or the
// phone's last 10 digits, they claimed with. A phone that is already another
// account's login (a shared family phone) needs a CURP or an email to claim.
// Sign-ins normalise the identity the same way ("+52 744 123 4567" finds
// 7441234567; CURPs ignore case). The email is optional on returnee accounts.
//
// Every refusal that concerns the person (no such person, a wrong code, an
// expired code, a used one) is the same 400 with the same message, and costs
// the same: one bcrypt comparison, against a dummy hash when no live code was
// found. Malformed input (a CURP with a bad check digit, a short password)
// is answered with field errors first, which say nothing about anyone.
//
// # Rate limits
//
// Attempts are recorded in the claim_attempts collection (hashed keys, kept
// an hour), so the limits survive restarts:
//
//   - per client IP ([IPAttempts] per [IPWindow]) and per CURP or phone sent
//     ([PersonAttempts] per [PersonWindow]): beyond either, 429;
//   - per returnee tried ([PersonAttempts] per [PersonWindow]), whatever
//     identifier and IP reached them: beyond it, that person is silently not
//     tried (the answer is the usual 400), so that the limit never tells an
//     attacker that a phone and a CURP belong to the same person.
//
// # Threat model
//
// A code of 10 digits has 10^10 values (8 digits, the least the server
// accepts, 10^8). Online guessing is what the rate limits stop: at 5 tries
// per 15 minutes per person, whatever the number of IPs, an attacker gets
// 14,400 tries over a code's 30 days, a chance of 1.4e-6 (1.4e-4 with 8
// digits). The device's SHA-256 is not a defence: with the salt (the record
// id) known, 10^10 hashes take minutes at most. It travels only under TLS,
// and the server never stores it. What bcrypt protects is a stolen database or
// backup: at cost 10 a server core tries 10-20 codes a second and a
// current GPU some thousands, so the 10^10 codes of one record take a GPU
// weeks (an 8-digit code, hours): a theft does not hand over every unclaimed
// account, though a determined attacker can still crack a few; a field
// worker then issues new codes, which voids the old ones. Side channels: the
// timing of a claim by phone grows with the number of people sharing that
// phone who have a live code (one comparison each), which tells that several
// people share it, not who. A claim succeeds once: the account is created
// and the code cleared in one transaction.
//
// Cost: the bcrypt of a new code runs in the write's transaction, and a sync
// push is one transaction: each registration with a code holds SQLite's
// single writer some 50-100 ms more (a push of 100 registrations, 5-10 s).
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
	"golang.org/x/crypto/bcrypt"
)

// Claim codes and their hashes.
const (
	// CodeDigits is the length of the codes NewCode draws.
	CodeDigits = 10
	// MinCodeDigits and MaxCodeDigits bound the codes a claim accepts.
	MinCodeDigits, MaxCodeDigits = 8, 12
	// CodeTTL is how long a code works after the server received it.
	CodeTTL = 30 * 24 * time.Hour
	// HashCost is the bcrypt cost of the stored hashes.
	HashCost = bcrypt.DefaultCost
	// MaxCandidates is the most people with a live code a claim by phone
	// tries.
	MaxCandidates = 10
)

// Rate limits of claims.
const (
	PersonAttempts = 5
	PersonWindow   = 15 * time.Minute
	IPAttempts     = 20
	IPWindow       = time.Hour
)

// Field names on returnees and returnee_accounts.
const (
	fieldHash     = "claim_hash"
	fieldVerifier = "claim_verifier"
	fieldExpires  = "claim_expires"
	fieldClaimed  = "claimed"
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
