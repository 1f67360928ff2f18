package main

import (
	"log"
	"net/http"
	"net/http/pprof"
	"os"
)

// servePprof serves Go's runtime profiles (net/http/pprof: CPU, heap,
// goroutines) on the address in RETORNO_PPROF (say 127.0.0.1:6060), apart
// from the app's own listener, so that a benchmark or an operator can
// profile the real server under load: `go tool pprof
// http://127.0.0.1:6060/debug/pprof/profile?seconds=30`. Unset (the
// default), nothing listens. Bind it to a loopback address only: the
// profiles show the server's internals.
func servePprof() {
	addr := os.Getenv("RETORNO_PPROF")
	if addr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	go func() {
		if err := http.ListenAndServe(addr, mux); err != nil {
			log.Printf("pprof on %s: %v", addr, err)
		}
	}()
}
