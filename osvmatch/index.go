package osvmatch

import (
	"slices"
	"strings"
	"sync"

	"github.com/renkei/renkei"
)

// Index holds SBOMs' components and advisories and keeps, at every moment,
// which components each advisory affects. It evaluates each advisory
// against distinct (package, version) pairs, never against every SBOM: the
// same component version in a thousand SBOMs is evaluated once.
//
// Every change is incremental: PutSBOM evaluates only the new SBOM's
// versions that the index has not seen, against the advisories of their
// packages; PutAdvisory evaluates one advisory against the versions of its
// packages. An Index is safe for concurrent use.
type Index struct {
	mu       sync.RWMutex
	packages map[pkgKey]*pkgEntry
	sboms    map[string]*sbomEntry
	advs     map[string]*advEntry
	kev      map[string]*renkei.KEVEntry // by CVE ID
	// purls finds the version entry of a purl seen before, so that the
	// same component in another SBOM is not parsed again.
	purls map[string]purlRef

	// SBOMs and versions are also numbered, so that the per-component
	// data (owners, components: millions of entries) holds numbers, not
	// pointers or strings, and the garbage collector need not scan it.
	sbomSlab []*sbomEntry
	freeSBOM []uint32
	verSlab  []*verEntry
	freeVer  []uint32
}

// pkgKey is the base ecosystem ("Debian", not "Debian:12") and the
// normalized name; release suffixes are compared when evaluating.
type pkgKey struct{ eco, name string }

type pkgEntry struct {
	key      pkgKey
	versions map[verKey]*verEntry
	affected []*advPkg
}

// verKey is a version of a package as components name it: the
// component's ecosystem ("Debian:12") and the version. Its strings are
// the version entry's own, so a key costs no allocation.
type verKey struct{ eco, version string }

type verEntry struct {
	pkg    *pkgEntry
	handle uint32
	v      *version
	purls  []string // the distinct purls of this version's components (qualifiers differ); kept until the version has no owner
	owners []owner
	hits   []hit
}

func (ve *verEntry) key() verKey { return verKey{ve.v.eco, ve.v.raw} }

// purlRef is where a purl is held: its version's handle and its index in
// the version's purls.
type purlRef struct{ ve, i uint32 }

// owner is one component holding a version: SBOM handle and index in its
// components.
type owner struct {
	sb uint32
	i  uint32
}

type hit struct {
	adv   *advEntry
	fixed string
}

type sbomEntry struct {
	id     string
	handle uint32
	comps  []sbomComp
}

// sbomComp is one component: its version's handle and which of the
// version's purls it has.
type sbomComp struct {
	ve   uint32
	purl uint32
}

type advEntry struct {
	adv  renkei.Advisory
	// level and cves are read off adv once: every finding needs them.
	level string
	cves  []string
	pkgs []*advPkg
	hits map[*verEntry]string // affected version → fixed
}

type advPkg struct {
	adv *advEntry
	key pkgKey
	cp  *compiledPackage
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{
		packages: map[pkgKey]*pkgEntry{},
		sboms:    map[string]*sbomEntry{},
		advs:     map[string]*advEntry{},
		kev:      map[string]*renkei.KEVEntry{},
		purls:    map[string]purlRef{},
	}
}

func keyOf(eco, name string) pkgKey {
	return pkgKey{renkei.BaseEcosystem(eco), renkei.NormalizePackageName(eco, name)}
}

func (ix *Index) pkg(k pkgKey) *pkgEntry {
	p := ix.packages[k]
	if p == nil {
		p = &pkgEntry{key: k, versions: map[verKey]*verEntry{}}
		ix.packages[k] = p
	}
	return p
}

func (ix *Index) dropIfEmpty(k pkgKey, p *pkgEntry) {
	if len(p.versions) == 0 && len(p.affected) == 0 {
		delete(ix.packages, k)
	}
}

// PutSBOM adds or replaces an SBOM's components and returns its findings.
// Components without a purl that names an OSV ecosystem and a version are
// kept out of matching.
func (ix *Index) PutSBOM(id string, comps []renkei.Component) []renkei.VulnFinding {
	return ix.put(id, comps, true)
}

