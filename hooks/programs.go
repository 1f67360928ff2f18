package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// bindPrograms checks writes to what NODESS staff run and returnees ask for
// (courses, savings groups, enrollments, memberships, ledger entries; the
// catalog says which): NODESS staff write only for their own node
// (catalog.Node); a returnee only asks to enroll or join for themselves, and
// may only drop out or leave (catalog.ReturneeRequest). A new record without
// a status gets the collection's default (catalog.DefaultStatus).
func bindPrograms(app core.App) {
	withDefault := catalog.Where(func(c catalog.Collection) bool { return c.DefaultStatus != "" })
	checked := catalog.Where(func(c catalog.Collection) bool { return c.RunByNodess() || c.ReturneeRequest != nil })
	app.OnRecordCreate(withDefault...).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			entry, _ := catalog.Lookup(e.Record.Collection().Name)
			e.Record.Set("status", entry.DefaultStatus)
		}
		if e.Record.Collection().Name == "group_members" && e.Record.GetString("role") == "" {
			e.Record.Set("role", "member")
		}
		return e.Next()
	})

	app.OnRecordValidate(checked...).BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			who := actor.Of(e.Context, e.Record)
			name := e.Record.Collection().Name
			entry, _ := catalog.Lookup(name)
			if name == "enrollments" && e.Record.IsNew() {
				course, err := e.App.FindRecordById(catalog.TrainingCourses, e.Record.GetString("course"))
				if err == nil && course.GetString("status") != "open" {
					c.add("course", "course_not_open", "El curso no está abierto a inscripciones.")
				}
			}
			switch role(who) {
			case "nodess_staff":
				path := entry.Node
				if path.Field == "" {
					return
				}
				field, node := path.Field, e.Record.GetString(path.Field)
				if path.Via != "" {
					field = path.Via
					parent, err := e.App.FindRecordById(e.Record.Collection().Fields.GetByName(path.Via).(*core.RelationField).CollectionId, e.Record.GetString(path.Via))
					if err != nil {
						return // the relation's own validation reports it
					}
					node = parent.GetString(path.Field)
				}
				if node != who.GetString("nodess") {
					c.add(field, "outside_scope", "Solo puedes administrar registros de tu propio NODESS.")
				}
			case "returnee":
				request := entry.ReturneeRequest
				if request == nil {
					return
				}
				if e.Record.GetString("returnee") != who.GetString("returnee") {
					c.add("returnee", "outside_scope", "Solo puedes hacer solicitudes a tu nombre.")
				}
				if e.Record.IsNew() {
					onlyFields(c, e.Record, "course", "group", "returnee", "status", "role")
					if e.Record.GetString("status") != request.New {
						c.add("status", "invalid_status", "Una solicitud nueva empieza como "+request.New+".")
					}
					if r := e.Record.GetString("role"); r != "" && r != "member" {
						c.add("role", "not_editable", "No puedes modificar este campo.")
					}
					return
				}
				onlyFields(c, e.Record, "status")
				if s := e.Record.GetString("status"); s != e.Record.Original().GetString("status") && s != request.Exit {
					c.add("status", "invalid_status", "Solo puedes cambiar tu solicitud a "+request.Exit+".")
				}
			}
		})
	})
}
