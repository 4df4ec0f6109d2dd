package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/renkei/renkei"
)

// VulnSource is what the store keeps of one fetch source.
type VulnSource struct {
	URL, ETag, LastModified, LastError string
}

// VulnSource reads a source's state ("" fields for one never fetched).
// The system only.
func (db *DB) VulnSource(ctx context.Context, url string) (VulnSource, error) {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return VulnSource{}, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	s := VulnSource{URL: url}
	err := db.queryRow(ctx, `SELECT etag, last_modified, last_error FROM vulndb_sources WHERE url = ?`, url).Scan(&s.ETag, &s.LastModified, &s.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	return s, mapErr(err)
}

// SaveVulnSource records a fetch attempt: the server's validators after a
// download, or the error.
func (db *DB) SaveVulnSource(ctx context.Context, s VulnSource) error {
	if a := renkei.ActorFrom(ctx); a == nil || !a.System {
		return renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM vulndb_sources WHERE url = ?`, s.URL); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO vulndb_sources (url, etag, last_modified, fetched_at, last_error) VALUES (?, ?, ?, ?, ?)`,
			s.URL, s.ETag, s.LastModified, t.db.now(), s.LastError)
		return err
	})
}
