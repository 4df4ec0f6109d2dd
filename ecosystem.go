package renkei

import (
	"strings"
)

// OSV ecosystem names Renkei matches (osv.dev's spelling).
const (
	EcoNpm       = "npm"
	EcoPyPI      = "PyPI"
	EcoMaven     = "Maven"
	EcoGo        = "Go"
	EcoNuGet     = "NuGet"
	EcoRubyGems  = "RubyGems"
	EcoCrates    = "crates.io"
	EcoPackagist = "Packagist"
	EcoDebian    = "Debian"
	EcoUbuntu    = "Ubuntu"
	EcoAlpine    = "Alpine"
	EcoRedHat    = "Red Hat"

	// EcoCPE is not an OSV ecosystem: it is the key under which products
	// named by a CPE (vendors' CSAF advisories, components of commercial
	// software and firmware without a purl) are matched. The package name
	// is "part:vendor:product" and versions compare as SemVer-like
	// dotted numbers (docs/sbom-and-vulnerabilities.md).
	EcoCPE = "CPE"
)

// purlTypes maps a purl type to its OSV ecosystem for the types whose
// ecosystem does not depend on the namespace.
var purlTypes = map[string]string{
	"npm":           EcoNpm,
	"pypi":          EcoPyPI,
	"maven":         EcoMaven,
	"golang":        EcoGo,
	"nuget":         EcoNuGet,
	"gem":           EcoRubyGems,
	"cargo":         EcoCrates,
	"composer":      EcoPackagist,
	"hex":           "Hex",
	"pub":           "Pub",
	"swift":         "SwiftURL",
	"hackage":       "Hackage",
	"cran":          "CRAN",
	"conan":         "ConanCenter",
	"bitnami":       "Bitnami",
	"github":        "GitHub Actions",
	"githubactions": "GitHub Actions",
}

// rpmVendors maps an rpm purl's namespace to its OSV ecosystem.
var rpmVendors = map[string]string{
	"redhat":    EcoRedHat,
	"almalinux": "AlmaLinux",
	"rocky":     "Rocky Linux",
	"opensuse":  "openSUSE",
	"suse":      "SUSE",
	"mageia":    "Mageia",
	"openeuler": "openEuler",
}

// debianCodenames maps Debian release code names to their numbers.
var debianCodenames = map[string]string{
	"stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14",
}

// EcosystemForPURL returns the OSV ecosystem of a purl given its type,
// namespace and distro qualifier, "" when OSV has none for it. Debian and
// Alpine carry the release, as osv.dev's ecosystems do ("Debian:12",
// "Alpine:v3.18"), taken from the distro qualifier ("debian-12",
// "bookworm", "alpine-3.18.4", "3.18.4"); without one they are "Debian" and
// "Alpine", which SameEcosystem matches against every release.
func EcosystemForPURL(purlType, namespace, distro string) string {
	t := strings.ToLower(purlType)
	if e, ok := purlTypes[t]; ok {
		return e
	}
	ns := strings.ToLower(namespace)
	distro = strings.ToLower(strings.TrimSpace(distro))
	switch t {
	case "deb":
		switch ns {
		case "debian":
			rel := strings.TrimPrefix(distro, "debian-")
			if n, ok := debianCodenames[rel]; ok {
				rel = n
			}
			rel, _, _ = strings.Cut(rel, ".")
			if rel == "" || strings.Trim(rel, "0123456789") != "" {
				return EcoDebian
			}
			return EcoDebian + ":" + rel
		case "ubuntu":
			return EcoUbuntu
		}
	case "rpm":
		return rpmVendors[ns]
	case "apk":
		switch ns {
		case "alpine":
			rel := strings.TrimPrefix(strings.TrimPrefix(distro, "alpine-"), "v")
			parts := strings.Split(rel, ".")
			if len(parts) < 2 || parts[0] == "" || parts[1] == "" ||
				strings.Trim(parts[0]+parts[1], "0123456789") != "" {
				return EcoAlpine
			}
			return EcoAlpine + ":v" + parts[0] + "." + parts[1]
		case "wolfi":
			return "Wolfi"
		case "chainguard":
			return "Chainguard"
		}
	}
	return ""
}

// PackageNameForPURL returns the OSV package name of a purl: the npm scope
// joined ("@scope/name"), Maven's "group:artifact", Go's module path, and
// Packagist's "vendor/package"; the plain name otherwise.
func PackageNameForPURL(purlType, namespace, name string) string {
	if namespace == "" {
		return name
	}
	switch strings.ToLower(purlType) {
	case "maven":
		return namespace + ":" + name
	case "npm", "golang", "composer", "github", "githubactions", "swift":
		return namespace + "/" + name
	}
	return name
}

// BaseEcosystem returns the ecosystem without its ":suffix" ("Debian:12" →
// "Debian").
func BaseEcosystem(eco string) string {
	base, _, _ := strings.Cut(eco, ":")
	return base
}

// SameEcosystem reports whether a component's ecosystem and an
// advisory's are the same for matching: the base names are equal and, when
// both carry a suffix ("Debian:12", "Alpine:v3.18"), the suffixes are too.
// An ecosystem without a suffix matches every suffix, as osv-scanner does
// (a Debian package of unknown release is checked against every release).
func SameEcosystem(a, b string) bool {
	ab, as, aok := strings.Cut(a, ":")
	bb, bs, bok := strings.Cut(b, ":")
	if ab != bb {
		return false
	}
	return !aok || !bok || as == bs
}

// NormalizePackageName returns the name as matching compares it: PyPI
// names by PEP 503 (lower case, runs of "-", "_", "." as one "-"), NuGet and
// Packagist names in lower case (both registries treat names so); others as
// given.
func NormalizePackageName(eco, name string) string {
	switch BaseEcosystem(eco) {
	case EcoPyPI:
		var b strings.Builder
		sep := false
		for _, r := range strings.ToLower(name) {
			if r == '-' || r == '_' || r == '.' {
				sep = true
				continue
			}
			if sep {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		}
		if sep {
			b.WriteByte('-')
		}
		return b.String()
	case EcoNuGet, EcoPackagist:
		return strings.ToLower(name)
	}
	return name
}

// NormalizeVersion returns a component version as OSV records write it: Go
// module versions without their leading "v" ("v1.2.3" → "1.2.3").
func NormalizeVersion(eco, v string) string {
	if BaseEcosystem(eco) == EcoGo {
		return strings.TrimPrefix(v, "v")
	}
	return v
}
