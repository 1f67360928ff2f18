package curp_test

import (
	"testing"
	"time"

	"github.com/retorno-mx/retorno/curp"
)

func TestBuild(t *testing.T) {
	born := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		first, second, given, birth, sex, state string
		diff                                    byte
		want                                    string
	}{
		// María gives way to the second name; Ñ folds to X
		{"Peña", "López", "María José", "1990-05-17", "M", "GR", '0', "PELJ900517MGRXPS0"},
		// an inconvenient word (PUTO) loses its second letter
		{"Puente", "Torres", "Octavio", "1985-01-02", "H", "DF", '0', "PXTO850102HDFNRC0"},
		// born abroad, from 2000 on (letter differentiator)
		{"García", "", "Ana", "2003-11-30", "M", "NE", 'A', "GAXA031130MNERXNA"},
	}
	for _, tt := range tests {
		got := curp.Build(tt.first, tt.second, tt.given, born(tt.birth), tt.sex, tt.state, tt.diff)
		if got[:17] != tt.want {
			t.Errorf("Build(%s %s, %s) = %s, want %s + check digit", tt.first, tt.second, tt.given, got, tt.want)
		}
		if err := curp.Validate(got); err != nil {
			t.Errorf("Build(%s %s, %s) = %s, which does not validate: %v", tt.first, tt.second, tt.given, got, err)
		}
	}
}
