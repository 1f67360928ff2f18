package devicesync

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// HintTopic is the realtime topic on which devices hear "pull now".
const HintTopic = "sync"

// HintInterval is how often committed changes are turned into hints.
var HintInterval = 250 * time.Millisecond

// bindHint tells each device subscribed to the sync topic, shortly after a
// commit that touches its user's scope, that it should pull. Realtime has no
// replay, so the hint carries no data: the pull is the data channel.
func (p *plugin) bindHint() {
	var dirty atomic.Bool
	mark := func(e *core.RecordEvent) error {
		dirty.Store(true)
		return e.Next()
	}
	names := make([]string, 0, len(p.collections))
	for name := range p.collections {
		names = append(names, name)
	}
	p.app.OnRecordAfterCreateSuccess(names...).BindFunc(mark)
	p.app.OnRecordAfterUpdateSuccess(names...).BindFunc(mark)
	p.app.OnRecordAfterDeleteSuccess(names...).BindFunc(mark)

	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		var last int64
		_ = se.App.ConcurrentDB().Select("COALESCE(MAX(seq), 0)").From("_sync_log").Row(&last)
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			tick := time.NewTicker(HintInterval)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					select {
					case <-stop: // a tick may race the stop
						return
					default:
					}
					if dirty.Swap(false) {
						last = p.sendHints(se.App, last)
					}
				}
			}
		}()
		var once sync.Once
		se.App.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
			Id: "devicesync_hint_stop", // a new serve replaces the last one's
			Func: func(e *core.TerminateEvent) error {
				once.Do(func() { close(stop); <-done })
				return e.Next()
			},
		})
		return se.Next()
	})
}

// sendHints looks at the log rows after seq and hints every subscribed
// device whose user they concern; it returns the last seq looked at.
func (p *plugin) sendHints(app core.App, after int64) int64 {
	var rows []logRow
	err := app.ConcurrentDB().Select(logColumns...).
		From("_sync_log").Where(dbx.NewExp("seq > {:after}", dbx.Params{"after": after})).
		OrderBy("seq").Limit(5000).All(&rows)
	if err != nil || len(rows) == 0 {
		return after
	}
	msg := subscriptions.Message{Name: HintTopic}
	msg.Data, _ = json.Marshal(map[string]any{"pull": true, "seq": rows[len(rows)-1].Seq})
	for _, client := range app.SubscriptionsBroker().Clients() {
		if !client.HasSubscription(HintTopic) {
			continue
		}
		auth, _ := client.Get(apis.RealtimeClientAuthKey).(*core.Record)
		if auth == nil {
			continue
		}
		if p.concerns(app, &core.RequestInfo{Auth: auth, Context: core.RequestInfoContextRealtime}, rows) {
			client.Send(msg)
		}
	}
	return rows[len(rows)-1].Seq
}

// concerns reports whether any row puts, deletes or evicts something for
// info's user. A write that changed nothing their rule reads concerns them
// only if they see the record now (pull.go, sawBefore), so its
// before-image is not judged.
func (p *plugin) concerns(app core.App, info *core.RequestInfo, rows []logRow) bool {
	ids := map[string][]string{}
	before := map[string][]int64{}
	reads := map[string][]string{}
	for _, r := range rows {
		if !p.pulls(info.Auth, r.Collection) {
			continue
		}
		ids[r.Collection] = append(ids[r.Collection], r.RecordID)
		if r.HasBefore && !unmoved(app, info, r, reads) {
			ruleOf := r.Collection
			if r.Via != "" {
				ruleOf = r.Via
			}
			before[ruleOf] = append(before[ruleOf], r.Seq)
		}
	}
	return anyVisible(app, ids, func(col *core.Collection, list []string) (map[string]bool, error) {
		return visibleIDs(app, info, col, list)
	}) || anyVisible(app, before, func(col *core.Collection, seqs []int64) (map[int64]bool, error) {
		return visibleBefore(app, info, col, seqs)
	})
}

// anyVisible reports whether visible finds something among the keys of any
// collection of byName; a collection that is gone or an error finds nothing.
func anyVisible[K comparable](app core.App, byName map[string][]K, visible func(*core.Collection, []K) (map[K]bool, error)) bool {
	for name, keys := range byName {
		col, err := app.FindCachedCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if seen, err := visible(col, keys); err == nil && len(seen) > 0 {
			return true
		}
	}
	return false
}
