package renkei

import (
	"testing"
	"time"
)

func TestVEXFor(t *testing.T) {
	f := Affected{ProductID: "prod-1", PartnerID: "p1", VulnFinding: VulnFinding{PURL: "pkg:npm/lodash@4.17.20", AdvisoryID: "GHSA-x"}}
	aliases := []string{"CVE-2021-23337"}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	st := func(id, vuln, partner, product, purl, status string, at time.Time) StoredVEX {
		return StoredVEX{ID: id, PartnerID: partner, OurProductID: product, CreatedAt: at,
			VEXStatement: VEXStatement{Vulnerability: vuln, PURL: purl, Status: status}}
	}
	cases := []struct {
		name  string
		stmts []StoredVEX
		want  string // the ID of the statement that applies, "" for none
	}{
		{"none", nil, ""},
		{"by CVE alias and package purl", []StoredVEX{st("a", "CVE-2021-23337", "", "", "pkg:npm/lodash", VEXNotAffected, t0)}, "a"},
		{"by advisory ID and exact purl", []StoredVEX{st("b", "GHSA-x", "p1", "", "pkg:npm/lodash@4.17.20", VEXAffected, t0)}, "b"},
		{"another version's purl", []StoredVEX{st("c", "GHSA-x", "", "", "pkg:npm/lodash@4.17.21", VEXFixed, t0)}, ""},
		{"another partner", []StoredVEX{st("d", "GHSA-x", "p2", "", "", VEXNotAffected, t0)}, ""},
		{"another product of ours", []StoredVEX{st("e", "GHSA-x", "", "prod-2", "", VEXNotAffected, t0)}, ""},
		{"another vulnerability", []StoredVEX{st("f", "CVE-2020-0001", "", "", "", VEXNotAffected, t0)}, ""},
		{"the newest wins", []StoredVEX{st("old", "GHSA-x", "", "", "", VEXUnderInvestigation, t0), st("new", "GHSA-x", "p1", "prod-1", "", VEXFixed, t0.Add(time.Hour))}, "new"},
	}
	for _, c := range cases {
		got := VEXFor(f, aliases, c.stmts)
		if (got == nil && c.want != "") || (got != nil && got.ID != c.want) {
			t.Errorf("%s: got %+v, want %q", c.name, got, c.want)
		}
	}
	if !VEXHides(&StoredVEX{VEXStatement: VEXStatement{Status: VEXNotAffected}}) || VEXHides(&StoredVEX{VEXStatement: VEXStatement{Status: VEXAffected}}) || VEXHides(nil) {
		t.Fatal("VEXHides")
	}
}
