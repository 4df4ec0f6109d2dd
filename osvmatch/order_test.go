package osvmatch

import "testing"

// Version ordering per ecosystem, from each ecosystem's own specification
// examples. They test that we call the right comparator for each ecosystem
// name (the comparators are osv-scalibr's, not ours).

// ascending lists versions from lowest to highest; equal groups versions
// that compare equal.
type orderCase struct {
	eco       string
	source    string
	ascending []string
	equal     [][]string
}

var orderCases = []orderCase{
	{
		eco:    "npm",
		source: "semver.org 2.0.0, §11 precedence example",
		ascending: []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
			"1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1"},
		equal: [][]string{{"1.0.0", "1.0.0+20130313144700"}, {"1.0.0-beta", "1.0.0-beta+exp.sha.5114f85"}},
	},
	{
		eco:       "crates.io",
		source:    "semver.org 2.0.0 (Cargo follows SemVer)",
		ascending: []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.11", "1.0.0", "1.2.10", "1.10.0"},
	},
	{
		eco:       "Go",
		source:    "Go modules reference: pseudo-versions sort before the release they precede; semver order otherwise",
		ascending: []string{"0.0.0-20190101000000-abcdefabcdef", "0.0.0-20210101000000-abcdefabcdef", "0.1.0", "1.2.3-pre", "1.2.3", "1.10.0"},
	},
	{
		eco:    "PyPI",
		source: "PEP 440, summary of permitted suffixes and relative ordering",
		ascending: []string{"1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
			"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",
			"1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456", "1.0.15", "1.1.dev1"},
		equal: [][]string{
			{"1.0", "1.0.0", "1.0.0.0"},         // release segment zero padding
			{"1.0a1", "1.0alpha1", "1.0.0a1"},   // PEP 440 normalization: alpha → a
			{"1.0rc1", "1.0c1", "1.0pre1"},      // c and pre spell rc
			{"1.0.post1", "1.0-post1", "1.0-1"}, // implicit post release
			{"1.0.dev0", "1.0.dev"},             // implicit number
		},
	},
	{
		eco:       "PyPI",
		source:    "PEP 440, version epochs",
		ascending: []string{"2013.10", "2014.04", "1!1.0", "1!1.1", "2!0.1"},
	},
	{
		eco:    "Maven",
		source: "Maven ComparableVersion: qualifier order alpha < beta < milestone < rc = cr < snapshot < release = ga = final < sp",
		ascending: []string{"1-alpha-1", "1-alpha-2", "1-beta-1", "1-milestone-1", "1-rc-1", "1-SNAPSHOT",
			"1", "1-sp-1", "1.0.1", "1.1", "1.2", "1.10"},
		equal: [][]string{
			{"1", "1.0", "1.0.0", "1-ga", "1-final", "1-release"},
			{"1-rc-1", "1-cr-1"},
			{"1-a1", "1-alpha-1"}, // a, b, m followed by a digit are alpha, beta, milestone
			{"1-b1", "1-beta-1"},
			{"1-m1", "1-milestone-1"},
		},
	},
	{
		eco:       "NuGet",
		source:    "NuGet package versioning: four-part versions, SemVer 2.0 pre-releases, case-insensitive labels",
		ascending: []string{"1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-beta", "1.0.0-rc.1", "1.0.0", "1.0.0.1", "1.0.1", "1.1"},
		equal:     [][]string{{"1.0", "1.0.0", "1.0.0.0"}, {"1.0.0-ALPHA", "1.0.0-alpha"}},
	},
	{
		eco:       "RubyGems",
		source:    "RubyGems Gem::Version: a letter makes a prerelease; segments compare numerically",
		ascending: []string{"1.0.a", "1.0.a.1", "1.0.b1", "1.0.0.pre", "1.0", "1.0.1", "1.9", "1.10"},
		equal:     [][]string{{"1.0", "1.0.0", "1"}},
	},
	{
		eco:       "Packagist",
		source:    "Composer versions: dev < alpha < beta < RC < stable < patch",
		ascending: []string{"1.0.0-dev", "1.0.0-alpha1", "1.0.0-beta2", "1.0.0-RC1", "1.0.0", "1.0.0-pl1", "1.0.1", "1.10.0"},
	},
	{
		eco:       "Debian",
		source:    "Debian Policy §5.6.12: ~ sorts before anything, even the end of a part; epochs; revisions",
		ascending: []string{"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-1", "1.0-2", "1.0a", "1.0.1-1", "1.0.10", "1:0.9"},
		equal:     [][]string{{"1.0", "0:1.0"}},
	},
	{
		eco:    "Red Hat",
		source: "rpm's rpmvercmp test cases (tests/rpmvercmp.at)",
		ascending: []string{"1.0~rc1~git123", "1.0~rc1", "1.0~rc1^git1", "1.0~rc2", "1.0", "1.0^", "1.0^git1",
			"1.0^git2", "1.01", "2.0", "2.0.1", "2.0.1a"},
		equal: [][]string{{"1.0", "1.0"}, {"2_0", "2.0"}, {"1.0010", "1.10"}},
	},
	{
		eco:       "Red Hat",
		source:    "rpm's rpmvercmp test cases: letters and digits",
		ascending: []string{"5.5p1", "5.5p2", "5.5p10"},
	},
	{
		eco:       "Alpine",
		source:    "apk version rules: _alpha < _beta < _pre < _rc < release < _p, then -r revision",
		ascending: []string{"1.0_alpha1", "1.0_beta1", "1.0_pre1", "1.0_rc1", "1.0", "1.0-r1", "1.0-r2", "1.0_p1", "1.0a", "1.0.1", "1.2", "1.10"},
	},
}

func TestVersionOrdering(t *testing.T) {
	for _, c := range orderCases {
		for i := 0; i+1 < len(c.ascending); i++ {
			for j := i + 1; j < len(c.ascending); j++ {
				a, b := c.ascending[i], c.ascending[j]
				got, err := Compare(c.eco, a, b)
				if err != nil {
					t.Errorf("%s (%s): Compare(%q, %q): %v", c.eco, c.source, a, b, err)
					continue
				}
				if got >= 0 {
					t.Errorf("%s (%s): %q should sort before %q, Compare = %d", c.eco, c.source, a, b, got)
				}
				if back, _ := Compare(c.eco, b, a); back <= 0 {
					t.Errorf("%s: Compare(%q, %q) = %d, want > 0", c.eco, b, a, back)
				}
			}
		}
		for _, group := range c.equal {
			for _, b := range group[1:] {
				if got, err := Compare(c.eco, group[0], b); err != nil || got != 0 {
					t.Errorf("%s (%s): %q and %q should be equal, Compare = %d, %v", c.eco, c.source, group[0], b, got, err)
				}
			}
		}
	}
}

// Ecosystems carrying a release suffix use the base ecosystem's rules.
func TestCompareWithSuffix(t *testing.T) {
	for _, c := range []struct{ eco, a, b string }{
		{"Debian:12", "1.0~rc1", "1.0"},
		{"Alpine:v3.18", "1.0_rc1", "1.0"},
		{"Ubuntu:22.04:LTS", "1.0~", "1.0"},
		{"Red Hat:enterprise_linux:9::appstream", "1.0~rc1", "1.0"},
	} {
		if got, err := Compare(c.eco, c.a, c.b); err != nil || got >= 0 {
			t.Errorf("%s: Compare(%q, %q) = %d, %v", c.eco, c.a, c.b, got, err)
		}
	}
	if _, err := Compare("NoSuchEcosystem", "1", "2"); err == nil {
		t.Error("unknown ecosystem: no error")
	}
}
