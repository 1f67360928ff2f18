package notify

import (
	"context"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// Statuses of notifications (catalog.NotificationStatuses).
const (
	StatusQueued    = "queued"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Config is how the outbox runs. DefaultConfig is what Register uses.
type Config struct {
	// Interval is how often the worker looks for due messages (it also
	// wakes when one is queued).
	Interval time.Duration
	// Batch is the most messages one round of the worker sends.
	Batch int
	// SendTimeout bounds one attempt.
	SendTimeout time.Duration
	// Lease is how long a message may stay sending: one found sending for
	// longer was interrupted (the server stopped during its attempt) and is
	// marked failed, never sent again.
	Lease time.Duration
	// ReceiptDelay is how long after a meeting's first entry of a member
	// their receipt waits, so that it carries the whole meeting: every
	// entry of that meeting refreshes it while it waits.
	ReceiptDelay time.Duration
	// ReminderDays is how many days before a follow-up the person hears of
	// it; ReminderCron is when the reminders are queued (UTC; 15:00 is
	// 9:00 in central Mexico).
	ReminderDays int
	ReminderCron string
	// Senders, by channel, replace the sender notification_settings names
	// (Go code that embeds Retorno and delivers by other means); nil for
	// the settings' senders.
	Senders map[string]Sender
}

// DefaultConfig is the outbox's configuration.
var DefaultConfig = Config{
	Interval:     10 * time.Second,
	Batch:        50,
	SendTimeout:  20 * time.Second,
	Lease:        10 * time.Minute,
	ReceiptDelay: 10 * time.Minute,
	ReminderDays: 2,
	ReminderCron: "0 15 * * *",
}

// Register binds the outbox to app with DefaultConfig.
func Register(app core.App) error { return RegisterConfig(app, DefaultConfig) }

// RegisterConfig binds the outbox to app: the hooks that queue a message
// with the event that causes it and cancel them on a withdrawal, the checks
// of notifications, templates and settings, the follow-up reminders' cron
// job, and the worker, which runs while the serve command does.
func RegisterConfig(app core.App, cfg Config) error {
	bindRules(app)
	bindEvents(app, cfg)
	app.Cron().MustAdd("notify_follow_up_reminders", cfg.ReminderCron, func() {
		if err := RemindFollowUps(app, cfg, time.Now()); err != nil {
			app.Logger().Error("notify: follow-up reminders", "error", err)
		}
	})
	bindWorker(app, cfg)
	return nil
}

// bindWorker runs the worker from the start of the serve command (a test
// app's router has no server: its tests call Deliver) to the app's end, and
// wakes it when a message is queued.
func bindWorker(app core.App, cfg Config) {
	wake := make(chan struct{}, 1)
	app.OnRecordAfterCreateSuccess(catalog.Notifications).BindFunc(func(e *core.RecordEvent) error {
		select {
		case wake <- struct{}{}:
		default:
		}
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if se.Server == nil {
			return se.Next()
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			run(ctx, app, cfg, wake)
		}()
		app.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			stop()
			<-done
			return te.Next()
		})
		return se.Next()
	})
}
