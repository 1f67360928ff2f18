package hookorder

import "testing"

// The priorities run in the documented order, each distinct, all before
// PocketBase's own row write.
func TestOrder(t *testing.T) {
	order := []int{NoOp, ClaimCode, Seats, Revision, ScopeGrant, ReturnFields, DerivedScope, ActiveMembers, Audit, SyncLog, Duplicates, FollowUps, Notifications, Rectification, SensitiveData, Memo}
	for i := 1; i < len(order); i++ {
		if order[i] <= order[i-1] {
			t.Fatalf("priority %d (%d) does not come after %d", i, order[i], order[i-1])
		}
	}
	if last := order[len(order)-1]; last >= 0 {
		t.Fatalf("the last priority is %d: Retorno's hooks run before PocketBase's default hooks (0)", last)
	}
}
