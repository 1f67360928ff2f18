package seats_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/internal/testapp"
	"github.com/retorno-mx/retorno/seats"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// newCourse saves an open course of NODESS N1 in Guerrero.
func newCourse(t testing.TB, app core.App, id string, capacity int) {
	t.Helper()
	save(t, app, nil, "training_courses", map[string]any{"id": id, "title": "Curso " + id, "nodess": testapp.NodessN1,
		"theme": "tourism", "state": testapp.ID(app, "states", "curp_code", "GR"), "modality": "in_person",
		"starts_on": "2027-05-01", "capacity": capacity, "status": "open"})
}

// newPeople saves n returnees registered at Tijuana, going to Guerrero, and
// returns their ids.
func newPeople(t testing.TB, app core.App, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s%0*d", prefix, 15-len(prefix), i)
		save(t, app, nil, "returnees", map[string]any{"id": ids[i], "given_names": fmt.Sprintf("Persona %d", i),
			"first_surname": "Prueba", "birth_date": "1990-01-01", "sex": "H",
			"destination_state": testapp.ID(app, "states", "curp_code", "GR"),
			"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana")})
	}
	return ids
}

// enrollAll saves one enrollment per person in course, in order, as system
// writes asking for status, and returns their ids.
func enrollAll(t testing.TB, app core.App, course string, people []string, status string) []string {
	t.Helper()
	ids := make([]string, len(people))
	for i, p := range people {
		ids[i] = "e" + p[1:]
		save(t, app, nil, "enrollments", map[string]any{"id": ids[i], "course": course, "returnee": p, "status": status})
	}
	return ids
}

// save writes a record as who (nil: a system write) and fails the test on
// error.
func save(t testing.TB, app core.App, who *core.Record, collection string, fields map[string]any) *core.Record {
	t.Helper()
	r, err := write(app, who, collection, fields)
	if err != nil {
		t.Fatalf("save %s %v: %v", collection, fields["id"], err)
	}
	return r
}

// write creates, or updates when it exists, the record fields["id"] as who.
func write(app core.App, who *core.Record, collection string, fields map[string]any) (*core.Record, error) {
	r, err := app.FindRecordById(collection, fmt.Sprint(fields["id"]))
	if err != nil {
		col, err := app.FindCollectionByNameOrId(collection)
		if err != nil {
			return nil, err
		}
		r = core.NewRecord(col)
	}
	for k, v := range fields {
		r.Set(k, v)
	}
	actor.Set(r, who)
	return r, app.Save(r)
}

func setStatus(app core.App, who *core.Record, id, status string) error {
	_, err := write(app, who, "enrollments", map[string]any{"id": id, "status": status})
	return err
}

// statuses returns the status of each enrollment, in the order given.
func statuses(t testing.TB, app core.App, ids []string) []string {
	t.Helper()
	out := make([]string, len(ids))
	for i, id := range ids {
		r, err := app.FindRecordById("enrollments", id)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r.GetString("status")
	}
	return out
}

func wantStatuses(t *testing.T, app core.App, ids []string, want ...string) {
	t.Helper()
	if got := statuses(t, app, ids); !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
}

func TestAllocate_EnrolledUntilFullThenWaitlisted(t *testing.T) {
	app := testapp.New(t)
	newCourse(t, app, "courseallocate1", 2)
	people := newPeople(t, app, "palloc", 4)
	var ids []string
	for i, asked := range []string{"requested", "waitlisted", "enrolled", ""} {
		ids = append(ids, enrollAll(t, app, "courseallocate1", people[i:i+1], asked)...)
	}
	wantStatuses(t, app, ids, "enrolled", "enrolled", "waitlisted", "waitlisted")
	for i, id := range ids {
		if got, want := testapp.Find(t, app, "enrollments", id).GetInt("request_order"), i+1; got != want {
			t.Errorf("%s: request_order = %d, want %d", id, got, want)
		}
	}
	if got, err := seats.Free(app, "courseallocate1"); err != nil || got != 0 {
		t.Errorf("Free = %d, %v; want 0", got, err)
	}
}

func TestDrop_PromotesFirstWaitlisted(t *testing.T) {
	app := testapp.New(t)
	newCourse(t, app, "coursedropping1", 2)
	ids := enrollAll(t, app, "coursedropping1", newPeople(t, app, "pdrop", 5), "requested")
	wantStatuses(t, app, ids, "enrolled", "enrolled", "waitlisted", "waitlisted", "waitlisted")

	if err := setStatus(app, nil, ids[1], "dropped"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, ids, "enrolled", "dropped", "enrolled", "waitlisted", "waitlisted")

	// a waitlisted person who drops frees no seat
	if err := setStatus(app, nil, ids[3], "dropped"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, ids, "enrolled", "dropped", "enrolled", "dropped", "waitlisted")

	// a deleted enrollment frees its seat too
	if err := app.Delete(testapp.Find(t, app, "enrollments", ids[0])); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, ids[1:], "dropped", "enrolled", "dropped", "enrolled")
}

