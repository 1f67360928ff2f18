// Package appsetup binds everything Retorno adds to a PocketBase app: the
// domain hooks, the sync engine and the capabilities built on them. main.go
// and the test apps call the same function.
package appsetup

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/hooks"
)

// Register binds Retorno's hooks and the sync engine to app.
func Register(app core.App) error {
	hooks.Register(app)
	if err := devicesync.Register(app, hooks.SyncConfig); err != nil {
		return err
	}
	return nil
}
