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
}

// UILabelsTS is the web app's "values" catalog in lang ("es" or "en"):
// ui/src/i18n/catalogs/values.ts and en/values.ts are this text, generated
// (make ui-labels) and checked by catalog's tests, so that a label is
// written once, here.
func UILabelsTS(lang string) string {
	var b strings.Builder
	b.WriteString("// Generated from package catalog (catalog/enums.go) by `make ui-labels`: do not edit.\n")
	b.WriteString("// The labels of the values of each enumeration, one label per value.\n")
	if lang == "en" {
		b.WriteString("import type { es } from \"../values\";\n\nexport const en: typeof es = {\n")
	} else {
		b.WriteString("export const es = {\n")
	}
	for _, u := range UIEnums {
		for _, v := range u.Enum {
			label := v.ES
			if lang == "en" {
				label = v.EN
			}
			fmt.Fprintf(&b, "  %s_%s: %q,\n", u.Prefix, v.Code, label)
		}
	}
	b.WriteString("};\n")
	return b.String()
}
