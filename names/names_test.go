package names_test

import (
	"testing"

	"github.com/retorno-mx/retorno/names"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"María", "maria"},
		{"JOSÉ", "jose"},
		{"Núñez", "nunez"},
		{"NUÑEZ", "nunez"},
		{"Güemes", "guemes"},
		{"  María-José  DE LA Cruz. ", "maria jose de la cruz"},
		{"O'Connor", "o connor"},
		{"Ma.Guadalupe", "ma guadalupe"},
		{"Mª", "ma"},
		{"Pe\u0301rez", "perez"}, // decomposed accent
		{"Juan\tCarlos\n", "juan carlos"},
		{"Pérez 2", "perez 2"},
	} {
		if got := names.Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestGivenNames(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"María Guadalupe", "maria guadalupe"},
		{"Ma. Guadalupe", "maria guadalupe"},
		{"MA GUADALUPE", "maria guadalupe"},
		{"Mª de Jesús", "maria de jesus"},
		{"J. Luis", "jose luis"},
		{"J Guadalupe", "jose guadalupe"},
		{"Fco. Javier", "francisco javier"},
		{"Paco", "francisco"},
		{"Gpe.", "guadalupe"},
		{"Lupe", "guadalupe"},
		{"Lupita", "guadalupe"},
		{"Pepe", "jose"},
		{"Chema", "jose maria"},
		{"Chuy", "jesus"},
		{"Toño", "antonio"},
		{"Memo", "guillermo"},
		{"Beto", "beto"}, // Alberto or Roberto: not expanded
		{"Juan Carlos", "juan carlos"},
		{"majo", "majo"}, // only whole words are aliases
	} {
		if got := names.GivenNames(tc.in); got != tc.want {
			t.Errorf("GivenNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSurname(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Pérez", "perez"},
		{"De la Cruz", "delacruz"},
		{"DELACRUZ", "delacruz"},
		{"de  La   Cruz", "delacruz"},
		{"Hdez.", "hernandez"},
		{"HDZ", "hernandez"},
		{"Glez", "gonzalez"},
		{"Rguez.", "rodriguez"},
		{"Mtz", "martinez"},
		{"García-López", "garcialopez"},
		{"", ""},
	} {
		if got := names.Surname(tc.in); got != tc.want {
			t.Errorf("Surname(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
