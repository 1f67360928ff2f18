package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/catalog"
)

// bindPrograms checks writes to what NODESS staff run and returnees ask for
// (courses, savings groups, cooperatives, enrollments, memberships, ledger
// entries; the catalog says which): NODESS staff write only for their own
// node, or, for a record placed in a state, a node covering the state
// (catalog.Node); a returnee only asks to enroll or join for themselves, and
// may only drop out or leave (catalog.ReturneeRequest), never out of a
// course they completed (its certificate is the NODESS's to revoke). A new
// record without a status gets the collection's default
// (catalog.DefaultStatus).
func bindPrograms(app core.App) {
	withDefault := catalog.Where(func(c catalog.Collection) bool { return c.DefaultStatus != "" })
	checked := catalog.Where(func(c catalog.Collection) bool { return c.RunByNodess() || c.ReturneeRequest != nil })
	app.OnRecordCreate(withDefault...).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == "" {
			entry, _ := catalog.Lookup(e.Record.Collection().Name)
			e.Record.Set("status", entry.DefaultStatus)
		}
		if hasField(e.Record, "role") && e.Record.GetString("role") == "" {
			e.Record.Set("role", "member") // a membership's
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
				field, owner := path.Field, e.Record
				if path.Via != "" {
					field = path.Via
					parent, err := e.App.FindRecordById(e.Record.Collection().Fields.GetByName(path.Via).(*core.RelationField).CollectionId, e.Record.GetString(path.Via))
					if err != nil {
						return // the relation's own validation reports it
					}
					owner = parent
				}
				if !runsRecord(e.App, who, owner, path) {
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
					onlyFields(c, e.Record, entry.Node.Via, "returnee", "status", "role")
					if e.Record.GetString("status") != request.New {
						c.add("status", "invalid_status", "Una solicitud nueva empieza como "+request.New+".")
					}
					if r := e.Record.GetString("role"); r != "" && r != "member" {
						c.add("role", "not_editable", "No puedes modificar este campo.")
					}
					return
				}
				onlyFields(c, e.Record, "status")
				was := e.Record.Original().GetString("status")
				switch s := e.Record.GetString("status"); {
				case s == was:
				case was == "completed":
					// a course completed is a certificate: only its NODESS revokes it
					c.add("status", "invalid_status", "Un curso que terminaste no se da de baja.")
				case s != request.Exit:
					c.add("status", "invalid_status", "Solo puedes cambiar tu solicitud a "+request.Exit+".")
				}
			}
		})
	})
}

// runsRecord reports whether the node of who, NODESS staff, runs owner, the
// record that path's Field is on: it is owner's node, and, with path.State,
// covers owner's state, where an owner no node accompanies yet is run by
// every node that covers its state.
func runsRecord(app core.App, who, owner *core.Record, path catalog.NodePath) bool {
	node, mine := owner.GetString(path.Field), who.GetString("nodess")
	if path.State == "" {
		return node == mine
	}
	if node != "" && node != mine {
		return false
	}
	own, err := app.FindRecordById(catalog.Nodess, mine)
	return err == nil && slices.Contains(own.GetStringSlice("states"), owner.GetString(path.State))
}
