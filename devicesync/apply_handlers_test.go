package devicesync_test

import (
	"maps"
	"net/http"
	"testing"

	"github.com/retorno-mx/retorno/devicesync"
)

// TestRecordHandlers_PocketBaseStillOffersThem: the push applies each
// mutation through PocketBase's own record handlers, which it finds in the
// batch API's table (apis.ValidBatchActions, an internal of PocketBase). If
// an upgrade renames, drops or reshapes them, every push would answer "no
// record handler": this test says so first, by name.
func TestRecordHandlers_PocketBaseStillOffersThem(t *testing.T) {
	for _, c := range []struct {
		method, url string
		params      map[string]string
	}{
		{http.MethodPost, "/api/collections/returnees/records", map[string]string{"collection": "returnees"}},
		{http.MethodPatch, "/api/collections/returnees/records/returneea100001", map[string]string{"collection": "returnees", "id": "returneea100001"}},
		{http.MethodDelete, "/api/collections/case_notes/records/casenotea100001", map[string]string{"collection": "case_notes", "id": "casenotea100001"}},
	} {
		params, ok := devicesync.HasRecordHandler(c.method, c.url)
		if !ok {
			t.Fatalf("PocketBase's apis.ValidBatchActions has no handler for %s %s: the sync push cannot apply mutations "+
				"(devicesync/apply.go recordHandler); adapt it to the new PocketBase", c.method, c.url)
		}
		if !maps.Equal(params, c.params) {
			t.Errorf("%s %s: path parameters %v, want %v (PocketBase renamed them?)", c.method, c.url, params, c.params)
		}
	}
}
