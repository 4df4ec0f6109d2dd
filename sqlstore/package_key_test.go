package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Migration 13 gives the components stored before it their package key:
// afterwards each row's key is packageKey of its organization and package
// (0 without a package), and reads by purl find them, per organization.
func TestMigrationPackageKey(t *testing.T) {
	ctx := context.Background()
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			db, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.MigrateTo(ctx, 12); err != nil {
				t.Fatal(err)
			}
			orgA, orgB := storetest.Org(t, db, "A"), storetest.Org(t, db, "B")
			now := time.Now().UTC()
			exec := func(s string, args ...any) {
				t.Helper()
				if _, err := db.SQL().ExecContext(ctx, db.Q(s), args...); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			// Rows as the store wrote them before migration 13.
			for _, org := range []*renkei.Organization{orgA, orgB} {
				pid, sid := sqlstore.NewID(), sqlstore.NewID()
				exec(`INSERT INTO products (id, org_id, partner_id, name, version, created_at, updated_at) VALUES (?, ?, '', 'app', '1', ?, ?)`, pid, org.ID, now, now)
				exec(`INSERT INTO sboms (id, org_id, product_id, format, spec_version, component_count, uploaded_at) VALUES (?, ?, ?, 'cyclonedx-json', '1.5', 3, ?)`, sid, org.ID, pid, now)
				for i, c := range [][3]string{{"pkg:npm/left-pad@1.0.0", "left-pad", "1.0.0"}, {"pkg:npm/left-pad@2.0.0", "left-pad", "2.0.0"}, {"", "", ""}} {
					eco := ""
					if c[1] != "" {
						eco = "npm"
					}
					exec(`INSERT INTO sbom_components (sbom_id, idx, org_id, purl, eco_key, pkg_name, pkg_version) VALUES (?, ?, ?, ?, ?, ?, ?)`, sid, i, org.ID, c[0], eco, c[1], c[2])
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rows, err := db.SQL().QueryContext(ctx, `SELECT org_id, eco_key, pkg_name, pkg_key FROM sbom_components`)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				var org, eco, name string
				var key int64
				if err := rows.Scan(&org, &eco, &name, &key); err != nil {
					t.Fatal(err)
				}
				if want := sqlstore.PackageKey(org, eco, name); key != want || (eco == "") != (key == 0) {
					t.Fatalf("%s %s/%s: key %d, want %d", org, eco, name, key, want)
				}
				n++
			}
			rows.Close()
			if n != 6 {
				t.Fatalf("%d rows", n)
			}
			if sqlstore.PackageKey(orgA.ID, "npm", "left-pad") == sqlstore.PackageKey(orgB.ID, "npm", "left-pad") {
				t.Fatal("the key does not tell the organizations apart")
			}
			adv := npmAdvisory("GHSA-left-pad", now, "left-pad", "0", "2.0.0")
			if _, err := db.ImportAdvisories(storetest.System(), []renkei.Advisory{adv}); err != nil {
				t.Fatal(err)
			}
			for _, org := range []*renkei.Organization{orgA, orgB} {
				got, err := db.AffectedByPURL(storetest.System(), org.ID, "pkg:npm/left-pad")
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 1 || got[0].PURL != "pkg:npm/left-pad@1.0.0" {
					t.Fatalf("%s: %+v", org.Name, got)
				}
			}
		})
	}
}
