package catalog

import (
	"fmt"
	"strings"
)

// UIEnums names the enumerations whose labels the web app shows, with the
// key prefix of their values in its "values" catalog: values.sex_H,
// values.theme_tourism.
var UIEnums = []struct {
	Prefix string
	Enum   Enum
}{
	{"staff_role", StaffRoles},
	{"sex", Sexes},
	{"purpose", ConsentPurposes},
	{"method", ConsentMethods},
	{"referral_status", ReferralStatuses},
	{"service", ReferralServices},
	{"sector", SectorsInUS},
	{"need", Needs},
	{"reception_service", ReceptionServices},
	{"lang", Languages},
	{"theme", Themes},
	{"modality", Modalities},
	{"course_status", CourseStatuses},
	{"enrollment_status", EnrollmentStatuses},
	{"methodology", Methodologies},
	{"group_status", GroupStatuses},
	{"member_role", MemberRoles},
	{"member_status", MemberStatuses},
	{"entry_type", EntryTypes},
	{"region", NodessRegions},
	{"closed_reason", ReferralClosedReasons},
	{"outcome", ReferralOutcomes},
	{"follow_up_kind", FollowUpKinds},
	{"follow_up_status", FollowUpStatuses},
	{"employment", Employments},
	{"income_band", IncomeBands},
	{"osse_kind", OsseKinds},
	{"coop_stage", CooperativeStages},
	{"coop_role", CooperativeRoles},
	{"conflict", ConflictKinds},
}

// UILabelsTS is the web app's "values" catalog in lang ("es" or "en"):
// ui/src/i18n/catalogs/values.ts and en/values.ts are this text, generated
// (make ui-labels) and checked by catalog's tests, so that a label is
// written once, here.
func UILabelsTS(lang string) string {
	var labels Enum
	for _, u := range UIEnums {
		for _, v := range u.Enum {
			labels = append(labels, Value{u.Prefix + "_" + v.Code, v.ES, v.EN})
		}
	}
	return catalogTS("values", "catalog/enums.go", "The labels of the values of each enumeration, one label per value.", lang, labels)
}

// UIFieldLabelsTS is the web app's "labels" catalog in lang: the labels of
// fields (FieldLabels), for screens that name any field of any collection
// (the coordinator's person screen and review queue). Unlike "values", it is
// not in the app shell: screens load it with loadMessages("labels").
func UIFieldLabelsTS(lang string) string {
	return catalogTS("labels", "catalog/fields.go", "The labels of the fields of every collection, by field name.", lang, FieldLabels)
}

// catalogTS writes the web app's catalog feature in lang, one message per
// value of labels (its code the key), generated from source.
func catalogTS(feature, source, about, lang string, labels Enum) string {
	var b strings.Builder
	fmt.Fprintf(&b, "// Generated from package catalog (%s) by `make ui-labels`: do not edit.\n// %s\n", source, about)
	if lang == "en" {
		fmt.Fprintf(&b, "import type { es } from \"../%s\";\n\nexport const en: typeof es = {\n", feature)
	} else {
		b.WriteString("export const es = {\n")
	}
	for _, v := range labels {
		label := v.ES
		if lang == "en" {
			label = v.EN
		}
		fmt.Fprintf(&b, "  %s: %q,\n", v.Code, label)
	}
	b.WriteString("};\n")
	return b.String()
}
