package catalog

import (
	"bytes"
	"encoding/json"
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
	{"notification_channel", NotificationChannels},
	{"notification_status", NotificationStatuses},
	{"notification_event", NotificationEvents},
	{"rectifiable", RectifiableFields},
	{"rectification_status", RectificationStatuses},
	{"audit_action", AuditActions},
	{"document_kind", DocumentKinds},
}

// UILabelsJSON is the web app's "values" catalog in lang ("es" or "en"), the
// labels of the values of each enumeration, one label per value:
// ui/src/i18n/catalogs/values.json and en/values.json are this text, generated
// (make ui-labels) and checked by catalog's tests, so that a label is written
// once, here.
func UILabelsJSON(lang string) string {
	var labels Enum
	for _, u := range UIEnums {
		for _, v := range u.Enum {
			labels = append(labels, Value{u.Prefix + "_" + v.Code, v.ES, v.EN})
		}
	}
	return catalogJSON(lang, labels)
}

// UIFieldLabelsJSON is the web app's "labels" catalog in lang: the labels of
// fields (FieldLabels), for screens that name any field of any collection
// (the coordinator's person screen and review queue). Unlike "values", it is
// not in the app shell: screens load it with loadMessages("labels").
func UIFieldLabelsJSON(lang string) string {
	return catalogJSON(lang, FieldLabels)
}

// catalogJSON writes a web app's catalog in lang, one message per value of
// labels (its code the key, in their order), as JSON.stringify(catalog, null,
// 2) writes it: the files stay byte for byte what a script would write.
func catalogJSON(lang string, labels Enum) string {
	var b strings.Builder
	b.WriteString("{")
	for i, v := range labels {
		label := v.ES
		if lang == "en" {
			label = v.EN
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n  %s: %s", jsonString(v.Code), jsonString(label))
	}
	b.WriteString("\n}\n")
	return b.String()
}

// jsonString is s as a JSON string, with <, > and & as they are (as
// JSON.stringify leaves them).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // a string always encodes
	}
	return strings.TrimSuffix(b.String(), "\n")
}
