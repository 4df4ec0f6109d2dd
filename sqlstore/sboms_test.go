package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func npmAdvisory(id string, modified time.Time, name, introduced, fixed string, aliases ...string) renkei.Advisory {
	return renkei.Advisory{
		ID: id, Aliases: aliases, Modified: modified, Source: renkei.SourceOSV, Summary: id,
		Severity: []renkei.Severity{{Type: "GHSA", Level: renkei.CVSSHigh}},
		Affected: []renkei.AffectedPackage{{Ecosystem: "npm", Name: name, Ranges: []renkei.Range{{
			Type: renkei.RangeSemver, Events: []renkei.Event{{Introduced: introduced}, {Fixed: fixed}},
		}}}},
	}
}

func sbomOf(purls ...string) []renkei.SBOMUpload {
	s := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.5"}
	for i, p := range purls {
		s.Components = append(s.Components, renkei.Component{BOMRef: fmt.Sprintf("c%d", i), PURL: p})
	}
	if len(purls) > 1 {
		s.Dependencies = []renkei.Dependency{{From: "c0", To: "c1", Kind: renkei.DependsOn}}
	}
	return []renkei.SBOMUpload{{FileName: "bom.json", SBOM: s}}
}

func importSBOM(t *testing.T, db *sqlstore.DB, orgID, partnerID, name, version string, purls ...string) []renkei.StoredSBOM {
	t.Helper()
	p := &renkei.Product{OrgID: orgID, PartnerID: partnerID, Name: name, Version: version}
	out, err := db.ImportSBOMs(storetest.System(), p, sbomOf(purls...))
	if err != nil {
		t.Fatalf("import %s %s: %v", name, version, err)
	}
	return out
}

