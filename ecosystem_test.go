package renkei

import "testing"

func TestEcosystemForPURL(t *testing.T) {
	for _, c := range []struct{ typ, ns, distro, want string }{
		{"npm", "@angular", "", EcoNpm},
		{"pypi", "", "", EcoPyPI},
		{"maven", "org.apache.logging.log4j", "", EcoMaven},
		{"golang", "github.com/gin-gonic", "", EcoGo},
		{"nuget", "", "", EcoNuGet},
		{"gem", "", "", EcoRubyGems},
		{"cargo", "", "", EcoCrates},
		{"composer", "symfony", "", EcoPackagist},
		{"deb", "debian", "debian-12", "Debian:12"},
		{"deb", "debian", "debian-11.8", "Debian:11"},
		{"deb", "debian", "bookworm", "Debian:12"},
		{"deb", "debian", "12", "Debian:12"},
		{"deb", "debian", "", EcoDebian},
		{"deb", "debian", "sid", EcoDebian},
		{"deb", "ubuntu", "ubuntu-22.04", EcoUbuntu},
		{"rpm", "redhat", "rhel-9", EcoRedHat},
		{"rpm", "almalinux", "", "AlmaLinux"},
		{"rpm", "fedora", "", ""},
		{"apk", "alpine", "3.18.4", "Alpine:v3.18"},
		{"apk", "alpine", "alpine-3.19.1", "Alpine:v3.19"},
		{"apk", "alpine", "v3.20", "Alpine:v3.20"},
		{"apk", "alpine", "", EcoAlpine},
		{"apk", "wolfi", "", "Wolfi"},
		{"generic", "", "", ""},
		{"NPM", "", "", EcoNpm},
	} {
		if got := EcosystemForPURL(c.typ, c.ns, c.distro); got != c.want {
			t.Errorf("EcosystemForPURL(%q, %q, %q) = %q, want %q", c.typ, c.ns, c.distro, got, c.want)
		}
	}
}

func TestPackageNameForPURL(t *testing.T) {
	for _, c := range []struct{ typ, ns, name, want string }{
		{"npm", "@babel", "core", "@babel/core"},
		{"npm", "", "lodash", "lodash"},
		{"maven", "org.apache.logging.log4j", "log4j-core", "org.apache.logging.log4j:log4j-core"},
		{"golang", "github.com/gin-gonic", "gin", "github.com/gin-gonic/gin"},
		{"golang", "", "stdlib", "stdlib"},
		{"composer", "symfony", "http-kernel", "symfony/http-kernel"},
		{"deb", "debian", "openssl", "openssl"},
		{"pypi", "", "Django", "Django"},
	} {
		if got := PackageNameForPURL(c.typ, c.ns, c.name); got != c.want {
			t.Errorf("PackageNameForPURL(%q, %q, %q) = %q, want %q", c.typ, c.ns, c.name, got, c.want)
		}
	}
}

// PEP 503: re.sub(r"[-_.]+", "-", name).lower(); the examples are PEP 503's
// and the Python Packaging User Guide's ("friendly-bard" family).
func TestNormalizePackageName(t *testing.T) {
	for _, c := range []struct{ eco, name, want string }{
		{EcoPyPI, "friendly-bard", "friendly-bard"},
		{EcoPyPI, "Friendly-Bard", "friendly-bard"},
		{EcoPyPI, "FRIENDLY-BARD", "friendly-bard"},
		{EcoPyPI, "friendly.bard", "friendly-bard"},
		{EcoPyPI, "friendly_bard", "friendly-bard"},
		{EcoPyPI, "friendly--bard", "friendly-bard"},
		{EcoPyPI, "FrIeNdLy-._.-bArD", "friendly-bard"},
		{EcoPyPI, "_leading", "-leading"},
		{EcoNuGet, "Newtonsoft.Json", "newtonsoft.json"},
		{EcoPackagist, "Symfony/Console", "symfony/console"},
		{EcoMaven, "org.Apache:Foo", "org.Apache:Foo"},
		{EcoNpm, "@Scope/Name", "@Scope/Name"},
	} {
		if got := NormalizePackageName(c.eco, c.name); got != c.want {
			t.Errorf("NormalizePackageName(%q, %q) = %q, want %q", c.eco, c.name, got, c.want)
		}
	}
}

func TestSameEcosystem(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"npm", "npm", true},
		{"npm", "PyPI", false},
		{"Debian:12", "Debian:12", true},
		{"Debian:12", "Debian:11", false},
		{"Debian", "Debian:11", true},
		{"Debian:11", "Debian", true},
		{"Alpine:v3.18", "Alpine:v3.19", false},
		{"Red Hat", "Red Hat:enterprise_linux:9::appstream", true},
		{"Debian:12", "Ubuntu:22.04:LTS", false},
	} {
		if got := SameEcosystem(c.a, c.b); got != c.want {
			t.Errorf("SameEcosystem(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestNormalizeVersion(t *testing.T) {
	if got := NormalizeVersion(EcoGo, "v1.9.1"); got != "1.9.1" {
		t.Errorf("Go: %q", got)
	}
	if got := NormalizeVersion(EcoNpm, "v1.9.1"); got != "v1.9.1" {
		t.Errorf("npm: %q", got)
	}
}
