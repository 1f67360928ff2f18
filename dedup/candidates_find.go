package dedup

import (
	"cmp"
	"errors"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
)

// Match is a returnee that scores as a likely duplicate of a person.
type Match struct {
	Record  *core.Record
	Score   int
	Reasons []string
}

// FindMatches returns the returnees, other than exclude, that score at least
// Threshold against p, best first, at most MaxCandidates. scope, if set,
// narrows them to what a user may list. Only p's block is read (block):
// the people born on p's birth date, or on that date with day and month
// swapped, whose surnames could score as p's, found through the surnames'
// phonetic keys; names are then compared in Go after normalisation, which
// SQL cannot do with an index.
func FindMatches(app core.App, p Person, exclude string, scope func(*dbx.SelectQuery) error) ([]Match, error) {
	if p.BirthDate == "" {
		return nil, nil
	}
	// only the identity columns: a block may hold hundreds of people, and
	// building full records of them all cost more than the rest of a
	// registration (docs/BENCHMARKS.md)
	query := app.DB().Select("id", "given_names", "first_surname", "second_surname", "birth_date", "birth_state", "curp").
		From(catalog.Returnees).AndWhere(block(p))
	if exclude != "" {
		query.AndWhere(dbx.Not(dbx.HashExp{"id": exclude}))
	}
	var rows []struct {
		ID            string `db:"id"`
		GivenNames    string `db:"given_names"`
		FirstSurname  string `db:"first_surname"`
		SecondSurname string `db:"second_surname"`
		BirthDate     string `db:"birth_date"`
		BirthState    string `db:"birth_state"`
		CURP          string `db:"curp"`
	}
	if err := query.All(&rows); err != nil {
		return nil, err
	}
	scores := map[string]Match{}
	var ids []any
	for _, r := range rows {
		score, reasons := Score(p, Person{GivenNames: r.GivenNames, FirstSurname: r.FirstSurname,
			SecondSurname: r.SecondSurname, BirthDate: r.BirthDate, BirthState: r.BirthState, CURP: r.CURP})
		if score >= Threshold {
			scores[r.ID] = Match{Score: score, Reasons: reasons}
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// the full records of the matches, those the scope lets through
	records := app.RecordQuery(catalog.Returnees).AndWhere(dbx.In("returnees.id", ids...))
	if scope != nil {
		if err := scope(records); err != nil {
			return nil, err
		}
	}
	var found []*core.Record
	if err := records.All(&found); err != nil {
		return nil, err
	}
	out := make([]Match, 0, len(found))
	for _, r := range found {
		m := scores[r.Id]
		m.Record = r
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Record.Id, b.Record.Id))
	})
	if len(out) > MaxCandidates {
		out = out[:MaxCandidates]
	}
	return out, nil
}

// refreshCandidates records the likely duplicates of person as open pairs
// and updates the score of their open pairs; an open pair that no longer
// scores as likely (a name or birth date was corrected) is dropped. Pairs
// that staff decided (merged, dismissed) are left as they are. A person just
// created has no pairs yet, which spares the lookup on every registration.
func refreshCandidates(app core.App, person *core.Record, created bool) error {
	matches, err := FindMatches(app, PersonOf(person), person.Id, nil)
	if err != nil {
		return err
	}
	var pairs []*core.Record
	if !created {
		if pairs, err = pairsOf(app, person.Id); err != nil {
			return err
		}
	}
	byOther := map[string]*core.Record{}
	for _, p := range pairs {
		byOther[otherOf(p, person.Id)] = p
	}
	col, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return err
	}
	for _, m := range matches {
		pair, ok := byOther[m.Record.Id]
		delete(byOther, m.Record.Id)
		if !ok {
			pair = core.NewRecord(col)
			pair.Set("returnee", person.Id)
			pair.Set("candidate", m.Record.Id)
			pair.Set("status", StatusOpen)
		} else if pair.GetString("status") != StatusOpen ||
			(pair.GetInt("score") == m.Score && slices.Equal(reasonsOf(pair), m.Reasons)) {
			continue
		}
		pair.Set("score", m.Score)
		pair.Set("reasons", m.Reasons)
		if err := app.Save(pair); err != nil {
			return err
		}
	}
	for other, pair := range byOther {
		if other != "" && pair.GetString("status") == StatusOpen {
			if err := app.Delete(pair); err != nil {
				return err
			}
		}
	}
	return nil
}

// pairsOf returns the duplicate_candidates records that name id on either
// side.
func pairsOf(app core.App, id string) ([]*core.Record, error) {
	var pairs []*core.Record
	err := app.RecordQuery(Collection).
		AndWhere(dbx.Or(dbx.HashExp{"returnee": id}, dbx.HashExp{"candidate": id})).
		OrderBy("id").All(&pairs)
	return pairs, err
}

// pairOf returns the pair of a and b, in either order, or nil.
func pairOf(app core.App, a, b string) (*core.Record, error) {
	pair := &core.Record{}
	err := app.RecordQuery(Collection).AndWhere(dbx.Or(
		dbx.HashExp{"returnee": a, "candidate": b},
		dbx.HashExp{"returnee": b, "candidate": a},
	)).Limit(1).One(pair)
	if errors.Is(err, errNoRows) {
		return nil, nil
	}
	return pair, err
}

// otherOf is the side of pair that is not id ("" for a merged pair, whose
// other side was deleted).
func otherOf(pair *core.Record, id string) string {
	if pair.GetString("returnee") == id {
		return pair.GetString("candidate")
	}
	return pair.GetString("returnee")
}

func reasonsOf(pair *core.Record) []string {
	var reasons []string
	_ = pair.UnmarshalJSONField("reasons", &reasons)
	return reasons
}
