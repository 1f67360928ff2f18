package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// rectification_requests (docs/PRIVACY.md, "Rights of the person"): a
// returnee asks to correct a field of their record they cannot edit
// themselves; the field workers of their point and the coordinator of the
// state read the request and approve it (the change is applied to the
// person in the same transaction) or decline it with a reason
// (privacy/rectification.go). Synced: the returnee's phone makes a request
// offline, a field worker's device holds their point's requests.
func init() {
	m.Register(func(app core.App) error {
		found, err := findCollections(app, catalog.Staff, catalog.Returnees)
		if err != nil {
			return err
		}
		c := synced(core.NewBaseCollection(catalog.RectificationReqs, "pbc_rectification_requests"),
			personOf(found[1]),
			&core.TextField{Name: "field", Required: true, Max: 40,
				Help: "The field of the person to correct (catalog.RectifiableFields)."},
			&core.TextField{Name: "current_value", Max: 1000, Help: "The field's value when the request was made; set by the server."},
			text("requested_value", false, 1000),
			text("reason", false, 1000),
			choice("status", false, catalog.RectificationStatuses.Codes()...),
			relation("decided_by", false, found[0]),
			&core.DateField{Name: "decided_at"},
			text("decision_reason", false, 1000),
		)
		c.AddIndex("idx_rectification_requests_returnee", false, "returnee, status", "")
		readWrite(c,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee."), ownReturnee), false),
			ownReturnee,
			widenScope(or(fieldWorkerScope("returnee."), coordinatorScope("returnee.")), false),
		)
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.RectificationReqs)
	})
}
