package dedup

import "github.com/pocketbase/pocketbase/core"

// pairs settles the duplicate candidates of the other person: their pair
// with the kept person becomes merged (created if nobody had flagged it);
// their pairs with third people pass to the kept person, unless the kept
// person already has one with them, in which case a dismissal of either
// stands and the other's pair is dropped.
func (m *merger) pairs(score int, reasons []string) error {
	pairs, err := pairsOf(m.tx, m.from)
	if err != nil {
		return err
	}
	var merged *core.Record
	for _, p := range pairs {
		other := otherOf(p, m.from)
		switch {
		case other == m.kept:
			merged = p
			continue
		case other == "":
			// the record of an earlier merge into the other person
			p.Set("returnee", m.kept)
		default:
			existing, err := pairOf(m.tx, m.kept, other)
			if err != nil {
				return err
			}
			if existing != nil {
				if p.GetString("status") == StatusDismissed && existing.GetString("status") == StatusOpen {
					existing.Set("status", StatusDismissed)
					if err := m.tx.Save(existing); err != nil {
						return err
					}
				}
				if err := m.tx.Delete(p); err != nil {
					return err
				}
				continue
			}
			side := "candidate"
			if p.GetString("returnee") == m.from {
				side = "returnee"
			}
			p.Set(side, m.kept)
		}
		if err := m.tx.Save(p); err != nil {
			return err
		}
	}
	if merged == nil {
		col, err := m.tx.FindCachedCollectionByNameOrId(Collection)
		if err != nil {
			return err
		}
		merged = core.NewRecord(col)
		merged.Set("score", score)
		merged.Set("reasons", reasons)
	}
	// the other side is about to be deleted: the pair keeps its id as text
	merged.Set("returnee", m.kept)
	merged.Set("candidate", "")
	merged.Set("merged_from", m.from)
	merged.Set("status", StatusMerged)
	return m.tx.Save(merged)
}