func importAdvisories(t *testing.T, db *sqlstore.DB, advs ...renkei.Advisory) renkei.AdvisoryImport {
	t.Helper()
	res, err := db.ImportAdvisories(storetest.System(), advs)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// affectedKeys lists findings as "product version partner purl advisory fixed".
func affectedKeys(list []renkei.Affected) []string {
	var out []string
	for _, a := range list {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s kev=%v", a.Product, a.Version, a.PartnerID, a.PURL, a.AdvisoryID, a.Fixed, a.KEV))
	}
	return out
}

func wantList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestSBOMFindingsBothWaysAndTenancy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := storetest.System()
		a := storetest.Org(t, db, "A")
		b := storetest.Org(t, db, "B")
		pa := mustCreate(t, db, newPartner(a.ID, "部品工業", corpNum(1), renkei.PartnerSupplier))
		pb := mustCreate(t, db, newPartner(b.ID, "別会社", corpNum(2), renkei.PartnerSupplier))
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

		// An advisory first, then SBOMs: their findings exist at once.
		importAdvisories(t, db, npmAdvisory("GHSA-1111", t0, "lodash", "0", "4.17.21", "CVE-2024-0001"))
		own := importSBOM(t, db, a.ID, "", "app", "1.0", "pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.8")
		importSBOM(t, db, a.ID, pa.ID, "firmware", "2.0", "pkg:npm/lodash@4.17.20")
		importSBOM(t, db, a.ID, pa.ID, "firmware", "3.0", "pkg:npm/lodash@4.17.21")
		importSBOM(t, db, b.ID, "", "other", "1.0", "pkg:npm/lodash@4.17.20")
		fs, err := db.FindingsForSBOM(sys, a.ID, own[0].ID)
		if err != nil || len(fs) != 1 || fs[0].AdvisoryID != "GHSA-1111" || fs[0].Fixed != "4.17.21" || fs[0].Level != renkei.CVSSHigh {
			t.Fatalf("findings of the new SBOM: %+v %v", fs, err)
		}
		want := []string{
			"app 1.0  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 kev=false",
			"firmware 2.0 " + pa.ID + " pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 kev=false",
		}
		for _, id := range []string{"GHSA-1111", "CVE-2024-0001"} {
			got, err := db.AffectedByAdvisory(sys, a.ID, id)
			if err != nil {
				t.Fatal(err)
			}
			wantList(t, "affected by "+id, affectedKeys(got), want)
		}
		got, err := db.AffectedByPURL(sys, a.ID, "pkg:npm/lodash")
		if err != nil {
			t.Fatal(err)
		}
		wantList(t, "by package", affectedKeys(got), want)
		got, _ = db.AffectedByPURL(sys, a.ID, "pkg:npm/lodash@4.17.21")
		wantList(t, "by fixed version", affectedKeys(got), nil)

		// A new advisory: the affected products exist at once, KEV flags too.
		if err := db.ImportKEV(sys, []renkei.KEVEntry{{CVE: "CVE-2024-0002", DateAdded: t0, KnownRansomware: true}}); err != nil {
			t.Fatal(err)
		}
		importAdvisories(t, db, npmAdvisory("GHSA-2222", t0, "minimist", "1.0.0", "1.2.9", "CVE-2024-0002"))
		got, _ = db.AffectedByAdvisory(sys, a.ID, "GHSA-2222")
		wantList(t, "new advisory", affectedKeys(got), []string{"app 1.0  pkg:npm/minimist@1.2.8 GHSA-2222 1.2.9 kev=true"})

		// Tenancy: B's products never appear for A and the other way round;
		// B's partner is refused for A; A's SBOM is not found through B.
		got, _ = db.AffectedByAdvisory(sys, b.ID, "GHSA-1111")
		wantList(t, "B's view", affectedKeys(got), []string{"other 1.0  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 kev=false"})
		_, err = db.ImportSBOMs(sys, &renkei.Product{OrgID: a.ID, PartnerID: pb.ID, Name: "x", Version: "1"}, sbomOf("pkg:npm/lodash@4.17.20"))
		wantCode(t, "another organization's partner", err, renkei.EINVALID)
		if ps, _ := db.Products(sys, a.ID); len(ps) != 3 {
			t.Fatalf("A's products after the refused import: %+v", ps)
		}
		_, err = db.FindingsForSBOM(sys, b.ID, own[0].ID)
		wantCode(t, "A's SBOM through B", err, renkei.ENOTFOUND)
		_, err = db.AffectedByAdvisory(asUser(b.ID, renkei.RoleAdmin), a.ID, "GHSA-1111")
		wantCode(t, "a member of B reading A", err, renkei.EFORBIDDEN)
		if _, err := db.AffectedByAdvisory(asUser(a.ID, renkei.RoleViewer), a.ID, "GHSA-1111"); err != nil {
			t.Fatalf("a viewer of A: %v", err)
		}
		_, err = db.ImportAdvisories(asUser(a.ID, renkei.RoleAdmin), []renkei.Advisory{npmAdvisory("GHSA-3333", t0, "x", "0", "1")})
		wantCode(t, "advisories are imported by the operator", err, renkei.EFORBIDDEN)
		_, err = db.AffectedByAdvisory(sys, a.ID, "GHSA-none")
		wantCode(t, "unknown advisory", err, renkei.ENOTFOUND)
	})
}

func TestSBOMReimportReplaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := storetest.System()
		a := storetest.Org(t, db, "A")
		importAdvisories(t, db, npmAdvisory("GHSA-1111", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "lodash", "0", "4.17.21"))
		first := importSBOM(t, db, a.ID, "", "app", "1.0", "pkg:npm/lodash@4.17.20", "pkg:npm/minimist@1.2.8")
		second := importSBOM(t, db, a.ID, "", "app", "1.0", "pkg:npm/lodash@4.17.21")
		ps, err := db.Products(sys, a.ID)
		if err != nil || len(ps) != 1 || ps[0].ID != second[0].ProductID || first[0].ProductID != second[0].ProductID {
			t.Fatalf("one product: %+v %v", ps, err)
		}
		sboms, _ := db.SBOMs(sys, a.ID, ps[0].ID)
		if len(sboms) != 1 || sboms[0].ID != second[0].ID || sboms[0].ComponentCount != 1 {
			t.Fatalf("the SBOM is replaced: %+v", sboms)
		}
		var comps, deps int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM sbom_components`).Scan(&comps)
		db.SQL().QueryRow(`SELECT COUNT(*) FROM sbom_dependencies`).Scan(&deps)
		if comps != 1 || deps != 0 {
			t.Fatalf("old rows left: %d components, %d edges", comps, deps)
		}
		got, _ := db.AffectedByAdvisory(sys, a.ID, "GHSA-1111")
		wantList(t, "after the replacement", affectedKeys(got), nil)
		_, err = db.FindingsForSBOM(sys, a.ID, first[0].ID)
		wantCode(t, "the replaced SBOM", err, renkei.ENOTFOUND)
		// Another version is another product.
		importSBOM(t, db, a.ID, "", "app", "0.9", "pkg:npm/lodash@4.17.20")
		got, _ = db.AffectedByAdvisory(sys, a.ID, "GHSA-1111")
		wantList(t, "older version", affectedKeys(got), []string{"app 0.9  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 kev=false"})
		// Bad input changes nothing.
		_, err = db.ImportSBOMs(sys, &renkei.Product{OrgID: a.ID, Name: "", Version: "1"}, sbomOf("pkg:npm/lodash@4.17.20"))
		wantCode(t, "no name", err, renkei.EINVALID)
		if ps, _ := db.Products(sys, a.ID); len(ps) != 2 {
			t.Fatalf("products: %+v", ps)
		}
	})
}

func TestAdvisoryModifiedAndWithdrawn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := storetest.System()
		a := storetest.Org(t, db, "A")
		importSBOM(t, db, a.ID, "", "app", "1.0", "pkg:npm/lodash@4.17.20")
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		affected := func() []string {
			got, err := db.AffectedByAdvisory(sys, a.ID, "GHSA-1111")
			if err != nil {
				t.Fatal(err)
			}
			return affectedKeys(got)
		}
		if r := importAdvisories(t, db, npmAdvisory("GHSA-1111", t0, "lodash", "0", "4.17.21")); r.Added != 1 {
			t.Fatalf("first: %+v", r)
		}
		// Newer modified replaces: the fix moves.
		if r := importAdvisories(t, db, npmAdvisory("GHSA-1111", t0.Add(time.Hour), "lodash", "0", "4.17.22")); r.Replaced != 1 {
			t.Fatalf("newer: %+v", r)
		}
		wantList(t, "newer", affected(), []string{"app 1.0  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.22 kev=false"})
		// The same or older modified changes nothing.
		if r := importAdvisories(t, db, npmAdvisory("GHSA-1111", t0, "lodash", "0", "4.17.1"), npmAdvisory("GHSA-1111", t0.Add(time.Hour), "lodash", "0", "4.17.1")); r.Unchanged != 2 {
			t.Fatalf("older and same: %+v", r)
		}
		wantList(t, "after older", affected(), []string{"app 1.0  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.22 kev=false"})
		// Another package: no longer affected.
		importAdvisories(t, db, npmAdvisory("GHSA-1111", t0.Add(2*time.Hour), "underscore", "0", "9"))
		wantList(t, "moved to another package", affected(), nil)
		importAdvisories(t, db, npmAdvisory("GHSA-1111", t0.Add(3*time.Hour), "lodash", "0", "4.17.21"))
		wantList(t, "back", affected(), []string{"app 1.0  pkg:npm/lodash@4.17.20 GHSA-1111 4.17.21 kev=false"})
		// Withdrawn: affects nothing, and an older copy does not bring it back.
		w := npmAdvisory("GHSA-1111", t0.Add(4*time.Hour), "lodash", "0", "4.17.21")
		w.Withdrawn = t0.Add(4 * time.Hour)
		if r := importAdvisories(t, db, w); r.Replaced != 1 || r.Withdrawn != 1 {
			t.Fatalf("withdraw: %+v", r)
		}
		wantList(t, "withdrawn", affected(), nil)
		if r := importAdvisories(t, db, npmAdvisory("GHSA-1111", t0.Add(3*time.Hour), "lodash", "0", "4.17.21")); r.Unchanged != 1 {
			t.Fatalf("older after withdrawal: %+v", r)
		}
		wantList(t, "still withdrawn", affected(), nil)
		adv, err := db.Advisory(sys, "GHSA-1111")
		if err != nil || !adv.IsWithdrawn() {
			t.Fatalf("the tombstone: %+v %v", adv, err)
		}
		// Match (scan) reads the same data without storing anything.
		fs, err := db.Match(sys, map[string][]renkei.Component{"x.json": {{PURL: "pkg:npm/lodash@4.17.20"}}})
		if err != nil || len(fs) != 0 {
			t.Fatalf("scan against a withdrawn advisory: %+v %v", fs, err)
		}
	})
}
