package pb_migrations

import (
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	"github.com/retorno-mx/retorno/catalog"
	"github.com/retorno-mx/retorno/internal/txmemo"
	"github.com/retorno-mx/retorno/names"
)

// Duplicate detection's blocks (package dedup, FindMatches): it read
// everyone born on a person's birth date, and registers cluster (unknown
// dates are written as 1 January, most returnees were born in a few
// decades), so one registration read thousands of people. The phonetic keys
// of the two surnames (names.SurnameKey), set by a model hook on every
// write, narrow it to those born that day whose surnames sound alike. The
// index (birth_date, first_surname_key, second_surname_key) replaces
// (birth_date, first_surname); (birth_date, second_surname_key) finds a
// surname written as the second. Existing people get their keys here.
func init() {
	m.Register(func(app core.App) error {
		err := changeCollection(app, catalog.Returnees, func(c *core.Collection) {
			c.Fields.Add(
				&core.TextField{Name: "first_surname_key", Hidden: true,
					Help: "Phonetic key of the first surname (duplicate detection's block); set by the server."},
				&core.TextField{Name: "second_surname_key", Hidden: true,
					Help: "Phonetic key of the second surname (duplicate detection's block); set by the server."},
			)
			c.RemoveIndex("idx_returnees_birth")
			c.AddIndex("idx_returnees_birth_key", false, "birth_date, first_surname_key, second_surname_key", "")
			c.AddIndex("idx_returnees_birth_second", false, "birth_date, second_surname_key", "")
		})
		if err != nil {
			return err
		}
		return backfillSurnameKeys(app)
	}, func(app core.App) error {
		return changeCollection(app, catalog.Returnees, func(c *core.Collection) {
			c.RemoveIndex("idx_returnees_birth_key")
			c.RemoveIndex("idx_returnees_birth_second")
			c.AddIndex("idx_returnees_birth", false, "birth_date, first_surname", "")
			c.Fields.RemoveByName("first_surname_key")
			c.Fields.RemoveByName("second_surname_key")
		})
	})
}

// backfillSurnameKeys sets the keys of every person: the distinct surnames
// and their keys go to a temporary table, and one UPDATE reads it (raw SQL:
// a derived field that no client reads, so no rev, log or audit row).
func backfillSurnameKeys(app core.App) error {
	var surnames []string
	err := app.DB().NewQuery(`SELECT first_surname FROM returnees UNION SELECT second_surname FROM returnees`).Column(&surnames)
	if err != nil || len(surnames) == 0 {
		return err
	}
	db := app.NonconcurrentDB()
	if _, err := db.NewQuery(`CREATE TEMP TABLE _surname_keys (surname TEXT PRIMARY KEY, key TEXT NOT NULL)`).Execute(); err != nil {
		return fmt.Errorf("surname keys: %w", err)
	}
	insert := db.NewQuery(`INSERT INTO temp._surname_keys (surname, key) VALUES ({:surname}, {:key})`).Prepare()
	for _, s := range surnames {
		if _, err = insert.Bind(map[string]any{"surname": s, "key": names.SurnameKey(s)}).Execute(); err != nil {
			break
		}
	}
	if err == nil {
		_, err = db.NewQuery(`UPDATE returnees SET
			first_surname_key = (SELECT key FROM temp._surname_keys WHERE surname = returnees.first_surname),
			second_surname_key = (SELECT key FROM temp._surname_keys WHERE surname = returnees.second_surname)`).Execute()
	}
	txmemo.Drop(app, catalog.Returnees) // the migrations share one transaction: what one read of the people is stale
	_, dropErr := db.NewQuery(`DROP TABLE temp._surname_keys`).Execute()
	if err = errors.Join(err, insert.Close(), dropErr); err != nil {
		return fmt.Errorf("surname keys: %w", err)
	}
	return nil
}
