package curp_test

import (
	"testing"

	"github.com/retorno-mx/retorno/curp"
)

func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		"SABC560626MDFLRN01", "BEML920313HMCLNS09", "GOMJ850101HNERRN01",
		"LOPA050715MJCPRNA2", "PERA000229HDFRRNA5", "PERA000229HDFRRN05",
		"SABC990230MDFLRN01", "SABC560626MXXLRN01", "SAÑC560626MDFLRN01", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		curp.StateCode(s)
		curp.Sex(s)
		curp.Normalize(s)
		if err := curp.Validate(s); err != nil {
			return
		}
		d, err := curp.CheckDigit(s[:17])
		if err != nil || d != s[17] {
			t.Fatalf("valid %q: CheckDigit = %q, %v", s, d, err)
		}
		if _, err := curp.BirthDate(s); err != nil {
			t.Fatalf("valid %q: BirthDate error %v", s, err)
		}
	})
}
