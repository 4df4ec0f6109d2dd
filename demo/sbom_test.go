package demo_test

import (
	"strings"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestDemoSBOMs: the demo holds products of the organization and of
// suppliers with SBOMs whose findings are matched against the demo's
// advisories, every one of them labelled as fictional; a supplier's VEX
// statement hides one finding; loading again adds nothing.
func TestDemoSBOMs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, res, again := loadDemo(t, db)
		ps, err := db.Products(ctx, res.Org.ID)
		if err != nil || len(ps) != res.Products || res.Products < 5 {
			t.Fatalf("products: %d listed, %d reported, %v", len(ps), res.Products, err)
		}
		partners := map[string]bool{}
		for _, p := range ps {
			partners[p.PartnerID] = true
		}
		if !partners[""] || len(partners) < 4 {
			t.Fatalf("products of the organization and of suppliers: %v", partners)
		}
		fs, err := db.OrgFindings(ctx, res.Org.ID)
		if err != nil || len(fs) < 8 {
			t.Fatalf("findings: %d %v", len(fs), err)
		}
		advs := map[string]bool{}
		for _, f := range fs {
			advs[f.AdvisoryID] = true
			a, err := db.Advisory(ctx, f.AdvisoryID)
			if err != nil || !strings.HasPrefix(a.ID, "RENKEI-DEMO-") || !strings.HasPrefix(a.Summary, "【デモ】") || len(a.Aliases) != 0 {
				t.Fatalf("a finding's advisory is not labelled as fictional: %+v %v", a, err)
			}
		}
		if len(advs) < 5 {
			t.Fatalf("advisories with findings: %v", advs)
		}
		// The firmware named by CPE: 1.2 in panel firmware 4.0 is affected,
		// 1.3 in 4.1 is fixed.
		byCPE, err := db.AffectedByAdvisory(ctx, res.Org.ID, "RENKEI-DEMO-2026-0007")
		if err != nil || len(byCPE) != 1 || byCPE[0].Version != "4.0" || !strings.HasPrefix(byCPE[0].PURL, "cpe:2.3:o:example_demo:comm-module_firmware:1.2:") {
			t.Fatalf("the firmware named by CPE: %+v %v", byCPE, err)
		}
		stmts, err := db.VEXStatements(ctx, res.Org.ID)
		if err != nil || len(stmts) != 1 || stmts[0].Status != renkei.VEXNotAffected {
			t.Fatalf("the supplier's statement: %+v %v", stmts, err)
		}
		if n := again().Products; n != 0 {
			t.Fatalf("second load: %d products", n)
		}
		if ps2, _ := db.Products(ctx, res.Org.ID); len(ps2) != len(ps) {
			t.Fatalf("products after the second load: %d", len(ps2))
		}
	})
}
