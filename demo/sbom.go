package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/renkei/renkei"
)

// The demo's SBOMs and vulnerability data, made through the store as an
// import would make them, so that findings are matched, not typed in.
//
// Everything here is fictional and says so: the packages are the demo
// company's and its suppliers' own (names under demo-seiki and
// example.demo, which no registry holds), and the advisories have IDs
// RENKEI-DEMO-… and summaries that begin 【デモ】. No real package is
// said to be vulnerable and no real CVE number is used. Advisories are
// global, so they are kept apart by their prefix.

// demoAdvisoryPrefix starts every demo advisory's ID.
const demoAdvisoryPrefix = "RENKEI-DEMO-"

// demoPackage is a fictional package with the versions the demo's
// products hold.
type demoPackage struct {
	purl     string // without the version
	eco      string // OSV ecosystem
	name     string // as OSV names it
	versions []string
}

var demoPackages = []demoPackage{
	{"pkg:npm/demo-seiki-plc-link", "npm", "demo-seiki-plc-link", []string{"1.2.0", "1.4.1", "2.0.0"}},
	{"pkg:npm/%40demo-seiki/hmi-widgets", "npm", "@demo-seiki/hmi-widgets", []string{"0.9.3", "1.0.0"}},
	{"pkg:maven/example.demo/modbus-core", "Maven", "example.demo:modbus-core", []string{"2.3.1", "2.5.0", "3.0.0"}},
	{"pkg:maven/example.demo/report-engine", "Maven", "example.demo:report-engine", []string{"4.1.0", "4.2.2"}},
	{"pkg:pypi/demo-seiki-vision", "PyPI", "demo-seiki-vision", []string{"0.8.0", "0.9.1", "1.0.0"}},
	{"pkg:golang/example.demo/gateway", "Go", "example.demo/gateway", []string{"v1.3.0", "v1.4.2"}},
	{"pkg:cargo/demo-seiki-fieldbus", "crates.io", "demo-seiki-fieldbus", []string{"0.4.0", "0.5.1"}},
}

// demoAdvisories affect some of those versions.
func demoAdvisories(now time.Time) []renkei.Advisory {
	adv := func(n int, level, summary string, pkg demoPackage, typ string, events ...renkei.Event) renkei.Advisory {
		return renkei.Advisory{
			ID: fmt.Sprintf("%s2026-%04d", demoAdvisoryPrefix, n), Modified: now.Add(-time.Duration(n) * 24 * time.Hour),
			Published: now.Add(-time.Duration(n+3) * 24 * time.Hour), Source: renkei.SourceOSV,
			Summary:  "【デモ】" + summary,
			Severity: []renkei.Severity{{Type: "DEMO", Level: level}},
			Affected: []renkei.AffectedPackage{{Ecosystem: pkg.eco, Name: pkg.name, Ranges: []renkei.Range{{Type: typ, Events: events}}}},
		}
	}
	intro, fixed := func(v string) renkei.Event { return renkei.Event{Introduced: v} }, func(v string) renkei.Event { return renkei.Event{Fixed: v} }
	p := demoPackages
	return []renkei.Advisory{
		adv(1, renkei.CVSSCritical, "PLC連携ライブラリの認証回避（架空）", p[0], renkei.RangeSemver, intro("0"), fixed("2.0.0")),
		adv(2, renkei.CVSSMedium, "HMI部品のクロスサイトスクリプティング（架空）", p[1], renkei.RangeSemver, intro("0"), fixed("1.0.0")),
		adv(3, renkei.CVSSHigh, "Modbus通信ライブラリの不正な長さによるメモリ破壊（架空）", p[2], renkei.RangeEcosystem, intro("2.0.0"), fixed("2.5.0")),
		adv(4, renkei.CVSSHigh, "帳票エンジンのテンプレート経由のコード実行（架空）", p[3], renkei.RangeEcosystem, intro("4.0.0"), fixed("4.2.0")),
		adv(5, renkei.CVSSLow, "画像検査ライブラリの情報漏えい（架空）", p[4], renkei.RangeEcosystem, intro("0"), fixed("1.0.0")),
		adv(6, renkei.CVSSMedium, "ゲートウェイの証明書検証漏れ（架空）", p[5], renkei.RangeSemver, intro("1.0.0"), fixed("1.4.0")),
		demoVendorAdvisory(now),
	}
}

// demoFirmwareCPE names the fictional communication module's firmware,
// which the control-panel firmware holds: a component with a CPE and no
// purl, as firmware usually comes; the version is the component's.
const demoFirmwareCPE = "cpe:2.3:o:example_demo:comm-module_firmware:*:*:*:*:*:*:*:*"

