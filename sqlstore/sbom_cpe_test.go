package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Components without a purl of an OSV ecosystem are matched by their CPE
// against advisories that name products by CPE, the same way by SQL, by a
// server's index that follows the change, and by an index loaded from
// the database.
func TestSBOMMatchedByCPE(t *testing.T) {
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			plain := storetest.Open(t, dsn)
			following := storetest.Open(t, dsn)
			following.KeepVulnIndex()
			sys := storetest.System()
			org := storetest.Org(t, plain, "A")
			if _, err := following.WarmVulnIndex(sys); err != nil {
				t.Fatal(err)
			}
			sbom := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.6", Components: []renkei.Component{
				{BOMRef: "fw", Name: "firmware", Version: "2.4.1", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*"}},
				{BOMRef: "old", Name: "boot", PURL: "pkg:generic/example-networks/boot@1.9.8", CPEs: []string{"cpe:/o:Example_Networks:EX-Router_Firmware:1.9.8"}},
				{BOMRef: "npm", PURL: "pkg:npm/ex-router-firmware@2.4.1", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:2.4.1:*:*:*:*:*:*:*"}},
				{BOMRef: "ok", Name: "firmware", Version: "2.4.5", CPEs: []string{"cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*"}},
			}}
			p := &renkei.Product{OrgID: org.ID, Name: "EX-Router", Version: "2026.10"}
			stored, err := plain.ImportSBOMs(sys, p, []renkei.SBOMUpload{{FileName: "router.cdx.json", SBOM: sbom}})
			if err != nil {
				t.Fatal(err)
			}
			importAdvisories(t, plain, renkei.Advisory{ID: "EXJV-2026-000123", Source: renkei.SourceCSAF, Modified: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC),
				Aliases: []string{"CVE-2026-99001"}, Affected: []renkei.AffectedPackage{{
					Ecosystem: renkei.EcoCPE, Name: "o:example_networks:ex-router_firmware", Versions: []string{"1.9.8"},
					Ranges: []renkei.Range{{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: "2.0"}, {Fixed: "2.4.5"}}}},
				}}})
			loaded := storetest.Open(t, dsn)
			loaded.KeepVulnIndex()
			if _, err := loaded.WarmVulnIndex(sys); err != nil {
				t.Fatal(err)
			}
			want := []string{
				"cpe:2.3:o:example_networks:ex-router_firmware:1.9.8:*:*:*:*:*:*:* fixed=",
				"cpe:2.3:o:example_networks:ex-router_firmware:2.4.1:*:*:*:*:*:*:* fixed=2.4.5",
			}
			refs := func(as []renkei.Affected) []string {
				var out []string
				for _, a := range as {
					out = append(out, a.PURL+" fixed="+a.Fixed)
				}
				slices.Sort(out)
				return out
			}
			for name, db := range map[string]*sqlstore.DB{"sql": plain, "following": following, "loaded": loaded} {
				got, err := db.AffectedByAdvisory(sys, org.ID, "CVE-2026-99001")
				if err != nil || !slices.Equal(refs(got), want) {
					t.Errorf("%s: affected %v %v", name, refs(got), err)
				}
				byCPE, err := db.AffectedByPURL(sys, org.ID, "cpe:2.3:o:example_networks:ex-router_firmware:*:*:*:*:*:*:*:*")
				if err != nil || !slices.Equal(refs(byCPE), want) {
					t.Errorf("%s: by CPE %v %v", name, refs(byCPE), err)
				}
				fs, err := db.FindingsForSBOM(sys, org.ID, stored[0].ID)
				if err != nil || len(fs) != 2 {
					t.Errorf("%s: SBOM findings %+v %v", name, fs, err)
				}
			}
		})
	}
}
