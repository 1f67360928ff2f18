package reports_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var reportPaths = []string{
	"/api/reports/returns?by=origin_state",
	"/api/reports/returns?by=destination_state",
	"/api/reports/returns?by=reception_point",
	"/api/reports/returns?by=month",
	"/api/reports/returns?by=sector",
	"/api/reports/referrals",
	"/api/reports/journey",
	"/api/reports/course-seats",
	"/api/reports/savings",
}

// TestReports_CSV: ?format=csv is a UTF-8 CSV attachment that encoding/csv
// reads back, with a header of the JSON row keys and one line per JSON row,
// in order, with the same values.
func TestReports_CSV(t *testing.T) {
	filename := regexp.MustCompile(`^attachment; filename="retorno-[a-z_-]+-\d{4}-\d{2}-\d{2}\.csv"$`)
	for _, c := range callers(t)[:3] {
		for _, path := range reportPaths {
			res, body := c.get(t, path+sep(path)+"format=csv")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s as %s: %d %s", path, c.name, res.StatusCode, body)
			}
			if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", path, got)
			}
			if got := res.Header.Get("Content-Disposition"); !filename.MatchString(got) {
				t.Errorf("%s: Content-Disposition %q", path, got)
			}
			bom := []byte("\uFEFF")
			if !bytes.HasPrefix(body, bom) {
				t.Errorf("%s: no UTF-8 byte-order mark (Excel in es-MX would garble accents)", path)
			}
			lines, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, bom))).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v\n%s", path, err, body)
			}

			_, jsonBody := c.get(t, path)
			var report struct {
				Rows []map[string]any `json:"rows"`
			}
			dec := json.NewDecoder(bytes.NewReader(jsonBody))
			dec.UseNumber()
			if err := dec.Decode(&report); err != nil {
				t.Fatal(err)
			}
			if len(report.Rows) == 0 {
				t.Fatalf("%s as %s: no rows to compare", path, c.name)
			}
			if len(lines) != len(report.Rows)+1 {
				t.Fatalf("%s: %d CSV lines for %d JSON rows", path, len(lines), len(report.Rows))
			}
			header := lines[0]
			for i, row := range report.Rows {
				keys := make([]string, 0, len(row))
				for k := range row {
					keys = append(keys, k)
				}
				if !sameSet(keys, header) {
					t.Fatalf("%s: header %v, JSON keys %v", path, header, keys)
				}
				for j, col := range header {
					if want := fmt.Sprint(row[col]); lines[i+1][j] != want {
						t.Errorf("%s line %d %s: %q, JSON %q", path, i+1, col, lines[i+1][j], want)
					}
				}
			}
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestReports_Access: guests get 401; returnee accounts and field workers
// 403; a bad grouping or format 400.
func TestReports_Access(t *testing.T) {
	returnee := caller{"returnee account", firstOf(t, "returnee_accounts", "id != ''")}
	worker := caller{"field worker", firstOf(t, "staff", "role = 'field_worker'")}
	coordinator := caller{"coordinator", firstOf(t, "staff", "role = 'coordinator'")}
	for _, path := range reportPaths {
		for _, c := range []struct {
			who  caller
			path string
			want int
		}{
			{caller{name: "guest"}, path, http.StatusUnauthorized},
			{returnee, path, http.StatusForbidden},
			{worker, path, http.StatusForbidden},
			{coordinator, path + sep(path) + "format=xlsx", http.StatusBadRequest},
			{coordinator, path + sep(path) + "format=json", http.StatusOK},
		} {
			if res, body := c.who.get(t, c.path); res.StatusCode != c.want {
				t.Errorf("%s as %s: %d, want %d: %s", c.path, c.who.name, res.StatusCode, c.want, body)
			}
		}
	}
	for _, path := range []string{"/api/reports/returns", "/api/reports/returns?by=curp"} {
		if res, body := coordinator.get(t, path); res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "The by parameter must be one of") {
			t.Errorf("%s: %d %s", path, res.StatusCode, body)
		}
	}
}