func TestStaff_NeverExceedCapacity(t *testing.T) {
	app := testapp.New(t)
	staff := testapp.Find(t, app, "staff", testapp.NodessStaff1)
	newCourse(t, app, "coursestaffcap1", 1)
	ids := enrollAll(t, app, "coursestaffcap1", newPeople(t, app, "pstaff", 1), "requested")
	// ReturneeA1 shared their data with N1, so its staff may enroll them
	a1 := save(t, app, staff, "enrollments", map[string]any{"id": "enrollstaffa101", "course": "coursestaffcap1",
		"returnee": testapp.ReturneeA1, "status": "enrolled"})
	if got := a1.GetString("status"); got != "waitlisted" {
		t.Fatalf("staff's enrollment in a full course = %s, want waitlisted", got)
	}

	for _, status := range []string{"enrolled", "completed"} {
		err := setStatus(app, staff, a1.Id, status)
		if err == nil || !strings.Contains(err.Error(), "course_full") && !strings.Contains(err.Error(), "lugares") {
			t.Errorf("staff sets %s in a full course: err = %v, want course_full", status, err)
		}
	}
	wantStatuses(t, app, []string{ids[0], a1.Id}, "enrolled", "waitlisted")

	// staff may still complete and drop; the seat of the completed stays taken
	if err := setStatus(app, staff, ids[0], "completed"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, []string{ids[0], a1.Id}, "completed", "waitlisted")
	if err := setStatus(app, staff, ids[0], "dropped"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, []string{ids[0], a1.Id}, "dropped", "enrolled")

	// request_order is the server's
	if _, err := write(app, staff, "enrollments", map[string]any{"id": a1.Id, "request_order": 99}); err != nil {
		t.Fatal(err)
	}
	if got := testapp.Find(t, app, "enrollments", a1.Id).GetInt("request_order"); got != 2 {
		t.Errorf("request_order after staff wrote 99 = %d, want 2", got)
	}
}

func TestCapacity_GrowPromotesShrinkEvictsNobody(t *testing.T) {
	app := testapp.New(t)
	newCourse(t, app, "coursecapacity1", 1)
	ids := enrollAll(t, app, "coursecapacity1", newPeople(t, app, "pcap", 4), "requested")
	wantStatuses(t, app, ids, "enrolled", "waitlisted", "waitlisted", "waitlisted")

	save(t, app, nil, "training_courses", map[string]any{"id": "coursecapacity1", "capacity": 3})
	wantStatuses(t, app, ids, "enrolled", "enrolled", "enrolled", "waitlisted")

	save(t, app, nil, "training_courses", map[string]any{"id": "coursecapacity1", "capacity": 1})
	wantStatuses(t, app, ids, "enrolled", "enrolled", "enrolled", "waitlisted")

	// three seats held for one: two drops free nothing, the third frees one
	for i, want := range [][]string{
		{"dropped", "enrolled", "enrolled", "waitlisted"},
		{"dropped", "dropped", "enrolled", "waitlisted"},
		{"dropped", "dropped", "dropped", "enrolled"},
	} {
		if err := setStatus(app, nil, ids[i], "dropped"); err != nil {
			t.Fatal(err)
		}
		wantStatuses(t, app, ids, want...)
	}
}

func TestClosedCourse_NoPromotionUntilReopened(t *testing.T) {
	app := testapp.New(t)
	newCourse(t, app, "courseclosing01", 1)
	ids := enrollAll(t, app, "courseclosing01", newPeople(t, app, "pclose", 2), "requested")
	save(t, app, nil, "training_courses", map[string]any{"id": "courseclosing01", "status": "closed"})

	if err := setStatus(app, nil, ids[0], "dropped"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, ids, "dropped", "waitlisted")
	_, err := write(app, nil, "enrollments", map[string]any{"id": "enrollclosed001", "course": "courseclosing01", "returnee": testapp.ReturneeA2})
	if err == nil || !strings.Contains(err.Error(), "course_not_open") && !strings.Contains(err.Error(), "abierto") {
		t.Errorf("enrollment in a closed course: err = %v, want course_not_open", err)
	}

	save(t, app, nil, "training_courses", map[string]any{"id": "courseclosing01", "status": "open"})
	wantStatuses(t, app, ids, "dropped", "enrolled")
}

