package curp_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/curp"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name, in, want string // want is the error code, "" for valid
	}{
		{"valid 1956", "SABC560626MDFLRN01", ""},
		{"valid 1992", "BEML920313HMCLNS09", ""},
		{"valid born abroad", "GOMJ850101HNERRN01", ""},
		{"valid letter century 2005", "LOPA050715MJCPRNA2", ""},
		{"valid feb 29 2000", "PERA000229HDFRRNA5", ""},
		{"valid dec 31 1999", "PERA991231HDFRRN02", ""},

		{"empty", "", curp.CodeInvalidLength},
		{"17 chars", "SABC560626MDFLRN0", curp.CodeInvalidLength},
		{"19 chars", "SABC560626MDFLRN011", curp.CodeInvalidLength},
		{"not normalised spaces", " SABC560626MDFLRN01", curp.CodeInvalidLength},

		{"lowercase", "sabc560626mdflrn01", curp.CodeInvalidShape},
		{"consonant at position 2", "SBBC560626MDFLRN01", curp.CodeInvalidShape},
		{"letter in date", "SABC56O626MDFLRN01", curp.CodeInvalidShape},
		{"sex X", "SABC560626XDFLRN01", curp.CodeInvalidShape},
		{"vowel at position 14", "SABC560626MDFARN01", curp.CodeInvalidShape},
		{"vowel at position 16", "SABC560626MDFLRE01", curp.CodeInvalidShape},
		{"digit at position 14", "SABC560626MDF1RN01", curp.CodeInvalidShape},
		{"symbol at position 17", "SABC560626MDFLRN-1", curp.CodeInvalidShape},
		{"letter check digit", "SABC560626MDFLRN0A", curp.CodeInvalidShape},
		{"enye", "SAÑC560626MDFLRN01", curp.CodeInvalidShape},

		{"unknown state XX", "SABC560626MXXLRN01", curp.CodeInvalidState},
		{"unknown state DX", "SABC560626MDXLRN01", curp.CodeInvalidState},

		{"month 13", "SABC561326MDFLRN01", curp.CodeInvalidDate},
		{"month 00", "SABC560026MDFLRN01", curp.CodeInvalidDate},
		{"day 32", "SABC560632MDFLRN01", curp.CodeInvalidDate},
		{"day 00", "SABC560600MDFLRN01", curp.CodeInvalidDate},
		{"feb 30", "SABC990230MDFLRN01", curp.CodeInvalidDate},
		{"feb 29 2001", "PERA010229HDFRRNA5", curp.CodeInvalidDate},
		{"apr 31", "SABC560431MDFLRN01", curp.CodeInvalidDate},

		{"feb 29 1900", "PERA000229HDFRRN05", curp.CodeInvalidCentury},

		{"wrong check digit", "SABC560626MDFLRN02", curp.CodeInvalidCheckDigit},
		{"wrong check digit letter century", "LOPA050715MJCPRNA3", curp.CodeInvalidCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := curp.Validate(tt.in)
			got := ""
			if err != nil {
				var e *curp.Error
				if !errors.As(err, &e) {
					t.Fatalf("Validate(%q) error %T is not *curp.Error", tt.in, err)
				}
				if e.Message == "" || e.Error() != e.Message {
					t.Errorf("Validate(%q): bad message %q", tt.in, e.Message)
				}
				got = e.Code
			}
			if got != tt.want {
				t.Errorf("Validate(%q) code = %q, want %q (err: %v)", tt.in, got, tt.want, err)
			}
		})
	}
}

