package suggest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/suggest"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// Extra records of these tests, besides the fixtures. In Guerrero, where
// ReturneeA1 and ReturneeA2 are going: four open courses with seats, one
// full, one closed, and two savings groups that do not take members;
// elsewhere, an open course and a group in Oaxaca.
const (
	courseAgro    = "sugcourseagro01"
	courseFood    = "sugcoursefood01"
	courseFinance = "sugcoursefina01"
	courseArt     = "sugcourseart001"
	courseFull    = "sugcoursefull01" // capacity 1, ReturneeB1 enrolled
	courseClosed  = "sugcourseclos01"
	courseOaxaca  = "sugcourseoaxa01"

	groupForming   = "suggroupform001"
	groupNotTaking = "suggroupfull001" // active, accepting_members false
	groupClosed    = "suggroupclos001"
	groupOaxaca    = "suggroupoaxa001"
)

// newApp returns a fixture app with the extra records, and ReturneeA1
// needing training and money, going to Chilpancingo.
func newApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app := testapp.New(t)
	gr := testapp.ID(app, "states", "curp_code", "GR")
	oc := testapp.ID(app, "states", "curp_code", "OC")
	course := func(id, title, theme, state, status string, capacity int, description string) map[string]any {
		return map[string]any{"id": id, "title": title, "nodess": testapp.NodessN1, "theme": theme, "state": state,
			"municipality": "Chilpancingo", "modality": "in_person", "starts_on": "2027-02-01", "capacity": capacity,
			"status": status, "description": description}
	}
	group := func(id, name, state, status string, accepting bool) map[string]any {
		return map[string]any{"id": id, "name": name, "nodess": testapp.NodessN1, "state": state, "methodology": "vsla",
			"municipality": "Chilpancingo", "share_value_cents": 2000, "min_shares": 1, "max_shares": 5,
			"cycle_start": "2026-10-01", "cycle_end": "2027-08-31", "status": status, "accepting_members": accepting}
	}
	save(t, app, "training_courses",
		course(courseAgro, "Producción de hortalizas de traspatio", "agro_livestock_fishing", gr, "open", 10, "Siembra y cosecha de hortalizas en casa."),
		course(courseFood, "Gastronomía tradicional para el turismo", "tourism", gr, "open", 10, "Cocina tradicional guerrerense para visitantes."),
		course(courseFinance, "Educación financiera y remesas", "solidarity_finance", gr, "open", 10, ""),
		course(courseArt, "Alfarería tradicional", "art_culture", gr, "open", 10, ""),
		course(courseFull, "Apicultura para principiantes", "agro_livestock_fishing", gr, "open", 1, ""),
		course(courseClosed, "Cooperativas agrícolas: organización y venta", "agro_livestock_fishing", gr, "closed", 10, ""),
		course(courseOaxaca, "Agroecología y composta", "agro_livestock_fishing", oc, "open", 10, ""),
	)
	save(t, app, "enrollments", map[string]any{"id": "sugenrollfull01", "course": courseFull, "returnee": testapp.ReturneeB1, "status": "enrolled"})
	// the course closes after its enrollment, which needs an open course
	save(t, app, "savings_groups",
		group(groupForming, "Grupo de Ahorro Raíces", gr, "forming", true),
		group(groupNotTaking, "Grupo de Ahorro Tequio", gr, "active", false),
		group(groupClosed, "Grupo de Ahorro La Esperanza", gr, "closed", true),
		group(groupOaxaca, "Grupo de Ahorro Mano Vuelta", oc, "forming", true),
	)
	testapp.Update(t, app, "returnees", testapp.ReturneeA1, map[string]any{"needs": []string{"training", "financial"}, "destination_municipality": "Chilpancingo"})
	return app
}

// save writes records of collection as system writes.
func save(t *testing.T, app core.App, collection string, records ...map[string]any) {
	t.Helper()
	for _, fields := range records {
		testapp.Save(t, app, collection, fields)
	}
}

