package dedup

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/names"
)

// Fields of returnees that hold the phonetic keys of the surnames
// (names.SurnameKey): the blocks of duplicate detection. The server sets
// them on every write (bindSurnameKeys); they are hidden, so clients
// neither read nor send them.
const (
	FieldFirstSurnameKey  = "first_surname_key"
	FieldSecondSurnameKey = "second_surname_key"
)

// bindSurnameKeys keeps a person's surname keys in step with their surnames
// on every write path (REST, batch, sync push, the dashboard, Go code): a
// model hook, before validation, so any value a client or a superuser sent
// is overwritten.
func bindSurnameKeys(app core.App) {
	set := func(e *core.RecordEvent) error {
		SetSurnameKeys(e.Record)
		return e.Next()
	}
	app.OnRecordCreate(catalog.Returnees).BindFunc(set)
	app.OnRecordUpdate(catalog.Returnees).BindFunc(set)
}

// SetSurnameKeys sets the surname keys of a returnee record from its
// surnames. Code that writes returnees with raw SQL must call it (or write
// names.SurnameKey of each surname): a person without keys is found only
// by those whose keys are empty too.
func SetSurnameKeys(r *core.Record) {
	r.Set(FieldFirstSurnameKey, names.SurnameKey(r.GetString("first_surname")))
	r.Set(FieldSecondSurnameKey, names.SurnameKey(r.GetString("second_surname")))
}

// block is the SQL condition of the people FindMatches scores against p:
// born on p's birth date or on the date with day and month swapped (the
// only dates that score), and with surnames that could score as p's by the
// rules of Score, compared by their phonetic keys:
//
//   - a first surname whose key starts with the first prefixSounds sounds
//     of p's (the same surname; one letter off in a way the key absorbs,
//     Hernández and Hernandes, or after those sounds, Hernández and
//     Hernámdez);
//   - likewise a second surname like p's (the first one letter off
//     anywhere: Hernández and Fernández, both López), or like p's only
//     surname when p has one;
//   - the surnames swapped, or p's second as the other's only surname;
//   - both surnames in one field, or split elsewhere: every split of p's
//     surnames joined ("Hernández López" and "Hernández", "López").
//
// So every pair the whole day would give is found, except a first surname
// one letter off within its first sounds, in a way the key does not absorb
// (Hernández and Bernández), whose second surname is also spelled another
// way within its first sounds, or missing: such a pair may still score (up
// to 88), and is left to the people who review duplicates
// (TestFindMatches_BlockFindsWhatTheDayFound counts them). Each branch is a
// range of idx_returnees_birth_key (birth_date, first_surname_key,
// second_surname_key) or idx_returnees_birth_second (birth_date,
// second_surname_key): a block holds those born that day with alike
// surnames, about 2% of the day for each of the first two branches with
// the demo's surnames, not the whole day.
func block(p Person) dbx.Expression {
	dates := []any{p.BirthDate}
	if swapped := swapDayMonth(p.BirthDate); swapped != "" {
		dates = append(dates, swapped)
	}
	onDates := dbx.In("birth_date", dates...)
	first, second := names.Surname(p.FirstSurname), names.Surname(p.SecondSurname)
	kf, ks := names.SurnameKey(p.FirstSurname), names.SurnameKey(p.SecondSurname)

	branches := []dbx.Expression{dbx.And(onDates, startsWith(FieldFirstSurnameKey, kf))}
	if ks != "" {
		branches = append(branches, dbx.And(onDates, startsWith(FieldSecondSurnameKey, ks)))
	} else if kf != "" {
		branches = append(branches, dbx.And(onDates, startsWith(FieldSecondSurnameKey, kf)))
	}

	// pairs of keys (first, second) of the other person
	type keys struct{ first, second string }
	var exact []keys
	seen := map[keys]bool{}
	add := func(k keys) {
		if !startsLike(k.first, kf) && !seen[k] { // in the first branch
			seen[k] = true
			exact = append(exact, k)
		}
	}
	if ks != "" {
		add(keys{ks, kf}) // swapped
		add(keys{ks, ""}) // p's second surname as their only one
		add(keys{names.Phonetic(first + second), ""})
	}
	joined := []rune(first + second)
	for i := 1; i < len(joined); i++ {
		if i != len([]rune(first)) {
			add(keys{names.Phonetic(string(joined[:i])), names.Phonetic(string(joined[i:]))})
		}
	}
	for _, k := range exact {
		branches = append(branches, dbx.And(onDates, dbx.HashExp{FieldFirstSurnameKey: k.first, FieldSecondSurnameKey: k.second}))
	}
	return dbx.Or(branches...)
}

// prefixSounds is how many sounds of a surname key a block compares: a
// letter typed wrong after them (most of a long surname) keeps the person
// in the block even when the key does not absorb it.
const prefixSounds = 3

// prefix is the first prefixSounds sounds of key.
func prefix(key string) string {
	if len(key) > prefixSounds {
		return key[:prefixSounds]
	}
	return key
}

// startsWith is the condition that field starts like key (startsLike): a
// range of the index, as SQLite cannot use one for LIKE on a
// case-sensitive column.
func startsWith(field, key string) dbx.Expression {
	p := prefix(key)
	if !ranged(p) {
		return dbx.HashExp{field: key}
	}
	return dbx.NewExp(fmt.Sprintf("[[%[1]s]] >= {:%[1]s_lo} AND [[%[1]s]] < {:%[1]s_hi}", field),
		dbx.Params{field + "_lo": p, field + "_hi": p[:len(p)-1] + string(p[len(p)-1]+1)})
}

// startsLike reports whether other starts like key: with key's prefix, or,
// for a prefix that cannot be a range (empty, or ending in a letter of
// another script than the Latin), whole.
func startsLike(other, key string) bool {
	if p := prefix(key); ranged(p) {
		return strings.HasPrefix(other, p)
	}
	return other == key
}

// ranged reports whether the keys that start with p are a range of the index
// that startsWith can write.
func ranged(p string) bool { return p != "" && p[len(p)-1] < 0x7f }
