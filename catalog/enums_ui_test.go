package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/retorno-mx/retorno/catalog"
)

// uiLabels are where the web app labels each enumeration's values: catalog
// feature and key prefix (field.sex_H). Enrollment and membership statuses
// and ledger entry types are not here: the app speaks of them in sentences
// to the person ("Te diste de baja") or counts them ("Inscritas (3)").
var uiLabels = []struct {
	enum catalog.Enum
	name string
	keys []string // feature.prefix
}{
	{catalog.StaffRoles, "StaffRoles", []string{"common.role"}},
	{catalog.Sexes, "Sexes", []string{"field.sex", "returnee.sex"}},
	{catalog.ConsentPurposes, "ConsentPurposes", []string{"field.purpose", "returnee.purpose"}},
	{catalog.ConsentMethods, "ConsentMethods", []string{"field.method", "returnee.method"}},
	{catalog.ReferralStatuses, "ReferralStatuses", []string{"field.status", "nodess.referral_status"}},
	{catalog.ReferralServices, "ReferralServices", []string{"field.service", "nodess.service"}},
	{catalog.SectorsInUS, "SectorsInUS", []string{"field.sector", "returnee.sector"}},
	{catalog.Needs, "Needs", []string{"field.need"}},
	{catalog.Languages, "Languages", []string{"field.lang"}},
	{catalog.Themes, "Themes", []string{"nodess.theme", "returnee.theme"}},
	{catalog.Modalities, "Modalities", []string{"nodess.modality", "returnee.modality"}},
	{catalog.CourseStatuses, "CourseStatuses", []string{"nodess.course_status", "returnee.course_status"}},
	{catalog.Methodologies, "Methodologies", []string{"returnee.methodology"}},
	{catalog.GroupStatuses, "GroupStatuses", []string{"nodess.group_status", "returnee.group_status"}},
	{catalog.MemberRoles, "MemberRoles", []string{"nodess.member_role", "returnee.role"}},
}

var catalogEntry = regexp.MustCompile(`(?m)(?:^|[,{])\s*([A-Za-z_]+):\s*"((?:[^"\\]|\\.)*)"`)

// readUICatalog returns the plain string messages of the web app's catalog
// file for feature in lang ("es": ui/src/i18n/catalogs/<feature>.ts, "en":
// catalogs/en/<feature>.ts).
func readUICatalog(t *testing.T, lang, feature string) map[string]string {
	t.Helper()
	dir := filepath.Join("..", "ui", "src", "i18n", "catalogs")
	if lang == "en" {
		dir = filepath.Join(dir, "en")
	}
	raw, err := os.ReadFile(filepath.Join(dir, feature+".ts"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range catalogEntry.FindAllStringSubmatch(string(raw), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestEnums_WebAppLabels: the web app labels every value of an enumeration
// with the catalog's label, in Spanish and English, on every screen that
// shows it: one label per value (a theme had three Spanish labels).
func TestEnums_WebAppLabels(t *testing.T) {
	cache := map[string]map[string]string{}
	for _, u := range uiLabels {
		for _, key := range u.keys {
			feature, prefix, _ := cutDot(key)
			for _, lang := range []string{"es", "en"} {
				id := lang + "/" + feature
				if cache[id] == nil {
					cache[id] = readUICatalog(t, lang, feature)
				}
				for _, v := range u.enum {
					want := v.ES
					if lang == "en" {
						want = v.EN
					}
					got, ok := cache[id][prefix+"_"+v.Code]
					switch {
					case !ok:
						t.Errorf("%s: %s.%s_%s is missing (catalog.%s %q: %q)", lang, feature, prefix, v.Code, u.name, v.Code, want)
					case got != want:
						t.Errorf("%s: %s.%s_%s is %q, catalog.%s says %q", lang, feature, prefix, v.Code, got, u.name, want)
					}
				}
			}
		}
	}
}

func cutDot(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
