package reports

import (
	"fmt"
	"reflect"
)

// Bands splits a count of events (returns, referrals, enrollments,
// memberships) by the sex of the person each one concerns and by the
// person's age at the event: a return's date, or the day a referral,
// enrollment or membership was recorded. An event whose person the caller
// may not list (a NODESS's enrollment of someone who shares no data with it)
// counts under SexUnknown and AgeUnknown, so that each split adds up to the
// count it splits.
type Bands struct {
	Women      int `json:"women" db:"women"`
	Men        int `json:"men" db:"men"`
	SexOther   int `json:"sex_other" db:"sex_other"`
	SexUnknown int `json:"sex_unknown" db:"sex_unknown"`
	Age0To17   int `json:"age_0_17" db:"age_0_17"`
	Age18To29  int `json:"age_18_29" db:"age_18_29"`
	Age30To44  int `json:"age_30_44" db:"age_30_44"`
	Age45To59  int `json:"age_45_59" db:"age_45_59"`
	Age60Up    int `json:"age_60_up" db:"age_60_up"`
	AgeUnknown int `json:"age_unknown" db:"age_unknown"`
}

// ageBands are the age bands in years, from and to included (-1: no end).
var ageBands = []struct {
	column   string
	from, to int
}{{"age_0_17", 0, 17}, {"age_18_29", 18, 29}, {"age_30_44", 30, 44}, {"age_45_59", 45, 59}, {"age_60_up", 60, -1}}

// bandColumns are the SELECT expressions of Bands over the rows of a
// grouped query: person is the alias of the returnees table (NULL where the
// caller may not list the person), at an SQL expression of the event's date
// ("YYYY-MM-DD", or a datetime that starts so).
func bandColumns(person, at string) []string {
	birth := person + ".[[birth_date]]"
	age := fmt.Sprintf("(CASE WHEN length(%[1]s) = 10 AND length(%[2]s) >= 10 THEN "+
		"CAST(substr(%[2]s, 1, 4) AS INTEGER) - CAST(substr(%[1]s, 1, 4) AS INTEGER) - (substr(%[2]s, 6, 5) < substr(%[1]s, 6, 5)) END)", birth, at)
	sex := "COALESCE(" + person + ".[[sex]], '')"
	cols := []string{
		"COALESCE(SUM(" + sex + " = 'M'), 0) AS [[women]]",
		"COALESCE(SUM(" + sex + " = 'H'), 0) AS [[men]]",
		"COALESCE(SUM(" + sex + " = 'X'), 0) AS [[sex_other]]",
		"COALESCE(SUM(" + sex + " NOT IN ('H', 'M', 'X')), 0) AS [[sex_unknown]]",
	}
	for _, b := range ageBands {
		cond := fmt.Sprintf("%s >= %d", age, b.from)
		if b.to >= 0 {
			cond += fmt.Sprintf(" AND %s <= %d", age, b.to)
		}
		cols = append(cols, fmt.Sprintf("COALESCE(SUM(%s), 0) AS [[%s]]", cond, b.column))
	}
	return append(cols, fmt.Sprintf("COALESCE(SUM(COALESCE(%s, -1) < 0), 0) AS [[age_unknown]]", age))
}

// leafFields are T's fields with those of embedded structs (Bands) in
// their place, in order: the columns of a report's CSV and the sums of its
// totals.
func leafFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for _, f := range reflect.VisibleFields(t) {
		if !f.Anonymous {
			out = append(out, f)
		}
	}
	return out
}
