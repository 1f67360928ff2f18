package privacy_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/privacy"
)

// A returnee's export holds every record about them that the catalog says
// goes with it (compared, collection by collection, with what the database
// holds about them), who changed them as roles, and nothing of anyone else:
// no other person's id or name, no staff member's id or name.
func TestExport_Everything(t *testing.T) {
	app, srv := testapp.NewServed(t)
	status, body := testapp.Request(t, srv.URL, testapp.Token(t, app, catalog.ReturneeAccounts, testapp.AccountA1), http.MethodGet, "/api/me/export", nil)
	if status != http.StatusOK {
		t.Fatalf("export: %d %s", status, body)
	}
	var got privacy.Export
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, entry := range catalog.Collections {
		col, _ := app.FindCollectionByNameOrId(entry.Name)
		if col == nil || col.Fields.GetByName("returnee") == nil {
			continue
		}
		var want int
		_ = app.DB().Select("count(*)").From(entry.Name).Where(dbx.HashExp{"returnee": testapp.ReturneeA1}).Row(&want)
		if entry.Rights.Export && len(got.Records[entry.Name]) != want {
			t.Errorf("%s: exported %d, the database holds %d about A1", entry.Name, len(got.Records[entry.Name]), want)
		}
		if !entry.Rights.Export && len(got.Records[entry.Name]) > 0 {
			t.Errorf("%s: exported, the catalog says not", entry.Name)
		}
	}
	for _, want := range []string{"returnees", "returnee_accounts", "consents", "referrals", "case_notes", "returns",
		"enrollments", "group_members", "ledger_entries", "follow_ups", "outcomes", "cooperative_members"} {
		if len(got.Records[want]) == 0 {
			t.Errorf("no %s in the export", want)
		}
	}
	if got.Names[testapp.GroupN1] != "Ahorro Solidario Chilpancingo" || len(got.Changes) == 0 || len(got.ConsentTexts) == 0 {
		t.Errorf("names %v, %d changes, texts %v", got.Names, len(got.Changes), got.ConsentTexts)
	}
	if got.Records["case_notes"][0]["author"] != "field_worker" {
		t.Errorf("a note's author: %v", got.Records["case_notes"][0]["author"])
	}
	for _, other := range []string{testapp.ReturneeA2, testapp.ReturneeB1, "Juan", "García", "Rosa", "Hernández",
		testapp.FieldWorkerA, testapp.NodessStaff1, "Ana Tijuana", "Nora", "claim_verifier", "password"} {
		if strings.Contains(string(body), other) {
			t.Errorf("the export holds %q", other)
		}
	}
	var audited int
	_ = app.DB().Select("count(*)").From(catalog.AuditLog).Where(dbx.HashExp{"action": "export", "record_id": testapp.ReturneeA1}).Row(&audited)
	if audited != 1 {
		t.Errorf("export audit entries: %d", audited)
	}
}

// Only a returnee's own account exports: staff are refused, guests too.
func TestExport_Who(t *testing.T) {
	app, srv := testapp.NewServed(t)
	for who, want := range map[[2]string]int{
		{catalog.Staff, testapp.FieldWorkerA}: http.StatusForbidden,
		{catalog.Staff, testapp.CoordBC}:      http.StatusForbidden,
		{"", ""}:                              http.StatusUnauthorized,
	} {
		token := ""
		if who[0] != "" {
			token = testapp.Token(t, app, who[0], who[1])
		}
		if status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/me/export", nil); status != want {
			t.Errorf("%v: %d %s", who, status, body)
		}
	}
}
