package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// A registration refused at Tijuana lands in the review queue of Baja
// California's coordinator, who resolves it with a note; the coordinator of
// Sonora neither lists nor changes it.
func TestSyncConflicts_ReviewedByTheStatesCoordinator(t *testing.T) {
	app, srv := testapp.NewServed(t)
	sonora := testapp.Save(t, app, "staff", map[string]any{"email": "coord.sr@retorno.test", "name": "Sonia Sonora", "role": "coordinator",
		"state": testapp.ID(app, "states", "curp_code", "SR"), "password": testapp.Password, "verified": true})
	worker := testapp.Token(t, app, "staff", testapp.FieldWorkerA)
	bc, sr := testapp.Token(t, app, "staff", testapp.CoordBC), testapp.Token(t, app, "staff", sonora.Id)

	// no birth date: refused
	status, body := testapp.Request(t, srv.URL, worker, http.MethodPost, "/api/sync/push", devicesync.PushRequest{
		ClientID: "tijuana-phone-01", SchemaVersion: 1, Mutations: []devicesync.Mutation{{
			MutationID: "refused-registration-1", Collection: "returnees", RecordID: "refusedtijuana1", Op: "create",
			Fields: map[string]any{"given_names": "Lucía", "first_surname": "Ramos", "sex": "M",
				"reception_point":   testapp.ID(app, "reception_points", "city", "Tijuana"),
				"destination_state": testapp.ID(app, "states", "curp_code", "GR"), "repatriation_date": "2026-11-25"},
		}},
	})
	if status != http.StatusOK || !strings.Contains(string(body), `"status":"rejected"`) {
		t.Fatalf("push: %d %s", status, body)
	}

	list := func(token string) []map[string]any {
		status, body := testapp.Request(t, srv.URL, token, http.MethodGet, "/api/collections/sync_conflicts/records?filter=record_id%3D%22refusedtijuana1%22", nil)
		var page struct{ Items []map[string]any }
		if err := json.Unmarshal(body, &page); err != nil || status != http.StatusOK {
			t.Fatalf("list: %d %s", status, body)
		}
		return page.Items
	}
	seen := list(bc)
	if len(seen) != 1 || seen[0]["code"] != devicesync.CodeValidation || !strings.Contains(seen[0]["yours"].(map[string]any)["given_names"].(string), "Lucía") {
		t.Fatalf("Baja California's coordinator lists %v", seen)
	}
	// the refused field keeps its code, for the screen to word it
	if d, _ := seen[0]["details"].(map[string]any)["birth_date"].(map[string]any); d["code"] != "validation_required" {
		t.Errorf("details %v: want birth_date's code", seen[0]["details"])
	}
	if got := list(sr); len(got) != 0 {
		t.Errorf("Sonora's coordinator lists %v", got)
	}
	path := "/api/collections/sync_conflicts/records/" + seen[0]["id"].(string)
	resolve := map[string]any{"resolved": true, "resolution_note": "Llamamos a Lucía: se registra de nuevo con su fecha."}
	if status, body := testapp.Request(t, srv.URL, sr, http.MethodPatch, path, resolve); status != http.StatusNotFound {
		t.Errorf("Sonora resolves it: %d %s", status, body)
	}
	if status, body := testapp.Request(t, srv.URL, bc, http.MethodPatch, path, map[string]any{"code": "ok"}); status != http.StatusBadRequest {
		t.Errorf("Baja California changes the code: %d %s", status, body)
	}
	if status, body := testapp.Request(t, srv.URL, bc, http.MethodPatch, path, resolve); status != http.StatusOK {
		t.Fatalf("Baja California resolves it: %d %s", status, body)
	}
	if got := testapp.Find(t, app, "sync_conflicts", seen[0]["id"].(string)); !got.GetBool("resolved") || got.GetString("resolution_note") != resolve["resolution_note"] {
		t.Errorf("after the review: %v", got.PublicExport())
	}
}
