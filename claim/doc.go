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
// keeps, in the hidden field claim_verifier, an HMAC-SHA256 of the device's
// hash under the server's claim key ([KeyFile], a file beside the database,
// not in it; key.go), which no API answer, realtime message or sync pull
// shows to anyone but superusers, and which only superusers may filter on.
// (A hidden field cannot carry the device's value: PocketBase drops hidden
// fields from the requests of everyone but superusers.) Field workers,
// superusers and Go code may send claim_hash; returnees may not. The server
// sets claim_expires to [CodeTTL] after it received the hash (an offline
// device's registration reaches the server later: the person always has the
// full period), and claimed when the code is used. Both are server-owned:
// values sent by staff or returnees are ignored. A sync conflict record never
// keeps a device's hash (coordinators read sync_conflicts): it is redacted.
// The sync engine's before-images hold the verifier, on the server only.
// Codes stored before the key existed keep their bcrypt verifier, checked
// as such until they expire.
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
// the same: one verifier compared, against a dummy one when no live code was
// found. Malformed input (a CURP with a bad check digit, a short password)
// is answered with field errors first, which say nothing about anyone.
//
// # Rate limits
//
// Attempts are recorded in the claim_attempts collection (hashed keys, kept
// a day, [PersonWindow]), so the limits survive restarts. A source is the
// client's IPv4 address, or the /48 of its IPv6 address (what one
// subscriber or one free tunnel gets: counting /64s would hand such an
// attacker 65,536 sources).
//
//   - Per source, whatever the CURP or phone: [IPAttempts] per [IPWindow];
//     beyond, 429.
//   - Per CURP or phone sent, from all sources: [PersonAttempts] per
//     [PersonWindow]. Once they are spent, a source is still admitted if it
//     has made fewer than [FreshAttempts] attempts on that CURP or phone in
//     the window (its first); otherwise 429.
//   - Per returnee tried, whatever identifier reached them, the same
//     budget: beyond it, that person is silently not tried (the answer is
//     the usual 400), so that the limit never tells an attacker that a
//     phone and a CURP belong to the same person. Unknown CURPs and phones
//     are limited like known ones, so a 429 says nothing either.
//
// Only admitted attempts are recorded: a refused one neither counts nor
// prolongs anything. A new code (registration, or a field worker's "Dar un
// código nuevo") forgets every attempt on the person, their CURP and their
// phone: the guesses were made against a code that no longer works.
//
// # Threat model
//
// The attacker knows the person's CURP or phone (a CURP follows from the
// name, birth date and state; phones get around), may send any number of
// requests for the code's whole life, from as many addresses as they can
// rent (a residential proxy pool, a botnet, an IPv6 tunnel), and reads
// every answer. They want one of two things: the person's account (guess
// the code), or to keep the person out of it (a lock-out).
//
// The code has 10 random digits, drawn with a CSPRNG on the device (the
// web app's newClaimCode, [NewCode]): 10^10 values. The server accepts 8 to
// 12 digits as people type them, but only the device's code matches.
//
// What stops brute force: over any [PersonWindow], the checks that reach
// one person's code number at most PersonAttempts + FreshAttempts × S,
// S being the sources the attacker uses in that window (each source's
// first attempt; everything else comes out of the shared budget). Over a
// code's 30 days ([CodeTTL]), with 10 and 1:
//
//	sources a day    checks in 30 days   chance of finding the code
//	1                330                 3e-8
//	1,000            30,300              3e-6
//	100,000          3,000,300           3e-4
//
// The limits are the ceiling: a comparison costs microseconds, so the
// server no longer slows an attacker down by its own cost (bcrypt did, when
// the verifiers were bcrypt); the attempt budgets above decide, whatever
// the number of addresses, and every admitted attempt is a row in
// claim_attempts that operators see. Claims by phone try at most
// [MaxCandidates] people.
//
// Why a stranger cannot lock the person out: nothing a stranger does from
// their own sources refuses a source they have not used. The person's
// first attempt from any network (their phone's data, a café's wifi) on
// their CURP or phone in the last day is always checked, so the right code
// works at once however many wrong ones others sent. A source that has
// tried already (a typo, once the budget is spent) is checked again
// PersonWindow after its own last admitted attempt, which only its own
// attempts move; at once from another network; or at once after a field
// worker gives a new code. The remaining lock-out is a stranger on the same
// source (the same carrier-grade NAT address or IPv6 /48) spending its
// IPAttempts: the person then claims from another network. Shared growing
// delays or a lock per CURP, as before, would let a stranger keep a person
// out by spending a few guesses now and then; delays per source alone
// would not bound an attacker with many sources.
//
// The device's SHA-256 is not a defence: with the salt (the record id)
// known, 10^10 hashes take minutes at most. It travels only under TLS, and
// the server never stores it. What the verifier protects is a stolen
// database or backup. The threat model:
//
//   - data.db alone (a stolen disk image of the database, a leaked
//     Litestream replica, a copied backup of the database file): the
//     verifiers are HMACs under a key that is not in it, so no code can be
//     tested offline at any cost: not one account is exposed;
//   - data.db and the key file together (the whole data directory, a
//     PocketBase backup zip, the server itself): 10^10 HMACs per record take
//     a GPU seconds, so every live, unclaimed code falls. bcrypt made that
//     weeks per record, at 50-100 ms of the write's transaction per code
//     (below); the codes are one-time and expire in [CodeTTL], and such a
//     thief reads every person's data anyway: the codes only open accounts
//     not yet claimed, whose owners a field worker gives new codes;
//   - the key file alone says nothing.
//
// So the key is kept with the data directory, readable by the server's user
// only (mode 0600), and backed up beside the database but not with it in
// the same place when the backups leave the server (docs/OPERATIONS.md). Side channels: the timing of a claim by
// phone grows with the number of people sharing that phone who have a live
// code (one comparison each), which tells that several people share it,
// not who. A claim succeeds once: the account is created and the code
// cleared in one transaction.
//
// Cost: the HMAC of a new code runs in the write's transaction in about a
// microsecond (issue 16: a bcrypt there held SQLite's single writer 50-100
// ms a registration, so a push of 100 registrations took 5-10 s more).
package claim
