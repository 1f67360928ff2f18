package hooks_test

import (
	"testing"

	"github.com/retorno-mx/retorno/internal/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

func TestFixturesLoad(t *testing.T) {
	app := testapp.New(t)
	r, err := app.FindRecordById("returnees", testapp.ReturneeA1)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.GetBool("nodess_consent"), true; got != want {
		t.Fatalf("nodess_consent = %v, want %v", got, want)
	}
	if got, want := r.GetStringSlice("referred_nodess"), []string{testapp.NodessN1}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("referred_nodess = %v, want %v", got, want)
	}
	if got := r.GetInt("rev"); got != 3 {
		t.Fatalf("rev = %d, want 3 (create, consent, referral)", got)
	}
}
