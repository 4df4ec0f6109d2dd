package sqlstore

import "context"

// PackageKey is packageKey, for tests of the stored keys.
var PackageKey = packageKey

// MigrateTo applies the migrations up to and including version.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// Q rewrites a query's placeholders for the dialect.
func (db *DB) Q(query string) string { return db.q(query) }
