// Package osvmatch decides which components an advisory affects, following
// the OSV schema's evaluation algorithm, with each ecosystem's version
// ordering from osv-scalibr's semantic package (the comparators osv-scanner
// uses). It also keeps an in-memory index that answers both ways at once:
// an SBOM's findings, and an advisory's affected SBOMs.
package osvmatch

import (
	"cmp"
	"slices"
	"strings"

	"github.com/google/osv-scalibr/semantic"
	"github.com/package-url/packageurl-go"

	"github.com/renkei/renkei"
)

// Package is a component as matching sees it.
type Package struct {
	Ecosystem string // OSV ecosystem, with its release suffix when known ("Debian:12")
	Name      string // normalized (renkei.NormalizePackageName)
	Version   string // normalized (renkei.NormalizeVersion)
}

// PackageOfPURL is FromRef for a purl, which may have no version (then
// Version is ""): a package rather than one of its versions.
func PackageOfPURL(purl string) (Package, bool) {
	p, err := packageurl.FromString(purl)
	if err != nil {
		return Package{}, false
	}
	if p.Type == packageurl.TypeGolang {
		// packageurl-go folds Go module paths to lower case, but they
		// are case-sensitive and OSV spells them with their case: read
		// the same purl as a generic one to keep them as written.
		if _, rest, ok := strings.Cut(purl, "/"); ok {
			if g, err := packageurl.FromString("pkg:generic/" + rest); err == nil {
				p.Namespace, p.Name = strings.Trim(g.Namespace, "/"), g.Name
			}
		}
	}
	eco := renkei.EcosystemForPURL(p.Type, p.Namespace, p.Qualifiers.Map()["distro"])
	if eco == "" {
		return Package{}, false
	}
	name := renkei.PackageNameForPURL(p.Type, p.Namespace, p.Name)
	return Package{
		Ecosystem: eco,
		Name:      renkei.NormalizePackageName(eco, name),
		Version:   normalizeVersion(eco, p.Version),
	}, true
}

func normalizeVersion(eco, v string) string {
	if v == "" {
		return ""
	}
	return renkei.NormalizeVersion(eco, v)
}

// Compare orders two versions of an ecosystem by its own rules.
func Compare(ecosystem, a, b string) (int, error) {
	va, err := parseVersion(a, ecosystem)
	if err != nil {
		return 0, err
	}
	return va.CompareStr(b)
}

// version is a component version parsed once for each kind of range.
type version struct {
	raw     string
	eco     string
	ecoV    semantic.Version // nil until parsed; ecoErr when it does not parse
	ecoErr  bool
	semverV semantic.Version
}

func newVersion(eco, raw string) *version { return &version{raw: raw, eco: eco} }

// forType returns the version parsed for a range of type t (SEMVER ranges
// use SemVer 2.0 precedence, ECOSYSTEM ranges the ecosystem's), nil when it
// does not parse.
func (v *version) forType(t string) semantic.Version {
	if t == renkei.RangeSemver {
		if v.semverV == nil {
			v.semverV = semantic.ParseSemverVersion(v.raw)
		}
		return v.semverV
	}
	if v.ecoV == nil && !v.ecoErr {
		pv, err := parseVersion(v.raw, v.eco)
		if err != nil {
			v.ecoErr = true
			return nil
		}
		v.ecoV = pv
	}
	return v.ecoV
}

// event kinds, in the order events at the same version sort.
const (
	evIntroduced = iota
	evFixed
	evLastAffected
	evLimit
)

type event struct {
	kind int
	raw  string
	zero bool // introduced "0": before every version
	inf  bool // limit "*": after every version
	v    semantic.Version
}

type compiledRange struct {
	typ    string
	events []event // sorted, limits removed
	limits []event
}

// compiledPackage is one affected[] entry, with its ranges' versions parsed
// and sorted once.
type compiledPackage struct {
	ecosystem string
	name      string
	versions  map[string]bool // explicit versions, with and without a leading "v"
	ranges    []compiledRange
	skipped   int // ranges not evaluated (GIT, or a version that does not parse)
}

func compilePackage(ap renkei.AffectedPackage) *compiledPackage {
	cp := &compiledPackage{
		ecosystem: ap.Ecosystem,
		name:      renkei.NormalizePackageName(ap.Ecosystem, ap.Name),
	}
	if len(ap.Versions) > 0 {
		cp.versions = make(map[string]bool, len(ap.Versions))
		for _, v := range ap.Versions {
			cp.versions[v] = true
		}
	}
	for _, r := range ap.Ranges {
		if r.Type != renkei.RangeSemver && r.Type != renkei.RangeEcosystem {
			cp.skipped++
			continue
		}
		cr, ok := compileRange(ap.Ecosystem, r)
		if !ok {
			cp.skipped++
			continue
		}
		cp.ranges = append(cp.ranges, cr)
	}
	return cp
}

