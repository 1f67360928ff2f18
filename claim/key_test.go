package claim_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"
	"golang.org/x/crypto/bcrypt"

	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// The verifiers' key lives in the data directory, readable by the server's
// user only; a copy of the data directory with it (a restore) keeps the
// codes valid, and a copy of the database without it does not let anyone
// test them: the codes stop working there.
func TestKey_OutsideTheDatabase(t *testing.T) {
	app := withCode(t)
	path := filepath.Join(app.DataDir(), claim.KeyFile)
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info, err)
	}

	restored := copyData(t, app, true)
	if got := claimFrom(t, router(t, restored), "198.51.100.20", byCURP(personCURP, code)); got.status != http.StatusOK {
		t.Errorf("claim after a restore with the key: %d %s", got.status, got.raw)
	}
	stolen := copyData(t, app, false)
	if got := claimFrom(t, router(t, stolen), "198.51.100.21", byCURP(personCURP, code)); got.status != http.StatusBadRequest {
		t.Errorf("claim on the database without its key: %d %s", got.status, got.raw)
	}
}

// copyData opens a copy of app's data directory, with or without the key.
func copyData(t *testing.T, app *tests.TestApp, withKey bool) *tests.TestApp {
	t.Helper()
	for _, db := range []interface{ NewQuery(string) *dbx.Query }{app.NonconcurrentDB(), app.AuxNonconcurrentDB()} {
		if _, err := db.NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	for _, name := range []string{"data.db", "auxiliary.db", claim.KeyFile} {
		if name == claim.KeyFile && !withKey {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(app.DataDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	copied, err := testapp.NewMigrated(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(copied.Cleanup)
	return copied
}

// A code stored before the key (a bcrypt verifier) still claims until it
// expires.
func TestKey_BcryptVerifiersStillWork(t *testing.T) {
	app := withCode(t)
	person := testapp.Find(t, app, "returnees", personID)
	legacy, err := bcrypt.GenerateFromPassword([]byte(claim.Hash(personID, code)), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	person.Set("claim_verifier", string(legacy))
	if err := app.SaveNoValidate(person); err != nil {
		t.Fatal(err)
	}
	if got := claimFrom(t, router(t, app), "198.51.100.22", byCURP(personCURP, code)); got.status != http.StatusOK {
		t.Errorf("claim with a bcrypt verifier: %d %s", got.status, got.raw)
	}
}
