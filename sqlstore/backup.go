package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupExists refuses to overwrite an earlier backup.
var ErrBackupExists = errors.New("backup file already exists")

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running (VACUUM INTO reads one snapshot and writes a compact
// new database). PostgreSQL is backed up with its own tools (pg_dump); see
// docs/operations.md.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return fmt.Errorf("renkei backup is for SQLite; back up PostgreSQL with pg_dump (docs/operations.md)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrBackupExists)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
