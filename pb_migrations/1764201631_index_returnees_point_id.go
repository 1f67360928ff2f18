package pb_migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// A field worker's initial sync pages the returnees of one reception point
// in id order (reception_point = ? AND id > ? ORDER BY id LIMIT n): with
// (reception_point, id) each page is a range of the index, where an index
// on reception_point alone sorted the whole point again for every page.
func init() {
	m.Register(replaceIndexes("returnees",
		[]index{{"idx_returnees_reception_point", false, "reception_point", ""}},
		[]index{{"idx_returnees_point_id", false, "reception_point, id", ""}},
	))
}
