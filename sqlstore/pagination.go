package sqlstore

import (
	"context"
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

// eq is an optional equality filter of a list: it applies when Value is
// not empty. Column names come from code, never from input.
type eq struct{ Column, Value string }

// listByID reads one page of an organization's rows of table in ID
// (creation) order, with the filters that are set.
func listByID[T any](ctx context.Context, db *DB, columns, table, orgID string, filters []eq, page renkei.Page,
	scan func(interface{ Scan(...any) error }) (*T, error), key func(*T) string) ([]T, string, error) {
	return listByIDWhere(ctx, db, columns, table, orgID, "", nil, filters, page, scan, key)
}

// listByIDWhere is listByID with one more condition written in code
// (" AND …", with ? placeholders for whereArgs), for a filter that is not
// an equality.
func listByIDWhere[T any](ctx context.Context, db *DB, columns, table, orgID, where string, whereArgs []any, filters []eq, page renkei.Page,
	scan func(interface{ Scan(...any) error }) (*T, error), key func(*T) string) ([]T, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + columns + ` FROM ` + table + ` WHERE org_id = ? AND id > ?`
	args := []any{orgID, after}
	q += where
	args = append(args, whereArgs...)
	for _, f := range filters {
		if f.Value != "" {
			q += ` AND ` + f.Column + ` = ?`
			args = append(args, f.Value)
		}
	}
	q += ` ORDER BY id LIMIT ?`
	args = append(args, page.Limit+1)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, scan)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, key)
	return items, next, nil
}