// demoVendorAdvisory is a vendor's advisory (as a CSAF one from JVN would
// be) that names the firmware by CPE: versions 1.0 to before 1.3.
func demoVendorAdvisory(now time.Time) renkei.Advisory {
	return renkei.Advisory{
		ID: demoAdvisoryPrefix + "2026-0007", Modified: now.Add(-2 * 24 * time.Hour), Published: now.Add(-5 * 24 * time.Hour),
		Source: renkei.SourceCSAF, Summary: "【デモ】通信モジュールのファームウェアにおけるOSコマンドインジェクション（架空・CPEで照合）",
		Severity: []renkei.Severity{{Type: "DEMO", Level: renkei.CVSSHigh}},
		Affected: []renkei.AffectedPackage{{Ecosystem: renkei.EcoCPE, Name: "o:example_demo:comm-module_firmware",
			Ranges: []renkei.Range{{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: "1.0"}, {Fixed: "1.3"}}}}}},
	}
}

// demoProducts are the organization's own products and its suppliers':
// which versions of the demo packages each holds (an index into the
// package's versions, -1 for none).
var demoProducts = []struct {
	name, version string
	supplier      int // index into the demo's first suppliers; -1: the organization's own
	holds         []int
	firmware      string // the communication module's firmware version, "" for none
}{
	{"生産ライン監視システム", "3.2", -1, []int{1, 1, 1, -1, 2, 1, -1}, ""},
	{"検査装置ソフトウェア", "1.8", -1, []int{-1, -1, 2, 1, 0, -1, 1}, ""},
	{"制御盤ファームウェア", "4.0", 0, []int{0, 0, 0, -1, -1, 0, 0}, "1.2"},
	{"制御盤ファームウェア", "4.1", 0, []int{2, 1, 1, -1, -1, 1, 1}, "1.3"},
	{"受発注ゲートウェイ", "2.5", 1, []int{-1, -1, -1, 0, -1, 0, -1}, ""},
	{"画像検査ユニット", "0.9", 2, []int{-1, -1, -1, -1, 1, -1, 0}, ""},
	{"帳票出力サービス", "2026.10", 3, []int{1, -1, -1, 1, -1, -1, -1}, ""},
}

// loadSBOMs adds the demo's advisories, products and SBOMs, and one
// partner's statement that a finding does not affect its product, unless
// the organization has products. It returns how many products it made.
func loadSBOMs(ctx context.Context, store Store, org *renkei.Organization, now time.Time) (int, error) {
	if ps, err := store.Products(ctx, org.ID); err != nil || len(ps) > 0 {
		return 0, err
	}
	suppliers, _, err := store.ListPartners(ctx, org.ID, renkei.PartnerFilter{Type: renkei.PartnerSupplier, Sort: "name"}, renkei.Page{Limit: 4})
	if err != nil {
		return 0, err
	}
	if len(suppliers) < 4 {
		return 0, fmt.Errorf("demo: %d suppliers for the SBOMs, 4 needed", len(suppliers))
	}
	if _, err := store.ImportAdvisories(ctx, demoAdvisories(now)); err != nil {
		return 0, err
	}
	for _, dp := range demoProducts {
		s := &renkei.SBOM{Format: renkei.FormatCycloneDXJSON, SpecVersion: "1.6", Name: dp.name}
		for i, v := range dp.holds {
			if v < 0 {
				continue
			}
			pkg := demoPackages[i]
			s.Components = append(s.Components, renkei.Component{
				BOMRef: fmt.Sprintf("c%d", i), Name: pkg.name, Version: pkg.versions[v],
				PURL: pkg.purl + "@" + pkg.versions[v], Ecosystem: pkg.eco,
			})
		}
		if dp.firmware != "" {
			s.Components = append(s.Components, renkei.Component{BOMRef: "comm-module", Name: "通信モジュール ファームウェア",
				Version: dp.firmware, CPEs: []string{demoFirmwareCPE}})
		}
		p := &renkei.Product{OrgID: org.ID, Name: dp.name, Version: dp.version}
		if dp.supplier >= 0 {
			p.PartnerID = suppliers[dp.supplier].ID
		}
		if _, err := store.ImportSBOMs(ctx, p, []renkei.SBOMUpload{{FileName: "demo-sbom.cdx.json", SBOM: s}}); err != nil {
			return 0, fmt.Errorf("demo SBOM %s %s: %w", dp.name, dp.version, err)
		}
	}
	// The first supplier says the gateway flaw does not reach its
	// firmware 4.0: the finding leaves the lists, with the reason kept.
	st := renkei.VEXStatement{Vulnerability: demoAdvisoryPrefix + "2026-0006", PURL: demoPackages[5].purl, Status: renkei.VEXNotAffected,
		Justification: renkei.JustVulnerableCodeNotInExecPath, ImpactStatement: "【デモ】証明書検証を使う機能は出荷設定で無効です。", Timestamp: now}
	if _, err := store.AddVEX(ctx, org.ID, suppliers[0].ID, "", []renkei.VEXStatement{st}); err != nil {
		return 0, err
	}
	return len(demoProducts), nil
}