func parseFor(eco, typ, raw string) (semantic.Version, bool) {
	if typ == renkei.RangeSemver {
		return semantic.ParseSemverVersion(raw), true
	}
	v, err := parseVersion(raw, eco)
	return v, err == nil
}

// compileRange parses and sorts a range's events. A range with an event
// that does not parse, or with several fields in one event, is not
// evaluated at all: half a range could only give wrong answers.
func compileRange(eco string, r renkei.Range) (compiledRange, bool) {
	cr := compiledRange{typ: r.Type}
	for _, e := range r.Events {
		ev := event{raw: e.Version()}
		switch e.Kind() {
		case "introduced":
			ev.kind = evIntroduced
			ev.zero = e.Introduced == "0"
		case "fixed":
			ev.kind = evFixed
		case "last_affected":
			ev.kind = evLastAffected
		case "limit":
			ev.kind = evLimit
			ev.inf = strings.Contains(e.Limit, "*")
		default:
			return cr, false
		}
		if !ev.zero && !ev.inf {
			v, ok := parseFor(eco, r.Type, ev.raw)
			if !ok {
				return cr, false
			}
			ev.v = v
		}
		if ev.kind == evLimit {
			cr.limits = append(cr.limits, ev)
		} else {
			cr.events = append(cr.events, ev)
		}
	}
	slices.SortStableFunc(cr.events, func(a, b event) int {
		switch {
		case a.zero && b.zero:
			return cmp.Compare(a.kind, b.kind)
		case a.zero:
			return -1
		case b.zero:
			return 1
		}
		if c, err := a.v.Compare(b.v); err == nil && c != 0 {
			return c
		}
		return cmp.Compare(a.kind, b.kind)
	})
	return cr, true
}

// less and atLeast compare a component version with an event's version.
func cmpEvent(v semantic.Version, e event) int {
	if e.zero {
		return 1
	}
	if e.inf {
		return -1
	}
	c, err := v.Compare(e.v)
	if err != nil {
		return -2
	}
	return c
}

// affects evaluates the package's versions list and ranges for v, exactly
// as the OSV schema's IsVulnerable pseudo-code does for one affected entry.
// fixed is the lowest fixed event above v in a range that holds v.
func (cp *compiledPackage) affects(v *version) (hit bool, fixed string) {
	if cp.versions[v.raw] || cp.versions["v"+v.raw] || (strings.HasPrefix(v.raw, "v") && cp.versions[v.raw[1:]]) {
		hit = true
	}
	for i := range cp.ranges {
		r := &cp.ranges[i]
		pv := v.forType(r.typ)
		if pv == nil {
			continue
		}
		if !beforeLimits(pv, r) {
			continue
		}
		vulnerable := false
		for _, e := range r.events {
			c := cmpEvent(pv, e)
			if c == -2 {
				vulnerable = false
				break
			}
			switch e.kind {
			case evIntroduced:
				if c >= 0 {
					vulnerable = true
				}
			case evFixed:
				if c >= 0 {
					vulnerable = false
				}
			case evLastAffected:
				if c > 0 {
					vulnerable = false
				}
			}
		}
		if !vulnerable {
			continue
		}
		hit = true
		for _, e := range r.events {
			if e.kind == evFixed && cmpEvent(pv, e) < 0 {
				if fixed == "" {
					fixed = e.raw
				}
				break
			}
		}
	}
	return hit, fixed
}

func beforeLimits(v semantic.Version, r *compiledRange) bool {
	if len(r.limits) == 0 {
		return true
	}
	for _, l := range r.limits {
		if c := cmpEvent(v, l); c == -1 {
			return true
		}
	}
	return false
}

// Affects reports whether the advisory affects the package at its version,
// and the fixed version when one is known. A withdrawn advisory affects
// nothing. It compiles the advisory on each call; the Index compiles once.
func Affects(a *renkei.Advisory, p Package) (bool, string) {
	if a.IsWithdrawn() {
		return false, ""
	}
	v := newVersion(p.Ecosystem, p.Version)
	hit, fixed := false, ""
	for _, ap := range a.Affected {
		cp := compilePackage(ap)
		if !renkei.SameEcosystem(p.Ecosystem, cp.ecosystem) || cp.name != p.Name {
			continue
		}
		if h, f := cp.affects(v); h {
			hit = true
			if fixed == "" {
				fixed = f
			}
		}
	}
	return hit, fixed
}