func TestValidateMessages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SABC", "La CURP debe tener 18 caracteres."},
		{"SABC990230MDFLRN01", "La fecha de nacimiento de la CURP (posiciones 5 a 10) no existe."},
		{"SABC560626MDFLRN02", "El dígito verificador no coincide: revise la CURP (se esperaba 1)."},
	}
	for _, tt := range tests {
		if got := curp.Validate(tt.in).Error(); got != tt.want {
			t.Errorf("Validate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestErrorIs(t *testing.T) {
	err := curp.Validate("SABC561326MDFLRN01")
	if got, want := errors.Is(err, &curp.Error{Code: curp.CodeInvalidDate}), true; got != want {
		t.Errorf("errors.Is(invalid_date) = %v, want %v", got, want)
	}
	if got, want := errors.Is(err, &curp.Error{Code: curp.CodeInvalidShape}), false; got != want {
		t.Errorf("errors.Is(invalid_shape) = %v, want %v", got, want)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sabc560626mdflrn01", "SABC560626MDFLRN01"},
		{"  SABC560626MDFLRN01\t\n", "SABC560626MDFLRN01"},
		{" beml920313hmclns09 ", "BEML920313HMCLNS09"},
		{"", ""},
	}
	for _, tt := range tests {
		got := curp.Normalize(tt.in)
		if got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := curp.Validate(got); tt.want != "" && err != nil {
			t.Errorf("Validate(Normalize(%q)) = %v, want nil", tt.in, err)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		in       string
		want     byte
		wantCode string
	}{
		{"SABC560626MDFLRN0", '1', ""}, // sum 1979
		{"BEML920313HMCLNS0", '9', ""},
		{"GOMJ850101HNERRN0", '1', ""},
		{"LOPA050715MJCPRNA", '2', ""},
		{"PERA000229HDFRRNA", '5', ""},
		{"SAÑC560626MDFLRN0", '3', ""}, // Ñ = 24 replaces B = 11: 1979 + 13*16 = 2187
		{"SABC560626MDFLRN", 0, curp.CodeInvalidLength},
		{"SABC560626MDFLRN01", 0, curp.CodeInvalidLength},
		{"SABC560626MDFLRn0", 0, curp.CodeInvalidShape},
		{"SABC560626MDFLR-0", 0, curp.CodeInvalidShape},
	}
	for _, tt := range tests {
		got, err := curp.CheckDigit(tt.in)
		gotCode := ""
		if e := (*curp.Error)(nil); errors.As(err, &e) {
			gotCode = e.Code
		}
		if got != tt.want || gotCode != tt.wantCode {
			t.Errorf("CheckDigit(%q) = %q, %q; want %q, %q", tt.in, got, gotCode, tt.want, tt.wantCode)
		}
	}
}

func TestBirthDate(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"SABC560626MDFLRN01", time.Date(1956, 6, 26, 0, 0, 0, 0, time.UTC), false},
		{"PERA991231HDFRRN02", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), false},
		{"LOPA050715MJCPRNA2", time.Date(2005, 7, 15, 0, 0, 0, 0, time.UTC), false},
		{"PERA000229HDFRRNA5", time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC), false},
		{"PERA000229HDFRRN05", time.Time{}, true},
		{"SABC560626MDFLRN02", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := curp.BirthDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("BirthDate(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestStateCodeAndSex(t *testing.T) {
	tests := []struct{ in, wantState, wantSex string }{
		{"SABC560626MDFLRN01", "DF", "M"},
		{"BEML920313HMCLNS09", "MC", "H"},
		{"GOMJ850101HNERRN01", "NE", "H"},
		{"SABC560626MDFLRN02", "", ""},
		{"short", "", ""},
	}
	for _, tt := range tests {
		if got := curp.StateCode(tt.in); got != tt.wantState {
			t.Errorf("StateCode(%q) = %q, want %q", tt.in, got, tt.wantState)
		}
		if got := curp.Sex(tt.in); got != tt.wantSex {
			t.Errorf("Sex(%q) = %q, want %q", tt.in, got, tt.wantSex)
		}
	}
}

func TestEveryStateAccepted(t *testing.T) {
	states := "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE"
	for _, st := range strings.Fields(states) {
		first17 := "SABC560626M" + st + "LRN0"
		d, err := curp.CheckDigit(first17)
		if err != nil {
			t.Fatal(err)
		}
		if err := curp.Validate(first17 + string(d)); err != nil {
			t.Errorf("state %s: Validate = %v, want nil", st, err)
		}
	}
}
