package names_test

import (
	"testing"

	"github.com/retorno-mx/retorno/names"
)

// normalizer is a function of package names under test, and its name.
type normalizer struct {
	name string
	fn   func(string) string
}

// TestNormalizers: each normaliser maps a spelling to the form the matching
// compares.
func TestNormalizers(t *testing.T) {
	fold := normalizer{"Fold", names.Fold}
	given := normalizer{"GivenNames", names.GivenNames}
	surname := normalizer{"Surname", names.Surname}
	for _, tc := range []struct {
		f        normalizer
		in, want string
	}{
		{fold, "", ""},
		{fold, "   ", ""},
		{fold, "María", "maria"},
		{fold, "JOSÉ", "jose"},
		{fold, "Núñez", "nunez"},
		{fold, "NUÑEZ", "nunez"},
		{fold, "Güemes", "guemes"},
		{fold, "  María-José  DE LA Cruz. ", "maria jose de la cruz"},
		{fold, "O'Connor", "o connor"},
		{fold, "Ma.Guadalupe", "ma guadalupe"},
		{fold, "Mª", "ma"},
		{fold, "Pe\u0301rez", "perez"}, // decomposed accent
		{fold, "Juan\tCarlos\n", "juan carlos"},
		{fold, "Pérez 2", "perez 2"},
		{given, "María Guadalupe", "maria guadalupe"},
		{given, "Ma. Guadalupe", "maria guadalupe"},
		{given, "MA GUADALUPE", "maria guadalupe"},
		{given, "Mª de Jesús", "maria de jesus"},
		{given, "J. Luis", "jose luis"},
		{given, "J Guadalupe", "jose guadalupe"},
		{given, "Fco. Javier", "francisco javier"},
		{given, "Paco", "francisco"},
		{given, "Gpe.", "guadalupe"},
		{given, "Lupe", "guadalupe"},
		{given, "Lupita", "guadalupe"},
		{given, "Pepe", "jose"},
		{given, "Chema", "jose maria"},
		{given, "Chuy", "jesus"},
		{given, "Toño", "antonio"},
		{given, "Memo", "guillermo"},
		{given, "Beto", "beto"}, // Alberto or Roberto: not expanded
		{given, "Juan Carlos", "juan carlos"},
		{given, "majo", "majo"}, // only whole words are aliases
		{surname, "Pérez", "perez"},
		{surname, "De la Cruz", "delacruz"},
		{surname, "DELACRUZ", "delacruz"},
		{surname, "de  La   Cruz", "delacruz"},
		{surname, "Hdez.", "hernandez"},
		{surname, "HDZ", "hernandez"},
		{surname, "Glez", "gonzalez"},
		{surname, "Rguez.", "rodriguez"},
		{surname, "Mtz", "martinez"},
		{surname, "García-López", "garcialopez"},
		{surname, "", ""},
	} {
		if got := tc.f.fn(tc.in); got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.f.name, tc.in, got, tc.want)
		}
	}
}