// LoadSBOM is PutSBOM for loading many SBOMs: it builds no findings.
func (ix *Index) LoadSBOM(id string, comps []renkei.Component) {
	ix.put(id, comps, false)
}

func (ix *Index) put(id string, comps []renkei.Component, findings bool) []renkei.VulnFinding {
	// Purls the index does not hold yet are parsed before the write lock
	// is taken: readers and other writers wait only for the index work.
	// Known purls (the same component version in another SBOM) are not
	// parsed again.
	order := make([]string, 0, len(comps))
	seen := make(map[string]bool, len(comps))
	ix.mu.RLock()
	var unknown []string
	for _, c := range comps {
		if c.PURL == "" || seen[c.PURL] {
			continue
		}
		seen[c.PURL] = true
		order = append(order, c.PURL)
		if _, ok := ix.purls[c.PURL]; !ok {
			unknown = append(unknown, c.PURL)
		}
	}
	ix.mu.RUnlock()
	parsed := make(map[string]Package, len(unknown))
	for _, purl := range unknown {
		if p, ok := FromPURL(purl); ok {
			parsed[purl] = p
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeSBOM(id)
	sb := &sbomEntry{id: id, comps: make([]sbomComp, 0, len(order))}
	sb.handle = slabPut(&ix.sbomSlab, &ix.freeSBOM, sb)
	for _, purl := range order {
		ref, ok := ix.purls[purl]
		if !ok {
			p, parsedOK := parsed[purl]
			if !parsedOK {
				// Known when looked at, forgotten since (its last
				// owner removed), or not a package of an ecosystem.
				if p, parsedOK = FromPURL(purl); !parsedOK {
					continue
				}
			}
			ref = ix.addPURL(purl, p)
		}
		ve := ix.verSlab[ref.ve]
		ve.owners = append(ve.owners, owner{sb: sb.handle, i: uint32(len(sb.comps))})
		sb.comps = append(sb.comps, sbomComp{ve: ref.ve, purl: ref.i})
	}
	ix.sboms[id] = sb
	if !findings {
		return nil
	}
	return ix.sbomFindings(sb)
}

// slabPut stores v in a free slot of the slab, or at its end, and returns
// the slot's number.
func slabPut[T any](slab *[]*T, free *[]uint32, v *T) uint32 {
	if n := len(*free); n > 0 {
		h := (*free)[n-1]
		*free = (*free)[:n-1]
		(*slab)[h] = v
		return h
	}
	*slab = append(*slab, v)
	return uint32(len(*slab) - 1)
}

// addPURL makes a purl known: its version entry (created, and evaluated
// against its package's advisories, when new) and its place among the
// version's purls.
func (ix *Index) addPURL(purl string, p Package) purlRef {
	pe := ix.pkg(keyOf(p.Ecosystem, p.Name))
	ve := pe.versions[verKey{p.Ecosystem, p.Version}]
	if ve == nil {
		ve = &verEntry{pkg: pe, v: newVersion(p.Ecosystem, p.Version)}
		ve.handle = slabPut(&ix.verSlab, &ix.freeVer, ve)
		pe.versions[ve.key()] = ve
		for _, ap := range pe.affected {
			ix.evaluate(ap, ve)
		}
		ve.v.forget()
	}
	ref := purlRef{ve: ve.handle, i: uint32(len(ve.purls))}
	ve.purls = append(ve.purls, purl)
	ix.purls[purl] = ref
	return ref
}

func (ix *Index) evaluate(ap *advPkg, ve *verEntry) {
	if !renkei.SameEcosystem(ve.v.eco, ap.cp.ecosystem) {
		return
	}
	ok, fixed := ap.cp.affects(ve.v)
	if !ok {
		return
	}
	if old, dup := ap.adv.hits[ve]; dup {
		// Two affected entries of one advisory hold the version: keep
		// the first fixed version found.
		if old == "" && fixed != "" {
			ap.adv.hits[ve] = fixed
			for i := range ve.hits {
				if ve.hits[i].adv == ap.adv {
					ve.hits[i].fixed = fixed
				}
			}
		}
		return
	}
	ap.adv.hits[ve] = fixed
	ve.hits = append(ve.hits, hit{adv: ap.adv, fixed: fixed})
}

// RemoveSBOM forgets an SBOM.
func (ix *Index) RemoveSBOM(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeSBOM(id)
}

func (ix *Index) removeSBOM(id string) {
	sb := ix.sboms[id]
	if sb == nil {
		return
	}
	delete(ix.sboms, id)
	for _, c := range sb.comps {
		ve := ix.verSlab[c.ve]
		if ve == nil {
			continue // freed by an earlier component of this SBOM
		}
		ve.owners = slices.DeleteFunc(ve.owners, func(o owner) bool { return o.sb == sb.handle })
		if len(ve.owners) > 0 {
			continue
		}
		for _, h := range ve.hits {
			delete(h.adv.hits, ve)
		}
		for _, p := range ve.purls {
			delete(ix.purls, p)
		}
		delete(ve.pkg.versions, ve.key())
		ix.verSlab[ve.handle] = nil
		ix.freeVer = append(ix.freeVer, ve.handle)
		// the package entry stays while advisories name it
		ix.dropIfEmpty(ve.pkg.key, ve.pkg)
	}
	ix.sbomSlab[sb.handle] = nil
	ix.freeSBOM = append(ix.freeSBOM, sb.handle)
}

// PutAdvisory adds an advisory, replaces the record with its ID when it is
// newer (a later modified), or withdraws it when it says so. changed is
// false when the index already held this record or a newer one. It
// returns the advisory's findings after the change.
func (ix *Index) PutAdvisory(a renkei.Advisory) (changed bool, findings []renkei.VulnFinding) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.advs[a.ID]; old != nil {
		if !a.Supersedes(&old.adv) {
			return false, ix.advFindings(old)
		}
		ix.removeAdvisory(old)
	}
	ae := &advEntry{adv: a, level: a.MaxLevel(), cves: a.CVEs(), hits: map[*verEntry]string{}}
	ix.advs[a.ID] = ae
	if a.IsWithdrawn() {
		// Kept as a tombstone so that an older copy does not come back.
		return true, nil
	}
	for _, af := range a.Affected {
		if af.Ecosystem == "" || af.Name == "" {
			continue
		}
		ap := &advPkg{adv: ae, key: keyOf(af.Ecosystem, af.Name), cp: compilePackage(af)}
		ae.pkgs = append(ae.pkgs, ap)
		pe := ix.pkg(ap.key)
		pe.affected = append(pe.affected, ap)
		for _, ve := range pe.versions {
			ix.evaluate(ap, ve)
			ve.v.forget()
		}
	}
	return true, ix.advFindings(ae)
}

// RemoveAdvisory forgets an advisory entirely (no tombstone).
func (ix *Index) RemoveAdvisory(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ae := ix.advs[id]; ae != nil {
		ix.removeAdvisory(ae)
		delete(ix.advs, id)
	}
}

func (ix *Index) removeAdvisory(ae *advEntry) {
	for ve := range ae.hits {
		ve.hits = slices.DeleteFunc(ve.hits, func(h hit) bool { return h.adv == ae })
	}
	for _, ap := range ae.pkgs {
		pe := ix.packages[ap.key]
		if pe == nil {
			continue
		}
		pe.affected = slices.DeleteFunc(pe.affected, func(x *advPkg) bool { return x == ap })
		ix.dropIfEmpty(ap.key, pe)
	}
	ae.hits = nil
	ae.pkgs = nil
}

// SetKEV replaces the KEV catalog the findings are flagged from.
func (ix *Index) SetKEV(entries []renkei.KEVEntry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.kev = make(map[string]*renkei.KEVEntry, len(entries))
	for i := range entries {
		e := entries[i]
		ix.kev[e.CVE] = &e
	}
}

// PutKEV marks the CVEs of the catalog as known exploited; findings of
// advisories with such a CVE as ID or alias carry the KEV flag.
func (ix *Index) PutKEV(entries []renkei.KEVEntry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range entries {
		e := entries[i]
		ix.kev[e.CVE] = &e
	}
}

// Advisory returns the advisory held under id (withdrawn ones included).
func (ix *Index) Advisory(id string) (renkei.Advisory, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ae := ix.advs[id]
	if ae == nil {
		return renkei.Advisory{}, false
	}
	return ae.adv, true
}

// Aliases returns the aliases of the advisory held under id.
func (ix *Index) Aliases(id string) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ae := ix.advs[id]; ae != nil {
		return ae.adv.Aliases
	}
	return nil
}

