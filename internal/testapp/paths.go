package testapp

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/devicesync"
)

// Path is a write path every rule must hold on: the REST API, the batch
// API or the sync push.
type Path string

const (
	REST  Path = "REST"
	Batch Path = "batch"
	Push  Path = "sync push"
)

// Paths are the write paths, for tests that run a case on each.
var Paths = []Path{REST, Batch, Push}

// Write sends op ("create" or "update") of collection's record id with
// fields through p, as the user of token, to the server at base that serves
// app (batch requests are enabled on app for it). It returns the HTTP
// status and body; for a push, the one mutation's result as JSON, with 200
// when it was applied or merged and 400 when not.
func Write(tb testing.TB, app core.App, base, token string, p Path, op, collection, id string, fields map[string]any) (int, []byte) {
	tb.Helper()
	method, url := http.MethodPost, "/api/collections/"+collection+"/records"
	body := map[string]any{}
	for k, v := range fields {
		body[k] = v
	}
	if op == "update" {
		method, url = http.MethodPatch, url+"/"+id
	} else {
		body["id"] = id
	}
	switch p {
	case REST:
		return Request(tb, base, token, method, url, body)
	case Batch:
		app.Settings().Batch.Enabled = true
		return Request(tb, base, token, http.MethodPost, "/api/batch",
			map[string]any{"requests": []map[string]any{{"method": method, "url": url, "body": body}}})
	}
	m := devicesync.Mutation{MutationID: "m-" + op + "-" + id, Collection: collection, RecordID: id, Op: op, Fields: fields}
	if op == "update" {
		if r, err := app.FindRecordById(collection, id); err == nil {
			m.BaseRev = r.GetInt("rev")
		}
	}
	status, out := Request(tb, base, token, http.MethodPost, "/api/sync/push",
		devicesync.PushRequest{ClientID: "testapp-device", SchemaVersion: 1, Mutations: []devicesync.Mutation{m}})
	var res devicesync.PushResponse
	if status != http.StatusOK || json.Unmarshal(out, &res) != nil || len(res.Results) != 1 {
		return status, out
	}
	result, _ := json.Marshal(res.Results[0])
	if s := res.Results[0].Status; s != devicesync.StatusApplied && s != devicesync.StatusMerged {
		return http.StatusBadRequest, result
	}
	return http.StatusOK, result
}
