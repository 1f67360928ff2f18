package reports

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/fieldaccess"
	"github.com/retorno-mx/retorno/internal/listrule"
)

// ReturnsBy are the groupings of the returns report and the SQL key of
// each, over a person (returnees r) and each of their returns (returns t; a
// person with no return record counts as one return, with the person's own
// point and date):
//   - origin_state: the state of birth (birth_state);
//   - destination_state: the state the person is going to;
//   - reception_point: where the return was received;
//   - month: "YYYY-MM" of the return's repatriation date, or of its
//     registration (UTC) when the date was not recorded;
//   - sector: the sector where they worked in the US (sector_in_us).
//
// Records without the value are counted under the key "" ("Sin dato"), and
// so are all of them when the caller's role does not receive the person's
// field (package fieldaccess: a NODESS gets no birth state, nor the point
// of a return): a report tells no more than the people's records.
var ReturnsBy = map[string]string{
	"origin_state":      "r.[[birth_state]]",
	"destination_state": "r.[[destination_state]]",
	"reception_point":   "COALESCE(t.[[reception_point]], r.[[reception_point]])",
	"month":             "substr(" + returnDate + ", 1, 7)",
	"sector":            "r.[[sector_in_us]]",
}

// returnsByField is the person's field each grouping reads.
var returnsByField = map[string]string{
	"origin_state": "birth_state", "destination_state": "destination_state",
	"reception_point": "reception_point", "month": "repatriation_date", "sector": "sector_in_us",
}

// returnDate is the date of a return: its repatriation date, or the day of
// its registration (UTC) when the date was not recorded.
const returnDate = "(CASE WHEN COALESCE(t.[[repatriation_date]], r.[[repatriation_date]]) != '' " +
	"THEN COALESCE(t.[[repatriation_date]], r.[[repatriation_date]]) " +
	"ELSE COALESCE(t.[[registered_at]], r.[[created]]) END)"

// NoValue labels the row of records without the grouped value.
const NoValue = "Sin dato"

// ReturnsRow is one line of the returns report: the grouped value (a record
// id, a month or a sector code), its Spanish label, how many returns (events)
// of the people the caller can list have it (only returns the caller may list
// are counted), and how many of those people
// (a person returned twice through one point counts once in its row, and
// once in each point's row when through two). Bands split the returns by
// the person's sex and age at the return.
type ReturnsRow struct {
	Key       string `json:"key" db:"key"`
	Label     string `json:"label" db:"-"`
	Returns   int    `json:"returns" db:"returns"`
	Returnees int    `json:"returnees" db:"returnees"`
	Bands
}

// ReturnsReport is the JSON answer of GET /api/reports/returns: Total is
// the people the caller can list, TotalReturns their returns, Bands the
// split of all those returns. Rows are in month order for by=month,
// otherwise by returns (largest first) and label.
type ReturnsReport struct {
	Table[ReturnsRow]
	By           string `json:"by"`
	Total        int    `json:"total"`
	TotalReturns int    `json:"total_returns"`
	Bands        Bands  `json:"bands"`
}

func returnsReport(e *core.RequestEvent) error {
	if _, err := format(e); err != nil {
		return err
	}
	by := e.Request.URL.Query().Get("by")
	if _, ok := ReturnsBy[by]; !ok {
		return e.BadRequestError("The by parameter must be one of origin_state, destination_state, reception_point, month, sector.", nil)
	}
	compute := func(app core.App, info *core.RequestInfo) (*ReturnsReport, error) { return returns(app, info, by) }
	return handle("returns-by-"+by, compute)(e)
}

// returns counts the returns and the returnees info's auth can list, grouped by.
func returns(app core.App, info *core.RequestInfo, by string) (*ReturnsReport, error) {
	visible, err := listrule.VisibleByName(app, info, catalog.Returnees, "[[r.id]]")
	if err != nil {
		return nil, err
	}
	// only the returns the caller may list (a NODESS sees people, not their
	// returns): a person without any counts once, at their own point and date
	visibleReturn, err := listrule.VisibleByName(app, info, catalog.Returns, "[[t.id]]")
	if err != nil {
		return nil, err
	}
	key := "COALESCE(" + ReturnsBy[by] + ", '')"
	if fieldaccess.Of(info.Auth, catalog.Returnees).Withholds(returnsByField[by]) {
		key = "''"
	}
	var rows []ReturnsRow
	columns := append([]string{key + " AS [[key]]", "COUNT(*) AS [[returns]]", "COUNT(DISTINCT r.[[id]]) AS [[returnees]]"},
		bandColumns("r", returnDate)...)
	err = app.DB().Select(columns...).
		From("returnees r").
		LeftJoin("returns t", dbx.And(dbx.NewExp("t.[[returnee]] = r.[[id]]"), visibleReturn)).
		Where(visible).
		GroupBy("key").
		All(&rows)
	if err != nil {
		return nil, fmt.Errorf("returns by %s: %w", by, err)
	}
	report := &ReturnsReport{Table: Table[ReturnsRow]{"returns", []ReturnsRow{}}, By: by}
	err = app.DB().Select("COUNT(*)").From("returnees r").Where(visible).Row(&report.Total)
	if err != nil {
		return nil, fmt.Errorf("returnees: %w", err)
	}

	var labels map[string]string
	switch by {
	case "origin_state", "destination_state":
		labels, err = stateNames(app)
	case "reception_point":
		labels, err = names(app, "reception_points")
	case "sector":
		labels = map[string]string{}
		for _, v := range catalog.SectorsInUS {
			labels[v.Code] = v.ES
		}
	}
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		switch {
		case r.Key == "":
			r.Label = NoValue
		case labels == nil:
			r.Label = r.Key
		default:
			r.Label = cmp.Or(labels[r.Key], r.Key)
		}
		report.TotalReturns += r.Returns
		addInts(&report.Bands, &r.Bands)
		report.Rows = append(report.Rows, r)
	}
	slices.SortFunc(report.Rows, func(a, b ReturnsRow) int {
		if (a.Key == "") != (b.Key == "") { // "Sin dato" last
			return cmp.Compare(b.Key, a.Key)
		}
		if by == "month" {
			return cmp.Compare(a.Key, b.Key)
		}
		return cmp.Or(cmp.Compare(b.Returns, a.Returns), cmp.Compare(a.Label, b.Label), cmp.Compare(a.Key, b.Key))
	})
	return report, nil
}
