// Package appsetup binds everything Retorno adds to a PocketBase app: the
// domain hooks, the sync engine and the capabilities built on them. main.go
// and the test apps call the same function.
package appsetup

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/accounts"
	"github.com/retorno-mx/retorno/certificates"
	"github.com/retorno-mx/retorno/claim"
	"github.com/retorno-mx/retorno/dedup"
	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/exports"
	"github.com/retorno-mx/retorno/fieldaccess"
	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/imports"
	"github.com/retorno-mx/retorno/notify"
	"github.com/retorno-mx/retorno/privacy"
	"github.com/retorno-mx/retorno/reports"
	"github.com/retorno-mx/retorno/savings"
	"github.com/retorno-mx/retorno/seats"
	"github.com/retorno-mx/retorno/suggest"
)

// Register binds Retorno's hooks, the sync engine and the domain
// capabilities to app, and refuses PocketBase's auth actions that need mail.
func Register(app core.App) error {
	hooks.Register(app)
	fieldaccess.Register(app)
	refuseMailActions(app)
	if err := devicesync.Register(app, hooks.SyncConfig); err != nil {
		return err
	}
	for _, register := range []func(core.App) error{
		accounts.Register, dedup.Register, claim.Register, seats.Register, savings.Register, suggest.Register, reports.Register, exports.Register, imports.Register,
		notify.Register,
		privacy.Register,
		certificates.Register,
	} {
		if err := register(app); err != nil {
			return err
		}
	}
	return nil
}
