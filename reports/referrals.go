package reports

import (
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Stages of the referrals funnel, in order, with the referral statuses each
// one counts. A referral moves pending → accepted → attended → closed, or
// pending → rejected (hooks/returnee_children.go), so each of the first four
// stages counts the referrals that reached it; a referral without a status
// is pending.
var Stages = []struct {
	Stage, Label string
	Statuses     []string
}{
	{"referred", "Canalizadas", []string{"", "pending", "accepted", "attended", "closed", "rejected"}},
	{"accepted", "Aceptadas", []string{"accepted", "attended", "closed"}},
	{"attended", "Atendidas", []string{"attended", "closed"}},
	{"closed", "Cerradas", []string{"closed"}},
	{"pending", "Pendientes", []string{"", "pending"}},
	{"rejected", "Rechazadas", []string{"rejected"}},
}

// FunnelRow is one stage of the referrals funnel: how many of the referrals
// the caller can list reached it, split by the person's sex and age when
// they were referred.
type FunnelRow struct {
	Stage     string `json:"stage"`
	Label     string `json:"label"`
	Referrals int    `json:"referrals" db:"referrals"`
	Bands
}

// ReferralsReport is the JSON answer of GET /api/reports/referrals.
type ReferralsReport = Table[FunnelRow]

func referrals(app core.App, info *core.RequestInfo) (*ReferralsReport, error) {
	scopes, err := visible(app, info, [2]string{"referrals", "[[f.id]]"}, [2]string{"returnees", "[[p.id]]"})
	if err != nil {
		return nil, err
	}
	var byStatus []struct {
		Status string `db:"status"`
		FunnelRow
	}
	err = app.DB().Select(append([]string{"COALESCE(f.[[status]], '') AS [[status]]", "COUNT(*) AS [[referrals]]"},
		bandColumns("p", "f.[[created]]")...)...).
		From("referrals f").
		LeftJoin("returnees p", dbx.And(dbx.NewExp("p.[[id]] = f.[[returnee]]"), scopes[1])).
		Where(scopes[0]).
		GroupBy("status").All(&byStatus)
	if err != nil {
		return nil, fmt.Errorf("referrals: %w", err)
	}
	report := &ReferralsReport{"referrals", make([]FunnelRow, len(Stages))}
	for i, s := range Stages {
		row := &report.Rows[i]
		row.Stage, row.Label = s.Stage, s.Label
		for _, b := range byStatus {
			if slices.Contains(s.Statuses, b.Status) {
				addInts(row, &b.FunnelRow)
			}
		}
	}
	return report, nil
}
