package devicesync

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

func (p *plugin) bindRoutes() {
	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/sync")
		g.Bind(apis.RequireAuth(), apis.Gzip())
		g.GET("/pull", p.pull)
		g.POST("/push", p.push)
		return se.Next()
	})
}
