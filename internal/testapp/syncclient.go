package testapp

import (
	"context"
	"testing"

	"github.com/retorno-mx/retorno/hooks"
	"github.com/retorno-mx/retorno/syncclient"
)

// Sync runs one sync of the device c; an error fails tb.
func Sync(tb testing.TB, c *syncclient.Client) syncclient.SyncReport {
	tb.Helper()
	rep, err := c.Sync(context.Background())
	if err != nil {
		tb.Fatalf("sync: %v", err)
	}
	return rep
}

// Converged fails tb unless the device c holds, in every synced collection,
// exactly the records the REST list API gives its user, at the same rev,
// with nothing left to push.
func Converged(tb testing.TB, c *syncclient.Client) {
	tb.Helper()
	if q, _ := c.Pending(); len(q) != 0 {
		tb.Errorf("%d mutations still queued", len(q))
	}
	for _, col := range hooks.SyncConfig.Collections {
		want := ListRevs(tb, c.BaseURL, c.Token, col.Name)
		items, err := c.List(col.Name)
		if err != nil {
			tb.Fatal(err)
		}
		got := map[string]int{}
		for _, it := range items {
			got[it.ID] = it.Rev
		}
		for id, rev := range want {
			if have, ok := got[id]; !ok {
				tb.Errorf("%s/%s: in the user's REST list, not on the device", col.Name, id)
			} else if have != rev {
				tb.Errorf("%s/%s: device rev %d, server rev %d", col.Name, id, have, rev)
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				tb.Errorf("%s/%s: on the device, not in the user's REST list", col.Name, id)
			}
		}
	}
}
