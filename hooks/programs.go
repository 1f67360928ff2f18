package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
)

// defaultStatus is the status a new record of each collection starts with.
var defaultStatus = map[string]string{
	"training_courses": "open",
	"savings_groups":   "forming",
	"enrollments":      "requested",
	"group_members":    "requested",
}

// returneeRequest is, per collection, the status a returnee's own request
// starts with and the one status a returnee may later move it to.
var returneeRequest = map[string][2]string{
	"enrollments":   {"requested", "dropped"},
	"group_members": {"requested", "left"},
}

// nodeOf is, per collection, the path from a record to the NODESS that runs
// it (its course's or group's node for enrollments and memberships).
var nodeOf = map[string][2]string{
	"training_courses": {"", "nodess"},
	"savings_groups":   {"", "nodess"},
	"enrollments":      {"course", "nodess"},
	"group_members":    {"group", "nodess"},
	"ledger_entries":   {"group", "nodess"},
}

// bindPrograms checks writes to courses, savings groups, enrollments and
// memberships: NODESS staff write only for their own node; a returnee only
// asks to enroll or join for themselves, and may only drop out or leave.
func bindPrograms(app core.App) {
	app.OnRecordCreate("training_courses", "savings_groups", "enrollments", "group_members").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			e.Record.Set("status", defaultStatus[e.Record.Collection().Name])
		}
		if e.Record.Collection().Name == "group_members" && e.Record.GetString("role") == "" {
			e.Record.Set("role", "member")
		}
		return e.Next()
	})

	app.OnRecordValidate("training_courses", "savings_groups", "enrollments", "group_members", "ledger_entries").BindFunc(func(e *core.RecordEvent) error {
		return validate(e, func(c checks) {
			who := actor.Of(e.Context, e.Record)
			name := e.Record.Collection().Name
			if name == "enrollments" && e.Record.IsNew() {
				course, err := e.App.FindRecordById("training_courses", e.Record.GetString("course"))
				if err == nil && course.GetString("status") != "open" {
					c.add("course", "course_not_open", "El curso no está abierto a inscripciones.")
				}
			}
			switch role(who) {
			case "nodess_staff":
				path := nodeOf[name]
				field, node := path[1], e.Record.GetString(path[1])
				if path[0] != "" {
					field = path[0]
					parent, err := e.App.FindRecordById(e.Record.Collection().Fields.GetByName(path[0]).(*core.RelationField).CollectionId, e.Record.GetString(path[0]))
					if err != nil {
						return // the relation's own validation reports it
					}
					node = parent.GetString(path[1])
				}
				if node != who.GetString("nodess") {
					c.add(field, "outside_scope", "Solo puede administrar registros de su propio NODESS.")
				}
			case "returnee":
				statuses, ok := returneeRequest[name]
				if !ok {
					return
				}
				if e.Record.GetString("returnee") != who.GetString("returnee") {
					c.add("returnee", "outside_scope", "Solo puede hacer solicitudes a su nombre.")
				}
				if e.Record.IsNew() {
					onlyFields(c, e.Record, "course", "group", "returnee", "status", "role")
					if e.Record.GetString("status") != statuses[0] {
						c.add("status", "invalid_status", "Una solicitud nueva empieza como "+statuses[0]+".")
					}
					if r := e.Record.GetString("role"); r != "" && r != "member" {
						c.add("role", "not_editable", "No puede modificar este campo.")
					}
					return
				}
				onlyFields(c, e.Record, "status")
				if s := e.Record.GetString("status"); s != e.Record.Original().GetString("status") && s != statuses[1] {
					c.add("status", "invalid_status", "Solo puede cambiar su solicitud a "+statuses[1]+".")
				}
			}
		})
	})
}
