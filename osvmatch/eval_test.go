package osvmatch

import (
	"testing"
	"time"

	"github.com/renkei/renkei"
)

func intro(v string) renkei.Event { return renkei.Event{Introduced: v} }
func fix(v string) renkei.Event   { return renkei.Event{Fixed: v} }
func last(v string) renkei.Event  { return renkei.Event{LastAffected: v} }
func limit(v string) renkei.Event { return renkei.Event{Limit: v} }

func adv(eco, name string, ranges []renkei.Range, versions ...string) *renkei.Advisory {
	return &renkei.Advisory{ID: "TEST-1", Affected: []renkei.AffectedPackage{{
		Ecosystem: eco, Name: name, Ranges: ranges, Versions: versions,
	}}}
}

func rng(typ string, events ...renkei.Event) renkei.Range {
	return renkei.Range{Type: typ, Events: events}
}

type check struct {
	version string
	hit     bool
	fixed   string
}

// The OSV schema's evaluation section and its examples, plus the cases its
// pseudo-code implies: last_affected is inclusive, limit is exclusive and
// any one limit suffices, "0" sorts first, events need not be sorted.
func TestRangeEvaluation(t *testing.T) {
	for _, c := range []struct {
		name   string
		a      *renkei.Advisory
		eco    string
		pkg    string
		checks []check
	}{
		{"unfixed: every version", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("0"))}), "npm", "a",
			[]check{{"0.0.1", true, ""}, {"99.0.0", true, ""}, {"1.0.0-alpha", true, ""}}},
		{"fixed: everything before 1.0.2", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("0"), fix("1.0.2"))}), "npm", "a",
			[]check{{"0.0.1", true, "1.0.2"}, {"1.0.1", true, "1.0.2"}, {"1.0.2-rc.1", true, "1.0.2"}, {"1.0.2", false, ""}, {"1.0.3", false, ""}}},
		{"multiple ranges in one events list", adv("npm", "a", []renkei.Range{rng("SEMVER",
			intro("1.0.0"), fix("1.0.2"), intro("3.0.0"), fix("3.2.5"))}), "npm", "a",
			[]check{{"0.9.0", false, ""}, {"1.0.0", true, "1.0.2"}, {"1.0.1", true, "1.0.2"}, {"1.0.2", false, ""},
				{"2.0.0", false, ""}, {"3.0.0", true, "3.2.5"}, {"3.2.4", true, "3.2.5"}, {"3.2.5", false, ""}}},
		{"unsorted events", adv("npm", "a", []renkei.Range{rng("SEMVER",
			fix("3.2.5"), intro("3.0.0"), fix("1.0.2"), intro("1.0.0"))}), "npm", "a",
			[]check{{"0.9.0", false, ""}, {"1.0.1", true, "1.0.2"}, {"2.0.0", false, ""}, {"3.2.4", true, "3.2.5"}, {"3.2.5", false, ""}}},
		{"two ranges", adv("npm", "a", []renkei.Range{
			rng("SEMVER", intro("1.0.0"), fix("1.0.2")), rng("SEMVER", intro("3.0.0"), fix("3.2.5"))}), "npm", "a",
			[]check{{"1.0.1", true, "1.0.2"}, {"2.0.0", false, ""}, {"3.1.0", true, "3.2.5"}}},
		{"last_affected is inclusive", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("1.0.0"), last("1.5.0"))}), "npm", "a",
			[]check{{"0.9.9", false, ""}, {"1.0.0", true, ""}, {"1.5.0", true, ""}, {"1.5.1-rc.1", false, ""}, {"1.5.1", false, ""}}},
		{"limit is exclusive", adv("PyPI", "a", []renkei.Range{rng("ECOSYSTEM", intro("0"), limit("2.0"))}), "PyPI", "a",
			[]check{{"1.9", true, ""}, {"2.0rc1", true, ""}, {"2.0", false, ""}, {"2.1", false, ""}}},
		{"limit *: no limit", adv("PyPI", "a", []renkei.Range{rng("ECOSYSTEM", intro("0"), limit("*"))}), "PyPI", "a",
			[]check{{"1.9", true, ""}, {"200", true, ""}}},
		{"several limits: below any one", adv("PyPI", "a", []renkei.Range{rng("ECOSYSTEM", intro("1.0"), limit("1.5"), limit("3.0"))}), "PyPI", "a",
			[]check{{"0.5", false, ""}, {"2.0", true, ""}, {"3.0", false, ""}}},
		{"limit and fixed", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("1.0.0"), fix("2.0.0"), limit("1.5.0"))}), "npm", "a",
			[]check{{"1.4.0", true, "2.0.0"}, {"1.6.0", false, ""}}},
		{"explicit versions", adv("PyPI", "a", nil, "1.2.3", "2.0"), "PyPI", "a",
			[]check{{"1.2.3", true, ""}, {"2.0", true, ""}, {"1.2.4", false, ""}}},
		{"versions and ranges", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("2.0.0"), fix("2.1.0"))}, "1.0.0"), "npm", "a",
			[]check{{"1.0.0", true, ""}, {"1.0.1", false, ""}, {"2.0.5", true, "2.1.0"}}},
		{"introduced and fixed at one version: empty", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("1.0.0"), fix("1.0.0"))}), "npm", "a",
			[]check{{"0.9.0", false, ""}, {"1.0.0", false, ""}, {"1.0.1", false, ""}}},
		{"no ranges, no versions: nothing", adv("npm", "a", nil), "npm", "a", []check{{"1.0.0", false, ""}}},
		{"GIT ranges are not evaluated", adv("npm", "a", []renkei.Range{rng("GIT", intro("0"))}), "npm", "a",
			[]check{{"1.0.0", false, ""}}},
		{"a range with an unparsable version is not evaluated", adv("PyPI", "a",
			[]renkei.Range{rng("ECOSYSTEM", intro("0"), fix("not a version!"))}, "1.0"), "PyPI", "a",
			[]check{{"1.0", true, ""}, {"0.5", false, ""}}},
		{"Maven: log4j-core CVE-2021-44228 shape", adv("Maven", "org.apache.logging.log4j:log4j-core", []renkei.Range{
			rng("ECOSYSTEM", intro("2.0-beta9"), fix("2.3.1")), rng("ECOSYSTEM", intro("2.4"), fix("2.12.2")),
			rng("ECOSYSTEM", intro("2.13.0"), fix("2.15.0"))}), "Maven", "org.apache.logging.log4j:log4j-core",
			[]check{{"2.0-beta8", false, ""}, {"2.0-beta9", true, "2.3.1"}, {"2.0", true, "2.3.1"}, {"2.3.1", false, ""},
				{"2.12.1", true, "2.12.2"}, {"2.12.2", false, ""}, {"2.14.1", true, "2.15.0"}, {"2.15.0", false, ""}}},
		{"PyPI: pre, post and local releases", adv("PyPI", "django", []renkei.Range{rng("ECOSYSTEM", intro("0"), fix("3.2"))}), "PyPI", "django",
			[]check{{"3.2rc1", true, "3.2"}, {"3.1.post1", true, "3.2"}, {"3.1+local.1", true, "3.2"}, {"3.2", false, ""}, {"3.2.post1", false, ""}}},
		{"Debian: epochs", adv("Debian:12", "openssl", []renkei.Range{rng("ECOSYSTEM", intro("0"), fix("1:1.0-1"))}), "Debian:12", "openssl",
			[]check{{"3.0.11-1~deb12u2", true, "1:1.0-1"}, {"1:1.0-1", false, ""}}},
		{"Debian: another release is not affected", adv("Debian:11", "openssl", []renkei.Range{rng("ECOSYSTEM", intro("0"))}), "Debian:12", "openssl",
			[]check{{"3.0.11-1", false, ""}}},
		{"Debian: a package of unknown release matches every release", adv("Debian:11", "openssl", []renkei.Range{rng("ECOSYSTEM", intro("0"))}), "Debian", "openssl",
			[]check{{"3.0.11-1", true, ""}}},
		{"another package", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("0"))}), "npm", "b", []check{{"1.0.0", false, ""}}},
		{"another ecosystem", adv("npm", "a", []renkei.Range{rng("SEMVER", intro("0"))}), "PyPI", "a", []check{{"1.0.0", false, ""}}},
	} {
		for _, ch := range c.checks {
			hit, fixed := Affects(c.a, Package{Ecosystem: c.eco, Name: c.pkg, Version: ch.version})
			if hit != ch.hit || fixed != ch.fixed {
				t.Errorf("%s: %s@%s: got (%v, %q), want (%v, %q)", c.name, c.pkg, ch.version, hit, fixed, ch.hit, ch.fixed)
			}
		}
	}
}

