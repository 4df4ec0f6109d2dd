// Package sqlstore is Renkei's storage: one implementation over database/sql
// that runs on SQLite (modernc.org/sqlite, embedded, the default) and on
// PostgreSQL (pgx). Every query that reads tenant data names the
// organization in its WHERE clause.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/renkei/renkei"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the store. It is safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect string
	dsn     string
	// Now is the clock; tests may replace it.
	Now func() time.Time

	rebound sync.Map // query text → dialect's text

	// vix answers the portfolio's SBOM reads from memory when set
	// (KeepVulnIndex); nil, they are computed by SQL.
	vix *vulnIndex
}

// ParseDSN turns a --db value into a dialect and a driver DSN: a plain file
// path or sqlite:PATH is SQLite, postgres:// or postgresql:// is PostgreSQL.
func ParseDSN(s string) (dialect, driverDSN string, err error) {
	switch {
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return Postgres, s, nil
	case s == "":
		return "", "", renkei.Invalid(map[string]string{"db": "field.required"})
	}
	path := strings.TrimPrefix(s, "sqlite:")
	path = strings.TrimPrefix(path, "//")
	if path == "" || strings.Contains(path, "?") {
		return "", "", renkei.Invalid(map[string]string{"db": "field.db"})
	}
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	// Immediate transactions take the write lock at BEGIN, so two writers
	// queue on busy_timeout instead of failing on a lock upgrade.
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return SQLite, "file:" + filepath.ToSlash(path) + "?" + q.Encode(), nil
}

// Open connects to the database named by a --db value. It does not migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	dialect, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	driver := "sqlite"
	if dialect == Postgres {
		driver = "pgx"
	}
	sdb, err := sql.Open(driver, driverDSN)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	if dialect == SQLite {
		sdb.SetMaxOpenConns(8)
		sdb.SetMaxIdleConns(8)
	} else {
		sdb.SetMaxOpenConns(20)
		sdb.SetMaxIdleConns(10)
		sdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sdb.PingContext(pctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return &DB{sql: sdb, dialect: dialect, dsn: dsn, Now: time.Now}, nil
}

// Close closes the pool.
func (db *DB) Close() error { return db.sql.Close() }

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// SQL exposes the pool for metrics and tests.
func (db *DB) SQL() *sql.DB { return db.sql }

// Ping checks the database is reachable.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// NewID returns a UUIDv7: time-ordered, so that keyset pagination by ID
// follows creation order.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// q rewrites ? placeholders into $1, $2… for PostgreSQL. Queries in this
// package never hold a literal question mark.
func (db *DB) q(query string) string {
	if db.dialect != Postgres {
		return query
	}
	if v, ok := db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	db.rebound.Store(query, b.String())
	return b.String()
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.sql.ExecContext(ctx, db.q(query), args...)
	return res, mapErr(err)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.sql.QueryRowContext(ctx, db.q(query), args...)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := db.sql.QueryContext(ctx, db.q(query), args...)
	return rows, mapErr(err)
}

// mapErr turns driver errors into coded errors: a unique violation is a
// conflict; everything else passes through.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return renkei.Errorf(renkei.ECONFLICT, "error.conflict")
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return renkei.Errorf(renkei.ECONFLICT, "error.conflict")
	}
	return err
}

// notFound maps sql.ErrNoRows to the coded not-found error.
func notFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return renkei.ErrNotFound(kind)
	}
	return mapErr(err)
}

// nullTime converts a *time.Time for storage.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// timePtr converts a scanned sql.NullTime back.
func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// utc normalizes a time for storage.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Rebind rewrites ? placeholders for the dialect (for tests and tools that
// run their own SQL).
func (db *DB) Rebind(query string) string { return db.q(query) }
