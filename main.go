// Command retorno is the Retorno backend: PocketBase with the returnee,
// training and savings-group schema, its access rules and domain hooks, and
// the offline web app embedded.
package main

import (
	"embed"
	"log"
	"os"
	"runtime/debug"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"github.com/retorno-mx/retorno/commands"
	"github.com/retorno-mx/retorno/internal/appsetup"
	"github.com/retorno-mx/retorno/internal/sqlitedb"
	_ "github.com/retorno-mx/retorno/pb_migrations"
)

// maxReaders bounds the concurrent connections of the data database.
const maxReaders = 16

// memoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set: in a
// reconnect storm of 200 devices on a million-row database the heap of the
// concurrent pulls took the server to 544 MB of RSS, 371 MB with this limit
// (docs/BENCHMARKS.md). The GC works harder near it; it never fails a request.
const memoryLimit = 200 << 20

//go:embed all:pb_public
var publicFS embed.FS

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	servePprof()
	// Never dev mode by guesswork: PocketBase takes a binary started from a
	// temp dir (as tests do) for `go run` and would log every SQL statement.
	//
	// DataMaxOpenConns: PocketBase's default of 120 concurrent SQLite readers,
	// each with a 32 MB page cache and in-memory temp tables, let a reconnect
	// storm of 200 devices on a million-row database reach 556 MB of RSS on
	// 2 cores that cannot run more than two of them at once anyway;
	// requests beyond the limit wait for a connection (docs/BENCHMARKS.md).
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false, DataMaxOpenConns: maxReaders, DBConnect: sqlitedb.Connect})
	sqlitedb.Bind(app)

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		Dir:          "pb_migrations",
		TemplateLang: migratecmd.TemplateLangGo,
	})
	if err := appsetup.Register(app); err != nil {
		log.Fatal(err)
	}

	app.RootCmd.AddCommand(
		commands.NewSeedCommand(app),
		commands.NewHealthcheckCommand(),
		commands.NewDevicesCommand(),
	)

	appsetup.ServeWebApp(app, apis.MustSubFS(publicFS, "pb_public"))
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// CORS: same origin only unless `serve --origins` lists origins
		// (PocketBase's default is "*"; docs/OPERATIONS.md)
		if serve, _, err := app.RootCmd.Find([]string{"serve"}); err == nil && !serve.Flags().Changed("origins") {
			se.Router.Bind(appsetup.SameOriginCORS())
		}
		return se.Next()
	})

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
