// Package storetest opens real databases for tests: SQLite always, and
// PostgreSQL when RENKEI_TEST_POSTGRES holds a DSN. With CI set, a missing
// PostgreSQL fails the test instead of skipping it.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
)

// DSNs returns the --db values of fresh, empty databases, one per dialect,
// named by dialect. Each PostgreSQL database is a schema of its own in the
// test cluster, dropped when the test ends.
func DSNs(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{sqlstore.SQLite: "sqlite:" + filepath.Join(t.TempDir(), "renkei.db")}
	if dsn := PostgresDSN(t); dsn != "" {
		out[sqlstore.Postgres] = dsn
	}
	return out
}

// PostgresDSN returns a DSN for a fresh schema in the test cluster, or ""
// (after t.Skip-free logging) when none is configured outside CI.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("RENKEI_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but RENKEI_TEST_POSTGRES is empty: PostgreSQL tests must run in CI")
		}
		return ""
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "t_" + strings.ToLower(strings.ReplaceAll(sqlstore.NewID(), "-", ""))
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates a database; it is closed when the test ends.
func Open(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// Each runs fn once per available dialect, as a subtest, on a fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	dsns := DSNs(t)
	for _, d := range []string{sqlstore.SQLite, sqlstore.Postgres} {
		dsn, ok := dsns[d]
		if !ok {
			continue
		}
		t.Run(d, func(t *testing.T) { fn(t, Open(t, dsn)) })
	}
}

// System returns a context acting as the system (CLI).
func System() context.Context {
	return renkei.WithActor(context.Background(), renkei.SystemActor("test"))
}

// Org creates an organization with a unique slug.
func Org(t testing.TB, db *sqlstore.DB, name string) *renkei.Organization {
	t.Helper()
	o := &renkei.Organization{Name: name, Slug: fmt.Sprintf("org-%s", strings.ToLower(sqlstore.NewID()[24:]))}
	if err := db.CreateOrganization(System(), o); err != nil {
		t.Fatal(err)
	}
	return o
}
