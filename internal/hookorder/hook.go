package hookorder

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Hook is one of Retorno's record execute hooks: an id (a later Hook with
// the same id on the same event replaces it), one of the priorities above,
// and the function, which calls e.Next() where the row is to be written.
type Hook struct {
	ID       string
	Priority int
	Func     func(e *core.RecordEvent) error
}

// OnCreate binds h to the create execution of the collections (of every
// collection when none is named).
func (h Hook) OnCreate(app core.App, collections ...string) {
	app.OnRecordCreateExecute(collections...).Bind(h.handler())
}

// OnUpdate binds h to the update execution of the collections.
func (h Hook) OnUpdate(app core.App, collections ...string) {
	app.OnRecordUpdateExecute(collections...).Bind(h.handler())
}

// OnDelete binds h to the delete execution of the collections.
func (h Hook) OnDelete(app core.App, collections ...string) {
	app.OnRecordDeleteExecute(collections...).Bind(h.handler())
}

// OnSave binds h to the create and update executions of the collections.
func (h Hook) OnSave(app core.App, collections ...string) {
	h.OnCreate(app, collections...)
	h.OnUpdate(app, collections...)
}

// OnWrite binds h to the create, update and delete executions of the
// collections.
func (h Hook) OnWrite(app core.App, collections ...string) {
	h.OnSave(app, collections...)
	h.OnDelete(app, collections...)
}

func (h Hook) handler() *hook.Handler[*core.RecordEvent] {
	return &hook.Handler[*core.RecordEvent]{Id: h.ID, Priority: h.Priority, Func: h.Func}
}
