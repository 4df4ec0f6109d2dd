package renkei

import (
	"testing"
	"time"
)

func TestLevelForScore(t *testing.T) {
	for _, c := range []struct {
		score float64
		want  string
	}{
		{-0.1, ""}, {0, CVSSNone}, {0.1, CVSSLow}, {3.9, CVSSLow}, {4.0, CVSSMedium},
		{6.9, CVSSMedium}, {7.0, CVSSHigh}, {8.9, CVSSHigh}, {9.0, CVSSCritical},
		{10, CVSSCritical}, {10.1, ""},
	} {
		if got := LevelForScore(c.score); got != c.want {
			t.Errorf("LevelForScore(%v) = %q, want %q", c.score, got, c.want)
		}
	}
}

func TestNormalizeLevel(t *testing.T) {
	for in, want := range map[string]string{
		"HIGH": CVSSHigh, "Moderate": CVSSMedium, "important": CVSSHigh, " critical ": CVSSCritical,
		"LOW": CVSSLow, "none": CVSSNone, "unknown": "", "": "",
	} {
		if got := NormalizeLevel(in); got != want {
			t.Errorf("NormalizeLevel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaxLevel(t *testing.T) {
	a := Advisory{Severity: []Severity{{Level: CVSSMedium}, {Level: CVSSCritical}, {Level: ""}}}
	if got := a.MaxLevel(); got != CVSSCritical {
		t.Fatalf("MaxLevel = %q", got)
	}
	if got := (&Advisory{}).MaxLevel(); got != "" {
		t.Fatalf("MaxLevel of none = %q", got)
	}
}

func TestSupersedes(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	old := &Advisory{ID: "GHSA-x", Modified: t0}
	for _, c := range []struct {
		modified time.Time
		want     bool
	}{
		{t0.Add(time.Second), true},
		{t0, false}, // the same record again changes nothing
		{t0.Add(-time.Hour), false},
	} {
		n := &Advisory{ID: "GHSA-x", Modified: c.modified}
		if got := n.Supersedes(old); got != c.want {
			t.Errorf("modified %v: Supersedes = %v, want %v", c.modified, got, c.want)
		}
	}
}

func TestRangeValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		r    Range
		key  string
	}{
		{"introduced and fixed", Range{Type: RangeSemver, Events: []Event{{Introduced: "0"}, {Fixed: "1.0.2"}}}, ""},
		{"introduced only", Range{Type: RangeEcosystem, Events: []Event{{Introduced: "1.0"}}}, ""},
		{"with limit", Range{Type: RangeGit, Events: []Event{{Introduced: "a"}, {Limit: "b"}}}, ""},
		{"last_affected", Range{Type: RangeSemver, Events: []Event{{Introduced: "1"}, {LastAffected: "2"}}}, ""},
		{"unknown type", Range{Type: "SEMVERISH", Events: []Event{{Introduced: "0"}}}, "sbom.advisory_range_type"},
		{"two fields in one event", Range{Type: RangeSemver, Events: []Event{{Introduced: "1.0.0", Fixed: "1.0.2"}}}, "sbom.advisory_event"},
		{"empty event", Range{Type: RangeSemver, Events: []Event{{Introduced: "0"}, {}}}, "sbom.advisory_event"},
		{"no introduced", Range{Type: RangeSemver, Events: []Event{{Fixed: "1.0.2"}}}, "sbom.advisory_no_introduced"},
		{"fixed and last_affected", Range{Type: RangeSemver, Events: []Event{{Introduced: "0"}, {Fixed: "2"}, {LastAffected: "1"}}}, "sbom.advisory_fixed_and_last"},
	} {
		err := c.r.Validate()
		if c.key == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Key != c.key {
			t.Errorf("%s: err = %v, want key %s", c.name, err, c.key)
		}
	}
}

func TestEventKind(t *testing.T) {
	for _, c := range []struct {
		e    Event
		kind string
	}{
		{Event{Introduced: "0"}, "introduced"}, {Event{Fixed: "1"}, "fixed"},
		{Event{LastAffected: "1"}, "last_affected"}, {Event{Limit: "*"}, "limit"},
		{Event{}, ""}, {Event{Fixed: "1", Limit: "2"}, "several"},
	} {
		if got := c.e.Kind(); got != c.kind {
			t.Errorf("%+v: Kind = %q, want %q", c.e, got, c.kind)
		}
	}
}

func TestCVEs(t *testing.T) {
	a := Advisory{ID: "GHSA-jfh8-c2jp-5v3q", Aliases: []string{"CVE-2021-44228", "SNYK-1"}}
	if got := a.CVEs(); len(got) != 1 || got[0] != "CVE-2021-44228" {
		t.Fatalf("CVEs = %v", got)
	}
}

func TestVEXValidate(t *testing.T) {
	base := VEXStatement{Vulnerability: "CVE-2021-44228", PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}
	with := func(f func(*VEXStatement)) VEXStatement { v := base; f(&v); return v }
	for _, c := range []struct {
		name  string
		v     VEXStatement
		field string // "" when valid
		key   string
	}{
		{"affected", with(func(v *VEXStatement) { v.Status = VEXAffected }), "", ""},
		{"fixed", with(func(v *VEXStatement) { v.Status = VEXFixed }), "", ""},
		{"under investigation", with(func(v *VEXStatement) { v.Status = VEXUnderInvestigation }), "", ""},
		{"not affected with justification", with(func(v *VEXStatement) {
			v.Status, v.Justification = VEXNotAffected, JustVulnerableCodeNotInExecPath
		}), "", ""},
		{"not affected with impact statement", with(func(v *VEXStatement) {
			v.Status, v.ImpactStatement = VEXNotAffected, "JndiLookup removed from the class path"
		}), "", ""},
		{"not affected without reason", with(func(v *VEXStatement) { v.Status = VEXNotAffected }),
			"justification", "sbom.vex_justification_required"},
		{"not affected, unknown justification", with(func(v *VEXStatement) {
			v.Status, v.Justification = VEXNotAffected, "because"
		}), "justification", "sbom.vex_justification_unknown"},
		{"unknown status", with(func(v *VEXStatement) { v.Status = "maybe" }), "status", "sbom.vex_status_unknown"},
		{"no product", VEXStatement{Vulnerability: "CVE-1", Status: VEXAffected}, "product", "field.required"},
		{"no vulnerability", VEXStatement{PURL: "pkg:npm/a@1", Status: VEXAffected}, "vulnerability", "field.required"},
	} {
		err := c.v.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Fields[c.field] != c.key {
			t.Errorf("%s: err = %#v, want %s=%s", c.name, err, c.field, c.key)
		}
	}
}
