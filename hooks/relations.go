package hooks

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/actor"
	"github.com/retorno-mx/retorno/internal/listrule"
)

// bindRelationScope refuses a write that links a record to one its actor
// cannot see: PocketBase checks that a related record exists, not that the
// writer may view it. So a NODESS staff member cannot enroll a person who
// never shared their data with the node, and a field worker cannot file a
// note about someone of another reception point. The error reads as for a
// missing record, so that it says nothing about who exists.
func bindRelationScope(app core.App) {
	app.OnRecordValidate().BindFunc(func(e *core.RecordEvent) error {
		who := actor.Of(e.Context, e.Record)
		if who == nil || who.IsSuperuser() {
			return e.Next()
		}
		return validate(e, func(c checks) {
			info := &core.RequestInfo{Auth: who, Context: core.RequestInfoContextDefault}
			var original *core.Record // a copy of the record: made once, and only for an update
			if !e.Record.IsNew() {
				original = e.Record.Original()
			}
			for _, f := range e.Record.Collection().Fields {
				rel, ok := f.(*core.RelationField)
				if !ok {
					continue
				}
				for _, id := range e.Record.GetStringSlice(rel.Name) {
					if original != nil && slices.Contains(original.GetStringSlice(rel.Name), id) {
						continue // an existing link is not re-checked
					}
					if id == who.Id && rel.CollectionId == who.Collection().Id {
						continue // linking to oneself (a stamp such as registered_by) reveals nothing
					}
					if rel.Name == "returnee" && e.Record.GetRaw(knownPersonKey) == true {
						continue // the return of a registration rebound by its CURP (known_person.go)
					}
					if !canView(e.App, info, rel.CollectionId, id) {
						c.add(rel.Name, "validation_missing_rel_records", "Registro relacionado no encontrado.")
						break
					}
				}
			}
		})
	})
}

func canView(app core.App, info *core.RequestInfo, collectionID, id string) bool {
	col, err := app.FindCachedCollectionByNameOrId(collectionID)
	if err != nil || col.ViewRule == nil {
		return false
	}
	if *col.ViewRule == "" {
		// public: PocketBase's own relation validation checks that it exists
		return true
	}
	// one query, with the view rule specialized for the writer
	// (listrule.Find): a field worker's is their points' test, not every
	// role's branches joined on the record
	target, err := listrule.Find(app, info, col, col.ViewRule, id)
	return err == nil && target != nil
}
