// Package dedup finds people registered twice and merges them.
//
// Two devices may register the same person offline, and a person may be
// registered again at another reception point. CURP is optional, so names,
// birth date and birth state must find them too.
//
// # Detection
//
// On every write of a returnee (REST, batch, sync pushes, the dashboard, Go
// code: these are model hooks, in the write's own transaction):
//
//   - a CURP that another person holds is refused by the unique index; the
//     field error on curp reads "Ya existe una persona registrada con esta
//     CURP." (code validation_not_unique, PocketBase's own, so clients that
//     know it keep working), also when two writers race past the check;
//   - on a create, and on a change of CURP, names, birth date or birth
//     state, the person's block is read: the people born the same day, or
//     with day and month swapped (US forms), whose surnames sound alike by
//     their phonetic keys (names.SurnameKey, which the server keeps in the
//     hidden fields first_surname_key and second_surname_key on every
//     write), with the surnames swapped, joined in one field or one written
//     as the other's second (block.go says which pairs a block can miss).
//     They are scored against the person (Score, after names.Fold,
//     names.GivenNames and names.Surname). Those that score at least
//     Threshold are recorded as open pairs in duplicate_candidates: the
//     write is accepted, since only staff can tell two people apart. Open
//     pairs are rescored on later edits and dropped when the two no longer
//     look alike; merged and dismissed pairs are never reopened. A block is
//     a few index ranges, so a day on which thousands were born (unknown
//     dates are written as 1 January) costs little more than any other.
//
// A pair's returnee is the person whose write found it and candidate the
// one found; a pair is stored once, whichever way round. Field workers of
// either person's reception point and coordinators of either person's state
// may list and view pairs, and may only set an open pair's status to
// dismissed; superusers may do anything. A pair shows a field worker that
// someone alike exists at another point (its id and the reasons of the
// score), not who: merging across points is a task for the state's
// coordinator or a superuser. A dismissed pair ("not the same person") is
// never proposed again.
//
// # Check before registering
//
// GET /api/returnees/check-duplicate?given_names=&first_surname=&second_surname=&birth_date=&birth_state=&curp=
// is for those who register people: field workers (staff with a reception
// point) and superusers; other staff and returnees get 403. given_names,
// first_surname and birth_date (YYYY-MM-DD; taken from a valid curp when
// absent) are required; birth_state is a state's record id. It answers
//
//	{"curp_taken": true, "matches": [{"score": 100, "reasons": ["same_curp"], "record": {...}}]}
//
// matches being the likely duplicates the caller may list (the returnees
// list rule is applied as SQL, as the list API does; expand works as there),
// best first, at most MaxCandidates. curp_taken says whether anyone at all
// holds the CURP: a create with it would be refused anyway, so it tells
// someone who may register people nothing a create would not, and the
// holder is among the matches only if in scope. Since it answers for the
// whole country, each account may search CheckLimit times per CheckWindow
// (120 an hour: a registration asks once or twice; beyond, 429, and the
// web app keeps its own check), and every search leaves an audit_log entry
// (action check_duplicate: who and when, no record and nothing of the
// query). The entries are the limit's bookkeeping: a refused call leaves
// none. The web app asks only from the field worker's registration screen.
//
// # Merge
//
// POST /api/returnees/{id}/merge with {"from": "<id>"} merges from into id,
// which is kept (see Merge and MergeResult). The caller must be able to
// update both records: a field worker of their reception point, or a
// superuser (also across points); or coordinate the state of both records'
// reception points (also across the state's points: their review queue
// shows the state's pairs side by side). A coordinator who sees a person
// only by their destination may not merge them (not_editable). A record the caller cannot see answers
// 404, as the record API does; refusals are 400 with a field error: from
// missing or equal to id (merge_self), a record the caller sees but may not
// update (not_editable, on id or from), two people with their own returnee
// accounts (accounts_conflict), two memberships of one savings group that
// both have ledger entries (ledger_conflict), and the kept record's own
// field errors if filling it makes it invalid.
//
// A returnee account of the other person moves to the kept one only with
// "identity_verified": true and an "identity_note" (10-500 characters) saying
// how the caller checked, with an identity document, that the account's
// holder is the kept person; the audit log keeps who checked and the note.
// Without them the account is closed (deleted, so its sessions end;
// account_closed in the answer), and the person claims the kept record again
// with a new claim code: whoever claimed the other record may be someone else
// with the same name and birth date, and a merge must not give them the kept
// person's record.
//
// In one transaction: consents, referrals, case notes, the account (as
// above) and anything else that points at the other person move to the kept one;
// an enrollment in a course where the kept person is enrolled too keeps the
// better status (completed, enrolled, waitlisted, requested, dropped) and
// the other is deleted; memberships move, and their ledger entries, which
// point at the membership and are immutable, follow unchanged. Where both
// are members of one group, the membership with ledger entries stays (with
// the better status and a committee role if either had one) and the one
// without is deleted; if both have entries the merge is refused, because
// entries cannot be re-pointed and the unique (group, returnee) index does
// not allow the kept person two memberships of one group. Fields empty on
// the kept record are filled from the other (languages and needs are
// joined); names, birth date, sex, reception point and destination state
// stay. The other person is deleted: the sync log's tombstone makes every
// device drop it, and the moved records reach devices as updates. Their
// pair becomes merged (created if nobody had flagged it), with candidate
// emptied and merged_from holding the deleted id; their pairs with third
// people pass to the kept person. The audit log gets a merge entry on each
// record ("merged_from:<id>" and the filled fields on the kept one,
// "merged_into:<id>" on the other) besides the entries of each write.
package dedup
