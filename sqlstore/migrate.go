package sqlstore

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations returns the migration files for the dialect. They are written
// once in PostgreSQL's types; SQLite gets TIMESTAMP (which the driver reads
// back as time.Time) and BLOB in their place.
func (db *DB) migrations() (fs.FS, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	if db.dialect == Postgres {
		return sub, nil
	}
	out := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		b = bytes.ReplaceAll(b, []byte("TIMESTAMPTZ"), []byte("TIMESTAMP"))
		b = bytes.ReplaceAll(b, []byte("BYTEA"), []byte("BLOB"))
		out[path] = &fstest.MapFile{Data: b}
		return nil
	})
	return out, err
}

func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := db.migrations()
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithGoMigrations(db.migratePackageKey())}
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Replicas starting together take turns: one migrates, the
		// others wait (polling each second, up to five minutes) and then
		// find nothing to do.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.sql, fsys, opts...)
}

// Migrate applies every pending migration and returns how many ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// MigrationsPending reports whether any migration has not been applied;
// /readyz is not ready until none is.
func (db *DB) MigrationsPending(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return true, err
	}
	return p.HasPending(ctx)
}
