package listrule

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Reads returns the fields of col that rule, specialized for auth
// (specialize), still names; none when the specialized rule is decided. ok
// is false when the rule cannot be specialized: the caller must then take
// it that the rule reads every field.
//
// A write that changes none of these fields leaves what auth may list of
// the record as it was: the rule is evaluated on the same values (relations
// and other collections resolve as they are at the time of the test).
func Reads(app core.App, col *core.Collection, rule string, auth *core.Record) (fields []string, ok bool) {
	v, ok := specialize(app, col, rule, auth)
	if !ok {
		return nil, false
	}
	if v.known != unknown {
		return nil, true
	}
	for _, f := range col.Fields {
		if Names(v.text, f.GetName()) {
			fields = append(fields, f.GetName())
		}
	}
	return fields, true
}

// Names reports whether rule names field: as a word, whether it is the
// record's own field, a hop of a path or a field of another collection (a
// superset, so never a field the rule reads).
func Names(rule, field string) bool {
	for i := strings.Index(rule, field); i >= 0; {
		end := i + len(field)
		if (i == 0 || !isWordByte(rule[i-1])) && (end == len(rule) || !isWordByte(rule[end])) {
			return true
		}
		next := strings.Index(rule[i+1:], field)
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