// FindingsForSBOM returns the SBOM's findings, sorted by purl then advisory.
func (ix *Index) FindingsForSBOM(id string) []renkei.VulnFinding {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sb := ix.sboms[id]
	if sb == nil {
		return nil
	}
	return ix.sbomFindings(sb)
}

// AffectedBy returns the advisory's findings across every SBOM, sorted by
// SBOM then purl.
func (ix *Index) AffectedBy(advisoryID string) []renkei.VulnFinding {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ae := ix.advs[advisoryID]
	if ae == nil {
		return nil
	}
	return ix.advFindings(ae)
}

// AffectedCount returns how many (SBOM, component) pairs the advisory
// affects, without building the findings.
func (ix *Index) AffectedCount(advisoryID string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	n := 0
	if ae := ix.advs[advisoryID]; ae != nil {
		for ve := range ae.hits {
			n += len(ve.owners)
		}
	}
	return n
}

// Stats are the index's sizes.
type Stats struct {
	SBOMs, Packages, Versions, Advisories, Hits int
}

// Stats counts what the index holds.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := Stats{SBOMs: len(ix.sboms), Packages: len(ix.packages), Advisories: len(ix.advs)}
	for _, p := range ix.packages {
		s.Versions += len(p.versions)
	}
	for _, a := range ix.advs {
		s.Hits += len(a.hits)
	}
	return s
}

