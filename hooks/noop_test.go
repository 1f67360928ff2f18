package hooks_test

import (
	"net/http"
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

// TestUpdate_NoOpChangesNothing: an edit that sends the stored values (REST,
// batch, Go) leaves rev, updated, the audit log and the change log as they
// were. Before, it bumped rev and wrote an audit row.
func TestUpdate_NoOpChangesNothing(t *testing.T) {
	app := testapp.New(t)
	app.Settings().Batch.Enabled = true
	srv := testapp.Serve(t, app)
	token := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	count := func(table string) int {
		var n int
		if err := app.DB().Select("count(*)").From(table).Row(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	audits, logs := count("audit_log"), count("_sync_log")
	send := func(method, path string, body any) {
		t.Helper()
		status, out := testapp.Request(t, srv.URL, token, method, path, body)
		if status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, status, out)
		}
	}
	path := "/api/collections/returnees/records/" + testapp.ReturneeA2
	send(http.MethodPatch, path, map[string]any{"given_names": before.GetString("given_names"), "sex": before.GetString("sex")})
	send(http.MethodPost, "/api/batch", map[string]any{"requests": []map[string]any{
		{"method": "PATCH", "url": path, "body": map[string]any{"first_surname": before.GetString("first_surname")}}}})
	same, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	if err := app.Save(same); err != nil {
		t.Fatal(err)
	}

	after, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	if after.GetInt("rev") != before.GetInt("rev") || after.GetString("updated") != before.GetString("updated") {
		t.Errorf("rev %d -> %d, updated %s -> %s: a no-op edit wrote", before.GetInt("rev"), after.GetInt("rev"),
			before.GetString("updated"), after.GetString("updated"))
	}
	if count("audit_log") != audits || count("_sync_log") != logs {
		t.Errorf("audit rows %d -> %d, change log rows %d -> %d", audits, count("audit_log"), logs, count("_sync_log"))
	}

	// a real change still writes, once
	send(http.MethodPatch, path, map[string]any{"skills": "carpintería"})
	changed, _ := app.FindRecordById("returnees", testapp.ReturneeA2)
	if changed.GetInt("rev") != before.GetInt("rev")+1 || count("audit_log") != audits+1 {
		t.Errorf("a real edit: rev %d, %d audit rows", changed.GetInt("rev"), count("audit_log")-audits)
	}

	// signing everyone out (a new token key) is a change of an account
	account, _ := app.FindRecordById("returnee_accounts", testapp.AccountA1)
	rev := account.GetInt("rev")
	account.RefreshTokenKey()
	if err := app.Save(account); err != nil {
		t.Fatal(err)
	}
	if saved, _ := app.FindRecordById("returnee_accounts", testapp.AccountA1); saved.TokenKey() != account.TokenKey() || saved.GetInt("rev") != rev+1 {
		t.Error("a new token key was not saved")
	}
}
