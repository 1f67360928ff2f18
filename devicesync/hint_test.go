package devicesync_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/retorno-mx/retorno/devicesync"
	"github.com/retorno-mx/retorno/internal/testapp"
)

// subscribe opens a realtime connection as d's user, subscribes it to the
// sync topic and returns the names of the events it receives.
func subscribe(t *testing.T, d *device) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/api/realtime", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan string, 16)
	connected := make(chan string, 1)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event:"):
				event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
			case strings.HasPrefix(line, "data:") && event == "PB_CONNECT":
				var c struct{ ClientID string }
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data:")), &c)
				connected <- c.ClientID
			case strings.HasPrefix(line, "data:"):
				events <- event
			}
		}
	}()
	var clientID string
	select {
	case clientID = <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("no PB_CONNECT")
	}
	status, body := d.do(http.MethodPost, "/api/realtime", map[string]any{"clientId": clientID, "subscriptions": []string{"sync"}})
	if status != http.StatusNoContent {
		t.Fatalf("subscribe: %d %s", status, body)
	}
	return events
}

func TestHint_OnlyWhenTheUsersScopeIsTouched(t *testing.T) {
	app, srv := testapp.NewServed(t)
	a := newDevice(t, srv, app, "staff", testapp.FieldWorkerA, "fw-a-phone-1")
	b := newDevice(t, srv, app, "staff", testapp.FieldWorkerB, "fw-b-phone-1")
	hintsA, hintsB := subscribe(t, a), subscribe(t, b)

	testapp.Update(t, app, "case_notes", testapp.NoteA1, map[string]any{"text": "Consiguió trabajo en Chilpancingo."})
	select {
	case e := <-hintsA:
		if e != "sync" {
			t.Errorf("event %q, want sync", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("field worker A got no hint for a change in their scope")
	}
	select {
	case e := <-hintsB:
		t.Errorf("field worker B got %q for a change outside their scope", e)
	case <-time.After(4 * devicesync.HintInterval):
	}

	// a person moved out of A's point: A is owed evictions, which only the
	// write's before-image tells (the person is not in A's scope now)
	for len(hintsA) > 0 {
		<-hintsA
	}
	testapp.Update(t, app, "returnees", testapp.ReturneeA1, map[string]any{"reception_point": pointID(app, "Matamoros")})
	select {
	case <-hintsA:
	case <-time.After(5 * time.Second):
		t.Fatal("field worker A got no hint for a person who left their point")
	}
}