func (ix *Index) finding(sb *sbomEntry, c sbomComp, h hit) renkei.VulnFinding {
	ve := ix.verSlab[c.ve]
	f := renkei.VulnFinding{
		SBOMID:     sb.id,
		PURL:       ve.purls[c.purl],
		Ecosystem:  ve.v.eco,
		Package:    ve.pkg.key.name,
		Version:    ve.v.raw,
		AdvisoryID: h.adv.adv.ID,
		Fixed:      h.fixed,
		Level:      h.adv.level,
		KEV:        h.adv.adv.KEV != nil,
	}
	for _, cve := range h.adv.cves {
		if ix.kev[cve] != nil {
			f.KEV = true
		}
	}
	return f
}

func (ix *Index) sbomFindings(sb *sbomEntry) []renkei.VulnFinding {
	var out []renkei.VulnFinding
	for _, c := range sb.comps {
		for _, h := range ix.verSlab[c.ve].hits {
			out = append(out, ix.finding(sb, c, h))
		}
	}
	slices.SortFunc(out, func(a, b renkei.VulnFinding) int {
		if c := strings.Compare(a.PURL, b.PURL); c != 0 {
			return c
		}
		return strings.Compare(a.AdvisoryID, b.AdvisoryID)
	})
	return out
}

func (ix *Index) advFindings(ae *advEntry) []renkei.VulnFinding {
	var out []renkei.VulnFinding
	for ve, fixed := range ae.hits {
		for _, o := range ve.owners {
			sb := ix.sbomSlab[o.sb]
			out = append(out, ix.finding(sb, sb.comps[o.i], hit{adv: ae, fixed: fixed}))
		}
	}
	slices.SortFunc(out, func(a, b renkei.VulnFinding) int {
		if c := strings.Compare(a.SBOMID, b.SBOMID); c != 0 {
			return c
		}
		return strings.Compare(a.PURL, b.PURL)
	})
	return out
}