func TestWaitlistAgain_GoesToTheBack(t *testing.T) {
	app := testapp.New(t)
	newCourse(t, app, "courserequeue01", 1)
	ids := enrollAll(t, app, "courserequeue01", newPeople(t, app, "prequeue", 3), "requested")
	if err := setStatus(app, nil, ids[0], "waitlisted"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, ids, "waitlisted", "enrolled", "waitlisted")
	if got := testapp.Find(t, app, "enrollments", ids[0]).GetInt("request_order"); got != 4 {
		t.Errorf("request_order of the requeued = %d, want 4", got)
	}
	// alone in a course with a free seat, a waitlisted enrollment takes it
	newCourse(t, app, "courserequeue02", 2)
	single := enrollAll(t, app, "courserequeue02", newPeople(t, app, "psingle", 1), "requested")
	if err := setStatus(app, nil, single[0], "waitlisted"); err != nil {
		t.Fatal(err)
	}
	wantStatuses(t, app, single, "enrolled")
}

// A returnee's request through the REST API is answered with the seat the
// server gave it; a returnee's drop promotes the next in line.
func TestREST_ReturneeRequestAndDrop(t *testing.T) {
	// tokens stay valid across clones of the template
	token := testapp.Token(t, testapp.New(t), "returnee_accounts", testapp.AccountB1)
	const course = "courserestapi01"
	body := `{"id":"enrollrestb1001","course":"` + course + `","returnee":"` + testapp.ReturneeB1 + `","status":"requested"}`
	scenarios := []tests.ApiScenario{
		{
			Name: "a free seat", Method: http.MethodPost, URL: "/api/collections/enrollments/records", Body: strings.NewReader(body),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				newCourse(t, app, course, 1)
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"enrolled"`, `"request_order":1`},
			ExpectedEvents: map[string]int{"OnRecordCreateRequest": 1},
		},
		{
			Name: "a full course", Method: http.MethodPost, URL: "/api/collections/enrollments/records", Body: strings.NewReader(body),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				newCourse(t, app, course, 1)
				enrollAll(t, app, course, newPeople(t, app, "pfull", 1), "requested")
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"waitlisted"`, `"request_order":2`},
			ExpectedEvents: map[string]int{"OnRecordCreateRequest": 1},
		},
		{
			Name: "a drop promotes the next", Method: http.MethodPatch, URL: "/api/collections/enrollments/records/enrollrestb1001",
			Body: strings.NewReader(`{"status":"dropped"}`),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				newCourse(t, app, course, 1)
				save(t, app, nil, "enrollments", map[string]any{"id": "enrollrestb1001", "course": course, "returnee": testapp.ReturneeB1})
				enrollAll(t, app, course, newPeople(t, app, "pnext", 1), "requested")
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if got := testapp.Find(t, app, "enrollments", "enext0000000000").GetString("status"); got != "enrolled" {
					t.Errorf("next in line = %s, want enrolled", got)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"dropped"`},
			ExpectedEvents: map[string]int{"OnRecordUpdateRequest": 1},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory
		s.Headers = map[string]string{"Authorization": token}
		s.Test(t)
	}
}

// Requests through the REST API that reach the server at once are counted
// in their own transactions: never more enrolled than seats.
func TestREST_ConcurrentRequestsKeepCapacity(t *testing.T) {
	const requests, capacity, course = 30, 10, "courseconcurre1"
	app, srv := testapp.NewServed(t)
	newCourse(t, app, course, capacity)
	people := newPeople(t, app, "pconc", requests)
	token := testapp.Token(t, app, core.CollectionNameSuperusers, testapp.AddSuperuser(t, app).Id)

	var wg sync.WaitGroup
	start := make(chan struct{})
	codes := make([]int, requests)
	for i, person := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"course":%q,"returnee":%q}`, course, person)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/collections/enrollments/records", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", token)
			<-start
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	close(start)
	wg.Wait()

	count := map[string]int{}
	for i, person := range people {
		if codes[i] != http.StatusOK {
			t.Errorf("request %d: %d", i, codes[i])
		}
		r, err := app.FindFirstRecordByData("enrollments", "returnee", person)
		if err != nil {
			t.Fatal(err)
		}
		count[r.GetString("status")]++
	}
	if count["enrolled"] != capacity || count["waitlisted"] != requests-capacity {
		t.Errorf("statuses = %v, want %d enrolled and %d waitlisted", count, capacity, requests-capacity)
	}
}
