package claim

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SetClock makes the rate limits read the time from clock until restore.
func SetClock(clock func() time.Time) (restore func()) {
	old := now
	now = func() types.DateTime {
		t, _ := types.ParseDateTime(clock())
		return t
	}
	return func() { now = old }
}

// Admit is admit, for tests that simulate long attacks without bcrypt.
func Admit(app core.App, ip, identifier string, candidates []*core.Record) (bool, []*core.Record, error) {
	return admit(app, ip, identifier, candidates)
}

// CURPIdentifier is how a claim by CURP is named for the limits.
func CURPIdentifier(c string) string { return curpIdentifier(c) }

// Compared is how many verifiers the claims have compared so far.
func Compared() int64 { return compared.Load() }
