package sqlstore

import (
	"database/sql"

	"github.com/renkei/renkei"
)

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (*T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// pageOf trims a list read with LIMIT page.Limit+1 to the page and makes
// the cursor of the next page from the last item's key; the extra row only
// says that there is a next page.
func pageOf[T any](items []T, limit int, key func(*T) string) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	return items, renkei.EncodeCursor(key(&items[limit-1]))
}
