package catalog

import "slices"

// SensitiveNeeds are the values of Needs that are sensitive personal data
// (datos personales sensibles, LGPDPPSO art. 3 X: the present or future state
// of health, physical or mental): a need of health care or of psychosocial
// support tells how the person is. They are stored only while the person has
// a granted, not withdrawn sensitive_data consent (hooks/sensitive.go).
//
// The other needs are not: documents, shelter, transport, work, training,
// legal advice (which says nothing of the matter), family contact and money
// are what everyone returned needs, and NODESS plan their courses with them.
var SensitiveNeeds = []string{"health", "psychosocial"}

// ConsentSensitive is the consent purpose that lets a person's sensitive
// needs be stored.
const ConsentSensitive = "sensitive_data"

// SensitiveOf returns the values of needs that are sensitive, in order.
func SensitiveOf(needs []string) []string {
	var out []string
	for _, n := range needs {
		if slices.Contains(SensitiveNeeds, n) {
			out = append(out, n)
		}
	}
	return out
}

// Withholding is what a role does not receive of a collection's records, on
// every read path: the REST API (list, view, expand), realtime, the sync pull
// and the push's answers, and exports. A role may not filter, sort or expand
// by a field withheld from it in any way.
type Withholding struct {
	// Fields are never sent.
	Fields []string
	// Consented are sent only when the record's bool field Consent is true.
	Consented []string
	Consent   string
	// Values are taken out of multi-valued fields: field -> values.
	Values map[string][]string
}

// Empty reports whether w withholds nothing.
func (w Withholding) Empty() bool {
	return len(w.Fields) == 0 && len(w.Consented) == 0 && len(w.Values) == 0
}

// Withholds reports whether w withholds field in any way (the field, its
// value for some records, or some of its values).
func (w Withholding) Withholds(field string) bool {
	_, values := w.Values[field]
	return values || slices.Contains(w.Fields, field) || slices.Contains(w.Consented, field)
}

// sensitiveNeeds takes the sensitive values out of needs.
var sensitiveNeeds = map[string][]string{"needs": SensitiveNeeds}

// withheld is what each role does not receive, by collection (docs/DESIGN.md,
// "Roles and scopes"). Field workers receive all of the people of their
// point (they collect it, with the person, and give the services), a
// returnee all of their own, superusers everything.
//
//   - NODESS staff accompany people into training, savings groups and
//     cooperatives: they receive names, destination, repatriation date,
//     languages, work history, skills and the needs that are not sensitive;
//     the phone only while the person shares their data with NODESS
//     (share_nodess, derived into nodess_consent); never the CURP or what
//     only it follows from (its confirmation, the birth state), the points
//     the person came through, who registered them, or their account.
//   - Coordinators supervise their state's points and people: they receive
//     what their screens show (the person's record, returns, consents), less
//     the sensitive needs, which stay where the service is given.
var withheld = map[string]map[string]Withholding{
	"nodess_staff": {
		Returnees: {
			Fields: []string{"curp", "curp_confirmed", "birth_state", "reception_point", "previous_point",
				"registered_by", "claimed", "claim_expires"},
			Consented: []string{"phone"},
			Consent:   "nodess_consent",
			Values:    sensitiveNeeds,
		},
		// NODESS staff do not read returns (list rule); should a rule ever
		// widen, the needs at each return stay as withheld as the person's
		Returns: {Values: sensitiveNeeds},
	},
	"coordinator": {
		Returnees: {Values: sensitiveNeeds},
		Returns:   {Values: sensitiveNeeds},
	},
}

// Withheld returns what role (records.Role: "field_worker", "nodess_staff",
// "coordinator", "returnee", "superuser", "" for a guest) does not receive
// of collection's records.
func Withheld(role, collection string) Withholding {
	return withheld[role][collection]
}
