package sqlstore

import (
	"context"
	"database/sql"
	"hash/fnv"

	"github.com/pressly/goose/v3"
)

// packageKey is the indexed key of a component's package within its
// organization: a 64-bit FNV-1a hash of the organization, the base
// ecosystem and the package name (0 for a component without a package).
// One small integer per component instead of the organization's ID and the
// package's name keeps the index about a third of its former size, which is
// most of what storing an SBOM costs; every query that uses it compares
// org_id, eco_key and pkg_name too, so two packages with the same hash
// never mix. The function must never change: stored rows carry its values.
func packageKey(orgID, eco, name string) int64 {
	if eco == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(orgID))
	h.Write([]byte{0})
	h.Write([]byte(eco))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// migratePackageKey (migration 13) gives sbom_components its package key:
// the column, its value for the rows already stored (one UPDATE per
// distinct package, through the former index), the index on it, and the
// former index on (org_id, eco_key, pkg_name, pkg_version) dropped.
func (db *DB) migratePackageKey() *goose.Migration {
	return goose.NewGoMigration(13, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE sbom_components ADD COLUMN pkg_key BIGINT NOT NULL DEFAULT 0`); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT org_id, eco_key, pkg_name FROM sbom_components WHERE eco_key <> ''`)
		if err != nil {
			return err
		}
		var pkgs [][3]string
		for rows.Next() {
			var p [3]string
			if err := rows.Scan(&p[0], &p[1], &p[2]); err != nil {
				rows.Close()
				return err
			}
			pkgs = append(pkgs, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		update, err := tx.PrepareContext(ctx, db.q(`UPDATE sbom_components SET pkg_key = ? WHERE org_id = ? AND eco_key = ? AND pkg_name = ?`))
		if err != nil {
			return err
		}
		defer update.Close()
		for _, p := range pkgs {
			if _, err := update.ExecContext(ctx, packageKey(p[0], p[1], p[2]), p[0], p[1], p[2]); err != nil {
				return err
			}
		}
		for _, q := range []string{
			`CREATE INDEX sbom_components_pkg_key ON sbom_components(pkg_key)`,
			`DROP INDEX sbom_components_package`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}}, nil)
}
