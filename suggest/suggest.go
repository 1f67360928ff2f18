// Package suggest answers GET /api/returnees/{id}/suggestions: the training
// courses with free seats and the savings groups accepting members in a
// returnee's destination state, ranked by fit with the person's sector in
// the US, needs and skills, each with the reasons for its score (rank.go).
//
// Who may ask is who may view the returnee (the returnees view rule: the
// person's own account, the field workers of their reception point, NODESS
// staff with their consent, the coordinators of their state, superusers);
// anyone else gets 404, as from the REST API, and a guest 401. Courses and
// groups are those the caller may list, under their collections' list rules
// applied as SQL (package internal/listrule).
package suggest

import (
	"cmp"
	"database/sql"
	"errors"
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// Response is the answer of GET /api/returnees/{id}/suggestions: best fit
// first, ties broken by the earliest start (courses) and by name.
type Response struct {
	Returnee      string         `json:"returnee"`
	Courses       []Course       `json:"courses"`
	SavingsGroups []SavingsGroup `json:"savings_groups"`
}

// Register binds the suggestions route to app.
func Register(app core.App) error {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/returnees/{id}/suggestions", suggestions).Bind(apis.RequireAuth())
		return se.Next()
	})
	return nil
}

func suggestions(e *core.RequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	returnee, err := e.App.FindRecordById(catalog.Returnees, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("", err)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	ok, err := e.App.CanAccessRecord(returnee, info, returnee.Collection().ViewRule)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !ok {
		return e.NotFoundError("", nil)
	}

	res, err := suggest(e.App, info, returnee)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}

// suggest ranks the offers open to returnee that info's auth may list.
func suggest(app core.App, info *core.RequestInfo, returnee *core.Record) (*Response, error) {
	state := returnee.GetString("destination_state")
	p := person{
		sector:       returnee.GetString("sector_in_us"),
		skills:       returnee.GetString("skills"),
		needs:        returnee.GetStringSlice("needs"),
		municipality: returnee.GetString("destination_municipality"),
	}
	if s, err := app.FindRecordById(catalog.States, state); err == nil {
		p.stateName = s.GetString("name")
	}

	courses, err := openCourses(app, info, state, returnee.Id)
	if err != nil {
		return nil, err
	}
	groups, err := openGroups(app, info, state, returnee.Id)
	if err != nil {
		return nil, err
	}

	res := &Response{Returnee: returnee.Id, Courses: []Course{}, SavingsGroups: []SavingsGroup{}}
	for _, c := range courses {
		c.Score, c.Reasons = rank(p, offer{theme: c.Theme, text: c.Title + "\n" + c.Description, municipality: c.Municipality})
		c.ThemeLabel = catalog.Themes.Label(c.Theme)
		res.Courses = append(res.Courses, c.Course)
	}
	for _, g := range groups {
		g.Score, g.Reasons = rank(p, offer{group: true, theme: "solidarity_finance", text: g.Name + "\n" + g.Description, municipality: g.Municipality})
		res.SavingsGroups = append(res.SavingsGroups, g.SavingsGroup)
	}
	slices.SortFunc(res.Courses, func(a, b Course) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.StartsOn, b.StartsOn), cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(res.SavingsGroups, func(a, b SavingsGroup) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return res, nil
}
