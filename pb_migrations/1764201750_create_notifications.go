package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
)

// The notification outbox (package notify; docs/DESIGN.md, "Messages to
// people"): one record per message to one person by one channel, written by
// the server in the transaction of the event that causes it and sent by its
// worker. Nobody but superusers creates, changes or deletes one (nil
// rules); the person reads their own; the coordinator of the person's state
// and the field workers of their points read what was sent to them, except
// savings receipts (a member's balance: field workers do not read ledgers).
// dedupe_key (hidden, unique) makes an event enqueue a message at most once
// per channel. Not synced: the queue is the server's, and the person reads
// their messages online.
func init() {
	m.Register(func(app core.App) error {
		people, err := app.FindCollectionByNameOrId(catalog.Returnees)
		if err != nil {
			return err
		}
		c := core.NewBaseCollection(catalog.Notifications, "pbc_notifications")
		c.Fields.Add(
			&core.RelationField{Name: "returnee", Required: true, MaxSelect: 1, CollectionId: people.Id, CascadeDelete: true, Presentable: true},
			choice("channel", true, catalog.NotificationChannels.Codes()...),
			choice("template", true, catalog.NotificationEvents.Codes()...),
			choice("language", true, catalog.MessageLanguages.Codes()...),
			&core.JSONField{Name: "params", MaxSize: 4000, Help: "The values of the template's placeholders, cut to their lengths."},
			choice("status", false, catalog.NotificationStatuses.Codes()...),
			integer("attempts", false, 0, 1000),
			&core.DateField{Name: "next_attempt_at", Help: "Not sent before this time; a retry's time after a failed attempt."},
			&core.DateField{Name: "sent_at"},
			text("error", false, 1000),
			text("body", false, 2000),
			&core.TextField{Name: "dedupe_key", Hidden: true, Max: 200,
				Help: "The event and channel: an event enqueues one message per channel."},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		setFieldPresentable(c.Fields.GetByName("template"), true)
		c.AddIndex("idx_notifications_dedupe", true, "dedupe_key", "dedupe_key != ''")
		c.AddIndex("idx_notifications_due", false, "status, next_attempt_at", "")
		c.AddIndex("idx_notifications_returnee", false, "returnee, created", "")
		read := widenScope(or(
			ownReturnee,
			coordinatorScope("returnee."),
			fieldWorkerScope("returnee.")+` && template != "savings_receipt"`,
		), false)
		c.ListRule, c.ViewRule = &read, &read
		c.CreateRule, c.UpdateRule, c.DeleteRule = nil, nil, nil
		return app.Save(c)
	}, func(app core.App) error {
		return deleteCollections(app, catalog.Notifications)
	})
}