// get sends GET path as the auth record collection/id ("" for a guest).
func get(t *testing.T, srv *httptest.Server, app core.App, collection, id, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if id != "" {
		req.Header.Set("Authorization", testapp.Token(t, app, collection, id))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, body
}

func suggestions(t *testing.T, srv *httptest.Server, app core.App, collection, id, returnee string) suggest.Response {
	t.Helper()
	status, body := get(t, srv, app, collection, id, "/api/returnees/"+returnee+"/suggestions")
	if status != http.StatusOK {
		t.Fatalf("suggestions of %s as %s: %d %s", returnee, id, status, body)
	}
	var res suggest.Response
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

func courseIDs(res suggest.Response) []string {
	var ids []string
	for _, c := range res.Courses {
		ids = append(ids, c.ID)
	}
	return ids
}

func groupIDs(res suggest.Response) []string {
	var ids []string
	for _, g := range res.SavingsGroups {
		ids = append(ids, g.ID)
	}
	return ids
}

func codes(reasons []suggest.Reason) []string {
	var out []string
	for _, r := range reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestSuggestions_RankingAndReasons(t *testing.T) {
	app := newApp(t)
	srv := testapp.Serve(t, app)
	res := suggestions(t, srv, app, "returnee_accounts", testapp.AccountA1, testapp.ReturneeA1)

	if res.Returnee != testapp.ReturneeA1 {
		t.Errorf("returnee %q", res.Returnee)
	}
	// María José: agriculture in the US, skills "cosecha, cocina", needs
	// training and financial, going to Chilpancingo; already in CourseN1
	// and GroupN1.
	want := []struct {
		id     string
		score  int
		reason []string
	}{
		{courseAgro, 70, []string{"sector", "need_training", "skill", "municipality", "destination_state"}},
		{courseFinance, 50, []string{"need_financial", "need_training", "municipality", "destination_state"}},
		{courseFood, 40, []string{"need_training", "skill", "municipality", "destination_state"}},
		{courseArt, 30, []string{"need_training", "municipality", "destination_state"}},
	}
	if got := courseIDs(res); len(got) != len(want) {
		t.Fatalf("courses %v, want %d", got, len(want))
	}
	for i, w := range want {
		c := res.Courses[i]
		if c.ID != w.id || c.Score != w.score || !slices.Equal(codes(c.Reasons), w.reason) {
			t.Errorf("course %d: %s score %d reasons %v, want %s %d %v", i, c.ID, c.Score, codes(c.Reasons), w.id, w.score, w.reason)
		}
		sum := 0
		for _, r := range c.Reasons {
			sum += r.Points
			if r.Text == "" {
				t.Errorf("course %s: reason %s without text", c.ID, r.Code)
			}
		}
		if sum != c.Score {
			t.Errorf("course %s: score %d, reasons add up to %d", c.ID, c.Score, sum)
		}
	}
	agro := res.Courses[0]
	if got, want := agro.Reasons[0].Text, "Coincide con su experiencia en agricultura en Estados Unidos."; got != want {
		t.Errorf("sector reason %q, want %q", got, want)
	}
	if got, want := agro.Reasons[2].Text, "Coincide con su habilidad «cosecha»."; got != want {
		t.Errorf("skill reason %q, want %q", got, want)
	}
	if agro.FreeSeats != 10 || agro.ThemeLabel != catalog.Themes.Label("agro_livestock_fishing") {
		t.Errorf("agro course: %d free seats, theme label %q", agro.FreeSeats, agro.ThemeLabel)
	}
	if got, want := res.Courses[2].Reasons[1].Text, "Coincide con su habilidad «cocina»."; got != want {
		t.Errorf("food course skill reason %q, want %q", got, want)
	}

	if got := groupIDs(res); !slices.Equal(got, []string{groupForming}) {
		t.Fatalf("groups %v, want only %s", got, groupForming)
	}
	if g := res.SavingsGroups[0]; g.Score != 40 || !slices.Equal(codes(g.Reasons), []string{"need_financial", "municipality", "destination_state"}) {
		t.Errorf("group: score %d reasons %v", g.Score, codes(g.Reasons))
	}
}

// TestSuggestions_Excluded: drafts, closed and full courses, courses and
// groups elsewhere, groups not taking members, and what the person is
// already in are never suggested; with no fit at all, everything scores 0
// and comes in date order.
func TestSuggestions_Excluded(t *testing.T) {
	app := newApp(t)
	srv := testapp.Serve(t, app)

	a1 := suggestions(t, srv, app, "staff", testapp.FieldWorkerA, testapp.ReturneeA1)
	for _, id := range []string{testapp.CourseN1, testapp.CourseN1Draft, courseFull, courseClosed, courseOaxaca} {
		if slices.Contains(courseIDs(a1), id) {
			t.Errorf("A1 is offered course %s", id)
		}
	}
	for _, id := range []string{testapp.GroupN1, groupNotTaking, groupClosed, groupOaxaca} {
		if slices.Contains(groupIDs(a1), id) {
			t.Errorf("A1 is offered group %s", id)
		}
	}

	// Juan has no sector, skills or needs, and is in nothing
	a2 := suggestions(t, srv, app, "staff", testapp.FieldWorkerA, testapp.ReturneeA2)
	// CourseN1 starts first (2027-01-10); the others on 2027-02-01, by title
	if got, want := courseIDs(a2), []string{testapp.CourseN1, courseArt, courseFinance, courseFood, courseAgro}; !slices.Equal(got, want) {
		t.Errorf("A2 courses %v, want %v", got, want)
	}
	for _, c := range a2.Courses {
		if c.Score != 0 || !slices.Equal(codes(c.Reasons), []string{"destination_state"}) || c.Reasons[0].Text != "Se ofrece en su estado de destino, Guerrero." {
			t.Errorf("A2 course %s: score %d reasons %+v", c.ID, c.Score, c.Reasons)
		}
	}
	if c := a2.Courses[0]; c.ID != testapp.CourseN1 || c.FreeSeats != 19 {
		t.Errorf("CourseN1: %s with %d free seats, want 19 (20 minus A1)", c.ID, c.FreeSeats)
	}
	if got, want := groupIDs(a2), []string{testapp.GroupN1, groupForming}; !slices.Equal(got, want) {
		t.Errorf("A2 groups %v, want %v", got, want)
	}

	// a seat freed by a drop is offered again
	testapp.Update(t, app, "enrollments", "sugenrollfull01", map[string]any{"status": "dropped"})
	if got := courseIDs(suggestions(t, srv, app, "staff", testapp.FieldWorkerA, testapp.ReturneeA2)); !slices.Contains(got, courseFull) {
		t.Errorf("after the drop, A2 courses %v lack %s", got, courseFull)
	}
}

// TestSuggestions_Scope: who may view the person may ask, anyone else gets
// 404 (401 without a token).
func TestSuggestions_Scope(t *testing.T) {
	app := newApp(t)
	srv := testapp.Serve(t, app)
	su := testapp.AddSuperuser(t, app).Id
	cases := []struct {
		name, collection, auth, returnee string
		want                             int
	}{
		{"guest", "", "", testapp.ReturneeA1, http.StatusUnauthorized},
		{"own account", "returnee_accounts", testapp.AccountA1, testapp.ReturneeA1, http.StatusOK},
		{"another person's", "returnee_accounts", testapp.AccountA1, testapp.ReturneeA2, http.StatusNotFound},
		{"another account", "returnee_accounts", testapp.AccountB1, testapp.ReturneeA1, http.StatusNotFound},
		{"field worker of the point", "staff", testapp.FieldWorkerA, testapp.ReturneeA1, http.StatusOK},
		{"field worker elsewhere", "staff", testapp.FieldWorkerB, testapp.ReturneeA1, http.StatusNotFound},
		{"NODESS with consent", "staff", testapp.NodessStaff1, testapp.ReturneeA1, http.StatusOK},
		{"NODESS without consent", "staff", testapp.NodessStaff1, testapp.ReturneeA2, http.StatusNotFound},
		{"other NODESS", "staff", testapp.NodessStaff2, testapp.ReturneeA1, http.StatusNotFound},
		{"coordinator of the state", "staff", testapp.CoordBC, testapp.ReturneeA1, http.StatusOK},
		{"coordinator elsewhere", "staff", testapp.CoordBC, testapp.ReturneeB1, http.StatusNotFound},
		{"superuser", core.CollectionNameSuperusers, su, testapp.ReturneeB1, http.StatusOK},
		{"no such person", core.CollectionNameSuperusers, su, "nosuchreturnee1", http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := get(t, srv, app, c.collection, c.auth, "/api/returnees/"+c.returnee+"/suggestions")
			if status != c.want {
				t.Fatalf("status %d, want %d: %s", status, c.want, body)
			}
			if status != http.StatusOK && json.Valid(body) && slices.Contains([]string{testapp.ReturneeA1, testapp.ReturneeA2}, c.returnee) {
				var res map[string]any
				_ = json.Unmarshal(body, &res)
				if _, leaked := res["courses"]; leaked {
					t.Errorf("refusal carries suggestions: %s", body)
				}
			}
		})
	}
}

// TestSuggestions_CourseListRule: the training_courses list rule is applied
// for the caller, so a rule that hides courses from returnee accounts hides
// them from their suggestions too.
func TestSuggestions_CourseListRule(t *testing.T) {
	app := newApp(t)
	srv := testapp.Serve(t, app)
	col, err := app.FindCollectionByNameOrId("training_courses")
	if err != nil {
		t.Fatal(err)
	}
	col.ListRule = types.Pointer(`@request.auth.collectionName = "staff" && theme != "art_culture"`)
	if err := app.Save(col); err != nil {
		t.Fatal(err)
	}
	if got := courseIDs(suggestions(t, srv, app, "returnee_accounts", testapp.AccountA1, testapp.ReturneeA1)); len(got) != 0 {
		t.Errorf("returnee account offered %v under a staff-only rule", got)
	}
	if got, want := courseIDs(suggestions(t, srv, app, "staff", testapp.FieldWorkerA, testapp.ReturneeA1)), []string{courseAgro, courseFinance, courseFood}; !slices.Equal(got, want) {
		t.Errorf("field worker: %v, want %v", got, want)
	}
}

// TestSuggestions_SkillsSectorNeeds: skills match accent- and
// case-insensitively, a skill's ecosystem counts when the words differ, and
// the sector and employment need rank trade courses first.
func TestSuggestions_SkillsSectorNeeds(t *testing.T) {
	app := newApp(t)
	srv := testapp.Serve(t, app)
	gr := testapp.ID(app, "states", "curp_code", "GR")
	save(t, app, "training_courses",
		map[string]any{"id": "sugcoursebuil01", "title": "Albañilería y acabados", "nodess": testapp.NodessN1, "theme": "industry_energy_technology",
			"state": gr, "modality": "in_person", "starts_on": "2027-02-01", "capacity": 12, "status": "open"},
		map[string]any{"id": "sugcoursetour01", "title": "Turismo comunitario y guías locales", "nodess": testapp.NodessN1, "theme": "tourism",
			"state": gr, "modality": "in_person", "starts_on": "2027-02-01", "capacity": 12, "status": "open"},
	)
	save(t, app, "returnees", map[string]any{"id": "sugreturneec001", "given_names": "Óscar", "first_surname": "Núñez",
		"birth_date": "1988-03-04", "sex": "H", "destination_state": gr, "reception_point": testapp.ID(app, "reception_points", "city", "Tijuana"),
		"sector_in_us": "construction", "skills": "ALBAÑILERÍA; Cocina", "needs": []string{"employment", "documents"}})

	res := suggestions(t, srv, app, "staff", testapp.FieldWorkerA, "sugreturneec001")
	want := []struct {
		id     string
		score  int
		reason []string
	}{
		{"sugcoursebuil01", 55, []string{"sector", "need_employment", "skill", "destination_state"}},
		{courseFood, 10, []string{"skill", "destination_state"}},
		{"sugcoursetour01", 10, []string{"skill_theme", "destination_state"}},
		{testapp.CourseN1, 0, []string{"destination_state"}},
		{courseArt, 0, []string{"destination_state"}},
		{courseFinance, 0, []string{"destination_state"}},
		{courseAgro, 0, []string{"destination_state"}},
	}
	if len(res.Courses) != len(want) {
		t.Fatalf("courses %v, want %d", courseIDs(res), len(want))
	}
	for i, w := range want {
		c := res.Courses[i]
		if c.ID != w.id || c.Score != w.score || !slices.Equal(codes(c.Reasons), w.reason) {
			t.Errorf("course %d: %s score %d reasons %v, want %s %d %v", i, c.ID, c.Score, codes(c.Reasons), w.id, w.score, w.reason)
		}
	}
	if got, want := res.Courses[0].Reasons[2].Text, "Coincide con su habilidad «ALBAÑILERÍA»."; got != want {
		t.Errorf("skill reason %q, want %q", got, want)
	}
	if got, want := res.Courses[2].Reasons[0].Text, "Su habilidad «Cocina» es afín al ecosistema Turismo."; got != want {
		t.Errorf("skill theme reason %q, want %q", got, want)
	}
	for _, g := range res.SavingsGroups {
		if g.Score != 10 || g.Reasons[0].Code != "need_employment" {
			t.Errorf("group %s: score %d reasons %v", g.ID, g.Score, codes(g.Reasons))
		}
	}
}
