package txmemo_test

import (
	"errors"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/internal/txmemo"
	"github.com/retorno-mx/retorno/records"
)

// inTransaction runs fn in a transaction of app, and fails t on its error.
func inTransaction(t *testing.T, app core.App, fn func(tx core.App) error) {
	t.Helper()
	if err := app.RunInTransaction(fn); err != nil {
		t.Fatal(err)
	}
}

// counter returns a load function that counts its calls.
func counter(n *int) func() (int, error) {
	return func() (int, error) { *n++; return *n, nil }
}

// In a transaction a key loads once; outside one, every time; an error is
// not kept; the memo ends with its transaction.
func TestGet_OncePerTransaction(t *testing.T) {
	app := testapp.New(t)
	loads := 0
	for range 2 {
		if _, err := txmemo.Get(app, "returnees/x", counter(&loads)); err != nil {
			t.Fatal(err)
		}
	}
	if loads != 2 {
		t.Errorf("outside a transaction: %d loads, want 2", loads)
	}
	failed := errors.New("no")
	inTransaction(t, app, func(tx core.App) error {
		loads = 0
		for range 3 {
			if v, err := txmemo.Get(tx, "returnees/x", counter(&loads)); err != nil || v != 1 {
				t.Errorf("in a transaction: %d %v", v, err)
			}
		}
		fails := 0
		for range 2 {
			if _, err := txmemo.Get(tx, "returnees/y", func() (int, error) { fails++; return 0, failed }); !errors.Is(err, failed) {
				t.Errorf("error: %v", err)
			}
		}
		if loads != 1 || fails != 2 {
			t.Errorf("%d loads and %d failed loads, want 1 and 2", loads, fails)
		}
		return nil
	})
	inTransaction(t, app, func(tx core.App) error {
		loads = 0
		_, err := txmemo.Get(tx, "returnees/x", counter(&loads))
		if loads != 1 {
			t.Errorf("a new transaction read the last one's memo")
		}
		return err
	})
}

// A person read in a transaction, saved, and read again is read as saved,
// by app.Save as by a hook; a rollback to a savepoint forgets what was read
// after the write it undid.
func TestFindReturnee_SeesTheTransactionsWrites(t *testing.T) {
	app := testapp.New(t)
	inTransaction(t, app, func(tx core.App) error {
		person, err := records.FindReturnee(tx, testapp.ReturneeA1)
		if err != nil {
			return err
		}
		person.Set("skills", "Soldadura")
		if err := tx.Save(person); err != nil {
			return err
		}
		again, err := records.FindReturnee(tx, testapp.ReturneeA1)
		if err != nil {
			return err
		}
		if again.GetString("skills") != "Soldadura" {
			t.Errorf("read after the save: %q", again.GetString("skills"))
		}
		again.Set("skills", "changed in memory only")
		if third, _ := records.FindReturnee(tx, testapp.ReturneeA1); third.GetString("skills") != "Soldadura" {
			t.Errorf("a change to a copy reached the memo: %q", third.GetString("skills"))
		}

		if _, err := tx.DB().NewQuery("SAVEPOINT mutation").Execute(); err != nil {
			return err
		}
		if _, err := tx.DB().NewQuery("UPDATE returnees SET skills = 'Carpintería' WHERE id = {:id}").Bind(map[string]any{"id": testapp.ReturneeA1}).Execute(); err != nil {
			return err
		}
		txmemo.Drop(tx, catalog.Returnees) // a raw write says so itself
		if p, _ := records.FindReturnee(tx, testapp.ReturneeA1); p.GetString("skills") != "Carpintería" {
			t.Errorf("read after the raw write: %q", p.GetString("skills"))
		}
		if _, err := tx.DB().NewQuery("ROLLBACK TO mutation; RELEASE mutation").Execute(); err != nil {
			return err
		}
		txmemo.Forget(tx)
		if p, _ := records.FindReturnee(tx, testapp.ReturneeA1); p.GetString("skills") != "Soldadura" {
			t.Errorf("read after the rollback: %q", p.GetString("skills"))
		}
		return nil
	})
}

// A consent granted in a transaction is seen by HasConsent asked before it
// in the same transaction.
func TestHasConsent_SeesAConsentGranted(t *testing.T) {
	app := testapp.New(t)
	inTransaction(t, app, func(tx core.App) error {
		before, err := records.HasConsent(tx, testapp.ReturneeA1, catalog.ConsentSensitive)
		if err != nil || before {
			t.Fatalf("before: %v %v", before, err)
		}
		testapp.Save(t, tx, catalog.Consents, map[string]any{"returnee": testapp.ReturneeA1, "purpose": catalog.ConsentSensitive,
			"granted": true, "method": "verbal", "notice_version": "2026-01"})
		after, err := records.HasConsent(tx, testapp.ReturneeA1, catalog.ConsentSensitive)
		if err != nil || !after {
			t.Errorf("after the consent: %v %v", after, err)
		}
		return nil
	})
}
