// Package certificates issues the certificates of training courses and lets
// anyone check one.
//
// A person's enrollment that a NODESS marks completed gets a verification
// code, drawn by the server in the write's transaction, whatever the write
// path (REST, batch, the sync push, Go code): ten characters of Crockford's
// base 32 (50 random bits), unique (an index of enrollments), with the day
// of the completion (completed_on, Mexico City's calendar day). Both fields
// are the server's: a value sent by staff or the person is never kept. The
// person prints their certificate with the code (the web app's
// /returnee/certificates/{enrollment}); whoever holds the paper checks it at
// the public page /verificar/{code}, which asks
//
//	GET /api/certificates/{code}
//
// and answers only the course, the day and whether the certificate is valid:
// never the person's name, which the paper shows and the check must not
// give to someone who merely guesses codes. Revocation: a NODESS moves the
// enrollment out of completed (back to enrolled, or dropped); the code then
// answers "revoked" (not valid) with its course and day, so that a paper
// shown later is seen to be withdrawn. Completing it again issues a new
// code; the old one answers like a code never issued. An enrollment deleted
// (the person erased, the course deleted) takes its code with it.
//
// Guessing: a check is rate limited per address by PocketBase's limiter
// (pb_migrations/1764201772_certificate_rate_limit.go: 30 a minute); at that
// pace a guesser tries about 43,000 codes a day against 2^50 possible, so
// with a million certificates issued the chance of hitting one is below one
// in 25,000 a day per address.
package certificates

import "github.com/pocketbase/pocketbase/core"

// Register binds the issuing of codes to enrollments and serves the public
// check.
func Register(app core.App) error {
	bindIssue(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/certificates/{code}", verify)
		return se.Next()
	})
	return nil
}
