package osvmatch

import (
	"strings"

	"github.com/google/osv-scalibr/semantic"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/cpename"
)

// A component is matched by one reference: its purl when the purl names a
// package of an OSV ecosystem; otherwise its first CPE that names a
// product (as a lower-case CPE 2.3 formatted string, the component's
// version put in when the CPE's own is ANY or NA); otherwise nothing. A
// purl goes first because OSV, where most advisories come from, names
// packages, and because SBOM tools add guessed CPEs to components that
// have purls: matching those too would report the same flaw twice or a
// wrong product. A finding's PURL field holds the reference, so it is a
// CPE for a component matched by its CPE.

// MatchRef returns the reference the component is matched by, "" when
// it has none. A component without CPEs is referred to by its purl
// without parsing it.
func MatchRef(c renkei.Component) string {
	if len(c.CPEs) == 0 {
		return c.PURL
	}
	ref, _, _ := Match(c)
	return ref
}

// Match returns the component's reference with its package, as
// PackageOfRef reads it (ok false when the reference names no package
// matching knows), parsing the purl once.
func Match(c renkei.Component) (ref string, pkg Package, ok bool) {
	if c.PURL != "" {
		// The purl field may already hold a reference (a CPE, as the
		// store gives components back).
		if pkg, ok := PackageOfRef(c.PURL); ok || len(c.CPEs) == 0 {
			return c.PURL, pkg, ok
		}
	}
	for _, s := range c.CPEs {
		if n, err := cpename.Parse(s); err == nil && !n.Qualified && (n.Version != "" || c.Version != "") {
			ref := n.Ref(c.Version)
			pkg, ok := PackageOfRef(ref)
			return ref, pkg, ok
		}
	}
	return c.PURL, Package{}, false
}

// IsCPERef reports whether a reference is a CPE (else it is a purl).
func IsCPERef(ref string) bool { return strings.HasPrefix(ref, "cpe:") }

// FromRef reads a reference into a Package. ok is false when it does not
// parse, has no version, or names no package matching knows.
func FromRef(ref string) (Package, bool) {
	pkg, ok := PackageOfRef(ref)
	if !ok || pkg.Version == "" {
		return Package{}, false
	}
	return pkg, true
}

// PackageOfRef is FromRef for a reference that may have no version.
func PackageOfRef(ref string) (Package, bool) {
	if !IsCPERef(ref) {
		return PackageOfPURL(ref)
	}
	n, err := cpename.Parse(ref)
	if err != nil || n.Qualified {
		return Package{}, false
	}
	return Package{Ecosystem: renkei.EcoCPE, Name: n.Key(), Version: n.Version}, true
}

// parseVersion parses a version by the ecosystem's rules; products named
// by CPE have none of their own, and compare as SemVer-like dotted
// numbers, which is what vendors' versions mostly are.
func parseVersion(raw, eco string) (semantic.Version, error) {
	if renkei.BaseEcosystem(eco) == renkei.EcoCPE {
		return semantic.ParseSemverVersion(raw), nil
	}
	return semantic.Parse(raw, eco)
}