func TestWithdrawnAffectsNothing(t *testing.T) {
	a := adv("npm", "a", []renkei.Range{rng("SEMVER", intro("0"))})
	a.Withdrawn = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	if hit, _ := Affects(a, Package{Ecosystem: "npm", Name: "a", Version: "1.0.0"}); hit {
		t.Fatal("withdrawn advisory matched")
	}
}

func TestFromPURL(t *testing.T) {
	for _, c := range []struct {
		purl string
		want Package
		ok   bool
	}{
		{"pkg:npm/%40babel/core@7.22.0", Package{"npm", "@babel/core", "7.22.0"}, true},
		{"pkg:pypi/Django_REST.framework@3.14.0", Package{"PyPI", "django-rest-framework", "3.14.0"}, true},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", Package{"Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"}, true},
		{"pkg:golang/github.com/gin-gonic/gin@v1.9.0", Package{"Go", "github.com/gin-gonic/gin", "1.9.0"}, true},
		{"pkg:golang/github.com/BurntSushi/toml@v1.3.2", Package{"Go", "github.com/BurntSushi/toml", "1.3.2"}, true},
		{"pkg:nuget/Newtonsoft.Json@13.0.1", Package{"NuGet", "newtonsoft.json", "13.0.1"}, true},
		{"pkg:gem/rails@7.0.4", Package{"RubyGems", "rails", "7.0.4"}, true},
		{"pkg:cargo/tokio@1.28.0", Package{"crates.io", "tokio", "1.28.0"}, true},
		{"pkg:composer/symfony/http-kernel@6.2.0", Package{"Packagist", "symfony/http-kernel", "6.2.0"}, true},
		{"pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", Package{"Debian:12", "openssl", "3.0.11-1~deb12u2"}, true},
		{"pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=3.18.4", Package{"Alpine:v3.18", "busybox", "1.36.1-r5"}, true},
		{"pkg:rpm/redhat/openssl@1:3.0.7-24.el9?arch=x86_64", Package{"Red Hat", "openssl", "1:3.0.7-24.el9"}, true},
		{"pkg:npm/lodash", Package{}, false},      // no version
		{"pkg:generic/foo@1.0", Package{}, false}, // no OSV ecosystem
		{"not a purl", Package{}, false},
	} {
		got, ok := FromRef(c.purl)
		if ok != c.ok || got != c.want {
			t.Errorf("FromRef(%q) = %+v, %v; want %+v, %v", c.purl, got, ok, c.want, c.ok)
		}
	}
}

// A Go component's purl carries "v1.9.0"; OSV's Go records write "1.9.1".
func TestGoVersionsWithV(t *testing.T) {
	a := adv("Go", "github.com/gin-gonic/gin", []renkei.Range{rng("SEMVER", intro("0"), fix("1.9.1"))})
	p, _ := FromRef("pkg:golang/github.com/gin-gonic/gin@v1.9.0")
	if hit, fixed := Affects(a, p); !hit || fixed != "1.9.1" {
		t.Fatalf("got %v %q", hit, fixed)
	}
	b := adv("Go", "github.com/gin-gonic/gin", nil, "v1.9.0")
	if hit, _ := Affects(b, p); !hit {
		t.Fatal("explicit v-prefixed version not matched")
	}
}
