package demo_test

import (
	"cmp"
	"errors"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/curp"
	"github.com/retorno-mx/retorno/demo"
)

// checkSeeded checks a seeded app against every rule the demo implies.
func checkSeeded(t *testing.T, app core.App, sum demo.Summary) {
	t.Helper()
	all := map[string][]*core.Record{}
	byID := map[string]map[string]*core.Record{}
	for _, name := range append(slices.Clone(demoCollections), "states") {
		all[name] = mustFind(t, app, name)
		byID[name] = map[string]*core.Record{}
		for _, r := range all[name] {
			byID[name][r.Id] = r
		}
	}
	staff, returnees, states := byID["staff"], byID["returnees"], byID["states"]

	t.Run("counts", func(t *testing.T) {
		for _, name := range demoCollections {
			if got, want := len(all[name]), sum.Counts[name]; got != want {
				t.Errorf("%s: %d records in the database, Summary says %d", name, got, want)
			}
		}
		for name := range sum.Counts {
			if !slices.Contains(demoCollections, name) {
				t.Errorf("Summary counts unknown collection %s", name)
			}
		}
	})

	t.Run("validate", func(t *testing.T) {
		failures := 0
		for _, name := range demoCollections {
			for _, r := range all[name] {
				if err := app.Validate(r); err != nil && failures < 10 {
					failures++
					t.Errorf("%s %s: %v", name, r.Id, err)
				}
			}
		}
	})

	// isWorkerAt reports whether staff id is a field worker of point.
	isWorkerAt := func(id, point string) bool {
		s := staff[id]
		return s != nil && s.GetString("role") == "field_worker" && s.GetString("reception_point") == point
	}

	t.Run("field workers", func(t *testing.T) {
		for _, r := range all["returnees"] {
			if !isWorkerAt(r.GetString("registered_by"), r.GetString("reception_point")) {
				t.Errorf("returnee %s registered by %q, not a field worker of its point", r.Id, r.GetString("registered_by"))
			}
		}
		for name, field := range map[string]string{"consents": "collected_by", "referrals": "referred_by", "case_notes": "author"} {
			for _, r := range all[name] {
				person := returnees[r.GetString("returnee")]
				if person == nil || !isWorkerAt(r.GetString(field), person.GetString("reception_point")) {
					t.Errorf("%s %s: %s %q is not a field worker of the person's point", name, r.Id, field, r.GetString(field))
				}
			}
		}
	})

	t.Run("CURP", func(t *testing.T) {
		seen := map[string]bool{}
		for _, r := range all["returnees"] {
			c := r.GetString("curp")
			if c == "" {
				continue
			}
			if err := curp.Validate(c); err != nil {
				t.Errorf("returnee %s: CURP %s: %v", r.Id, c, err)
				continue
			}
			if seen[c] {
				t.Errorf("CURP %s used twice", c)
			}
			seen[c] = true
			born, _ := curp.BirthDate(c)
			birthState := states[r.GetString("birth_state")]
			if born.Format("2006-01-02") != r.GetString("birth_date") || curp.Sex(c) != r.GetString("sex") ||
				birthState == nil || curp.StateCode(c) != birthState.GetString("curp_code") {
				t.Errorf("returnee %s: CURP %s disagrees with birth date, sex or birth state", r.Id, c)
			}
		}
		if share := float64(len(seen)) / float64(len(all["returnees"])); len(all["returnees"]) >= 100 && (share < 0.45 || share > 0.75) {
			t.Errorf("%.0f%% of returnees have a CURP, want about 60%%", share*100)
		}
	})

	t.Run("sensitive needs", func(t *testing.T) {
		consented := map[string]bool{}
		for _, c := range all["consents"] {
			if c.GetString("purpose") == catalog.ConsentSensitive && c.GetBool("granted") && c.GetDateTime("withdrawn_at").IsZero() {
				consented[c.GetString("returnee")] = true
			}
		}
		people := 0
		for _, name := range []string{"returnees", "returns"} {
			for _, r := range all[name] {
				person := r.Id
				if name == "returns" {
					person = r.GetString("returnee")
				}
				if len(catalog.SensitiveOf(r.GetStringSlice("needs"))) == 0 {
					continue
				}
				if name == "returnees" {
					people++
				}
				if !consented[person] {
					t.Errorf("%s %s: sensitive needs %v without a sensitive_data consent", name, r.Id, r.GetStringSlice("needs"))
				}
			}
		}
		if people == 0 && len(all["returnees"]) >= 40 {
			t.Error("nobody has a sensitive need: the demo shows none")
		}
	})

	t.Run("NODESS scope", func(t *testing.T) {
		covers := func(nodessID, stateID string) bool {
			n := byID["nodess"][nodessID]
			return n != nil && slices.Contains(n.GetStringSlice("states"), stateID)
		}
		shared := map[string]bool{} // returnees with a share_nodess consent, even if withdrawn
		active := map[string]bool{} // ... granted and not withdrawn
		for _, c := range all["consents"] {
			if c.GetString("purpose") == "share_nodess" {
				shared[c.GetString("returnee")] = true
				if c.GetBool("granted") && c.GetDateTime("withdrawn_at").IsZero() {
					active[c.GetString("returnee")] = true
				}
			}
		}
		referred := map[string][]string{}
		for _, r := range all["referrals"] {
			person := returnees[r.GetString("returnee")]
			if !covers(r.GetString("nodess"), person.GetString("destination_state")) {
				t.Errorf("referral %s: NODESS does not cover the destination state", r.Id)
			}
			if !shared[person.Id] {
				t.Errorf("referral %s: person never consented to share_nodess", r.Id)
			}
			if r.GetString("status") != "rejected" && !slices.Contains(referred[person.Id], r.GetString("nodess")) {
				referred[person.Id] = append(referred[person.Id], r.GetString("nodess"))
			}
		}
		for _, r := range all["returnees"] {
			if got, want := r.GetBool("nodess_consent"), active[r.Id]; got != want {
				t.Errorf("returnee %s: nodess_consent = %v, want %v", r.Id, got, want)
			}
			want := referred[r.Id]
			slices.Sort(want)
			if got := r.GetStringSlice("referred_nodess"); !slices.Equal(got, want) {
				t.Errorf("returnee %s: referred_nodess = %v, want %v", r.Id, got, want)
			}
		}
		for _, name := range []string{"training_courses", "savings_groups"} {
			for _, r := range all[name] {
				if !covers(r.GetString("nodess"), r.GetString("state")) {
					t.Errorf("%s %s: its NODESS does not cover its state", name, r.Id)
				}
			}
		}
	})

	t.Run("referrals and follow-ups", func(t *testing.T) {
		for _, r := range all["referrals"] {
			status := r.GetString("status")
			if (status == "closed" || status == "rejected") != (r.GetString("closed_reason") != "") || r.GetString("due_on") == "" {
				t.Errorf("referral %s: %s, closed_reason %q, due_on %q", r.Id, status, r.GetString("closed_reason"), r.GetString("due_on"))
			}
		}
		for _, f := range all["follow_ups"] {
			referral, person := byID["referrals"][f.GetString("referral")], returnees[f.GetString("returnee")]
			switch {
			case referral == nil || referral.GetString("returnee") != person.Id || referral.GetString("nodess") != f.GetString("nodess"):
				t.Errorf("follow-up %s: not of its referral's person and NODESS", f.Id)
			case f.GetString("due_on") < person.GetString("repatriation_date"):
				t.Errorf("follow-up %s: due %s, before the return of %s", f.Id, f.GetString("due_on"), person.GetString("repatriation_date"))
			case f.GetString("status") == "scheduled" && !person.GetBool("nodess_consent"):
				t.Errorf("follow-up %s: scheduled, yet the person withdrew their consent", f.Id)
			case (f.GetString("status") == "done") != (f.GetString("done_on") != ""):
				t.Errorf("follow-up %s: %s, done on %q", f.Id, f.GetString("status"), f.GetString("done_on"))
			}
		}
	})

	t.Run("courses", func(t *testing.T) {
		byStatus := map[string]map[string]int{} // course id -> status -> count
		for _, e := range all["enrollments"] {
			course, person := byID["training_courses"][e.GetString("course")], returnees[e.GetString("returnee")]
			if course.GetString("state") != person.GetString("destination_state") {
				t.Errorf("enrollment %s: the person is going to another state", e.Id)
			}
			if byStatus[course.Id] == nil {
				byStatus[course.Id] = map[string]int{}
			}
			byStatus[course.Id][e.GetString("status")]++
		}
		drafts := 0
		for _, c := range all["training_courses"] {
			capacity, n := c.GetInt("capacity"), byStatus[c.Id]
			if capacity < 10 || capacity > 30 {
				t.Errorf("course %s: capacity %d", c.Id, capacity)
			}
			if taken := n["enrolled"] + n["completed"] + n["dropped"]; taken > capacity {
				t.Errorf("course %s: %d seats taken of %d", c.Id, taken, capacity)
			}
			if n["waitlisted"] > 0 && n["enrolled"] != capacity {
				t.Errorf("course %s: %d waitlisted with %d of %d seats taken", c.Id, n["waitlisted"], n["enrolled"], capacity)
			}
			if c.GetString("status") == "draft" {
				drafts++
				if len(n) > 0 {
					t.Errorf("draft course %s has enrollments", c.Id)
				}
			}
			if y := c.GetString("starts_on")[:4]; y != "2026" && y != "2027" {
				t.Errorf("course %s starts on %s", c.Id, c.GetString("starts_on"))
			}
		}
		if drafts != 1 {
			t.Errorf("%d draft courses, want 1", drafts)
		}
	})

	t.Run("savings groups", func(t *testing.T) {
		members := map[string][]*core.Record{}
		for _, m := range all["group_members"] {
			g, person := byID["savings_groups"][m.GetString("group")], returnees[m.GetString("returnee")]
			if g.GetString("state") != person.GetString("destination_state") {
				t.Errorf("member %s: the person is going to another state", m.Id)
			}
			members[g.Id] = append(members[g.Id], m)
		}
		for _, g := range all["savings_groups"] {
			sv, bp := g.GetInt("share_value_cents"), g.GetInt("monthly_interest_bp")
			if sv < 2000 || sv > 10000 || bp < 300 || bp > 1000 || g.GetInt("min_shares") != 1 || g.GetInt("max_shares") != 5 {
				t.Errorf("group %s: share value %d, interest %d bp, shares %d-%d", g.Id, sv, bp, g.GetInt("min_shares"), g.GetInt("max_shares"))
			}
			if g.GetString("cycle_start")[:4] != "2026" || g.GetString("cycle_end")[:4] != "2027" {
				t.Errorf("group %s: cycle %s to %s", g.Id, g.GetString("cycle_start"), g.GetString("cycle_end"))
			}
			roles := map[string]int{}
			for _, m := range members[g.Id] {
				roles[m.GetString("role")]++
			}
			if n := len(members[g.Id]); n > 20 {
				t.Errorf("group %s has %d members", g.Id, n)
			}
			if g.GetString("status") == "active" && (roles["president"] != 1 || roles["secretary"] != 1 || roles["treasurer"] != 1) {
				t.Errorf("group %s: committee %v", g.Id, roles)
			}
		}
	})

	t.Run("ledger", func(t *testing.T) {
		entries := map[string][]*core.Record{}
		for _, e := range all["ledger_entries"] {
			entries[e.GetString("group")] = append(entries[e.GetString("group")], e)
		}
		outflow := func(e *core.Record) int {
			if e.GetString("type") == "loan_disbursement" {
				return 1
			}
			return 0
		}
		for _, g := range all["savings_groups"] {
			list := entries[g.Id]
			// a meeting's money comes in before loans go out
			slices.SortStableFunc(list, func(a, b *core.Record) int {
				return cmp.Or(cmp.Compare(a.GetString("meeting_date"), b.GetString("meeting_date")), cmp.Compare(outflow(a), outflow(b)))
			})
			cash := 0
			for _, e := range list {
				amount, shares := e.GetInt("amount_cents"), e.GetInt("shares")
				if d := e.GetString("meeting_date"); d < g.GetString("cycle_start") || d > g.GetString("cycle_end") {
					t.Errorf("entry %s: meeting %s outside the cycle %s to %s", e.Id, d, g.GetString("cycle_start"), g.GetString("cycle_end"))
				}
				if m := byID["group_members"][e.GetString("member")]; m == nil || m.GetString("group") != g.Id {
					t.Errorf("entry %s: member not in the group", e.Id)
				}
				if amount <= 0 {
					t.Errorf("entry %s: amount %d", e.Id, amount)
				}
				switch e.GetString("type") {
				case "share_purchase":
					if shares < g.GetInt("min_shares") || shares > g.GetInt("max_shares") || amount != shares*g.GetInt("share_value_cents") {
						t.Errorf("entry %s: %d shares for %d centavos at %d a share", e.Id, shares, amount, g.GetInt("share_value_cents"))
					}
					cash += amount
				case "loan_repayment", "interest":
					cash += amount
				case "loan_disbursement":
					cash -= amount
				case "social_fund":
				default:
					t.Errorf("entry %s: unexpected type %s", e.Id, e.GetString("type"))
				}
				if cash < 0 {
					t.Errorf("group %s: loan fund at %d centavos after entry %s", g.Id, cash, e.Id)
				}
			}
		}
	})

	t.Run("logins", func(t *testing.T) {
		collectionOf := map[string]string{"superuser": core.CollectionNameSuperusers, "returnee": "returnee_accounts"}
		staffLogins := 0
		for _, l := range sum.Logins {
			collection := cmp.Or(collectionOf[l.Role], "staff")
			r, err := app.FindAuthRecordByEmail(collection, l.Email)
			if err != nil {
				t.Errorf("login %s: %v", l.Email, err)
				continue
			}
			if !r.ValidatePassword(l.Password) {
				t.Errorf("login %s: wrong password", l.Email)
			}
			if collection == "staff" {
				staffLogins++
				if r.GetString("role") != l.Role {
					t.Errorf("login %s: role %s, listed as %s", l.Email, r.GetString("role"), l.Role)
				}
			}
		}
		if got, want := staffLogins, len(all["staff"]); got != want {
			t.Errorf("%d staff logins for %d staff", got, want)
		}
		if got, want := len(sum.Logins), len(all["staff"])+len(all["returnee_accounts"])+len(all[core.CollectionNameSuperusers]); got != want {
			t.Errorf("%d logins, want %d", got, want)
		}
		roles := map[string]int{}
		for _, s := range all["staff"] {
			roles[s.GetString("role")]++
		}
		if roles["field_worker"] != 7 || roles["coordinator"] != 3 || roles["nodess_staff"] != len(all["nodess"]) {
			t.Errorf("staff by role: %v", roles)
		}
	})

	t.Run("not empty", func(t *testing.T) {
		if _, err := demo.Seed(app, demo.Options{Returnees: 10}); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second Seed: err = %v, want ErrNotEmpty", err)
		}
		if n, _ := app.CountRecords("nodess"); int(n) != len(all["nodess"]) {
			t.Errorf("refused Seed changed the NODESS: %d, want %d", n, len(all["nodess"]))
		}
	})
}
