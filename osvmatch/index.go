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
	// same component in another SBOM is not parsed again; kept only while
	// loading (StartLoad … EndLoad), for it costs a map entry per version.
	purls map[string]purlRef

	// SBOMs and versions are also numbered, so that the per-component
	// data (owners, components: millions of entries) holds numbers, not
	// pointers or strings, and the garbage collector need not scan it.
	sbomSlab []*sbomEntry
	freeSBOM []uint32
	vers     verStore // index_store.go
	purlText arena
}

// pkgKey is the base ecosystem ("Debian", not "Debian:12") and the
// normalized name; release suffixes are compared when evaluating.
type pkgKey struct{ eco, name string }

type pkgEntry struct {
	key pkgKey
	// versions are few per package (tens, rarely hundreds): a slice
	// searched in turn costs less memory than a map, and a portfolio
	// holds millions of versions.
	versions []*verEntry
	affected []*advPkg
}

// verEntry is a version of a package as components name it: the
// component's ecosystem ("Debian:12") and the version. It is parsed only
// while it is evaluated (parse).
type verEntry struct {
	pkg      *pkgEntry
	handle   uint32
	eco, raw string
	// The distinct purls of this version's components (qualifiers
	// differ): nearly always one, held inline; more in more. raw shares
	// the first purl's bytes when the purl spells the version as is.
	purl   string
	more   []string
	owners ownerList
	hits   []hit
}

// purlAt returns the version's i-th purl.
func (ve *verEntry) purlAt(i uint32) string {
	if i == 0 {
		return ve.purl
	}
	return ve.more[i-1]
}

// purlIndex returns the place of a purl among the version's, or -1.
func (ve *verEntry) purlIndex(purl string) int {
	if ve.purl == purl {
		return 0
	}
	if i := slices.Index(ve.more, purl); i >= 0 {
		return i + 1
	}
	return -1
}

// purlCount is how many purls the version holds.
func (ve *verEntry) purlCount() int { return 1 + len(ve.more) }

// parse returns the version to evaluate, parsed on first use by the
// comparisons; it is dropped after the operation.
func (ve *verEntry) parse() *version { return newVersion(ve.eco, ve.raw) }

// version returns the package's entry of a version, nil when none.
func (pe *pkgEntry) version(eco, raw string) *verEntry {
	for _, ve := range pe.versions {
		if ve.raw == raw && ve.eco == eco {
			return ve
		}
	}
	return nil
}

// dropVersion removes a version entry from its package.
func (pe *pkgEntry) dropVersion(ve *verEntry) {
	if i := slices.Index(pe.versions, ve); i >= 0 {
		last := len(pe.versions) - 1
		pe.versions[i], pe.versions[last] = pe.versions[last], nil
		pe.versions = pe.versions[:last]
	}
}

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
	tag    any // the caller's, given to LoadSBOM
}

// sbomComp is one component: its version's handle and which of the
// version's purls it has.
type sbomComp struct {
	ve   uint32
	purl uint32
}

type advEntry struct {
	adv renkei.Advisory
	// level and cves are read off adv once: every finding needs them.
	level string
	cves  []string
	pkgs  []*advPkg
	hits  map[*verEntry]string // affected version → fixed
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
	}
}

func keyOf(eco, name string) pkgKey {
	return pkgKey{renkei.BaseEcosystem(eco), renkei.NormalizePackageName(eco, name)}
}

func (ix *Index) pkg(k pkgKey) *pkgEntry {
	p := ix.packages[k]
	if p == nil {
		p = &pkgEntry{key: k}
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
	return ix.put(id, comps, true, nil)
}

// LoadSBOM is PutSBOM for loading many SBOMs: it builds no findings.
// tag is the caller's: FindingRef.Tag returns it, so that a reader learns
// whose SBOM a finding is in without a lookup of its own.
func (ix *Index) LoadSBOM(id string, comps []renkei.Component, tag any) {
	ix.put(id, comps, false, tag)
}

func (ix *Index) put(id string, comps []renkei.Component, findings bool, tag any) []renkei.VulnFinding {
	// Purls are parsed before the write lock is taken: readers and other
	// writers wait only for the index work. While loading (StartLoad),
	// purls seen before (the same component version in another SBOM) are
	// not parsed again.
	// A component with CPEs has its purl parsed to find its reference;
	// that parse is kept.
	// Each reference is parsed at most once: parsed holds those that name
	// a package version, unmatched those that do not.
	order := make([]string, 0, len(comps))
	seen := make(map[string]bool, len(comps))
	parsed := map[string]Package{}
	unmatched := map[string]bool{}
	for _, c := range comps {
		ref := c.PURL
		if len(c.CPEs) > 0 {
			var p Package
			var ok bool
			if ref, p, ok = Match(c); ok && p.Version != "" {
				parsed[ref] = p
			} else {
				unmatched[ref] = true
			}
		}
		if ref == "" || seen[ref] {
			continue
		}
		seen[ref] = true
		order = append(order, ref)
	}
	ix.mu.RLock()
	var unknown []string
	for _, ref := range order {
		if _, ok := ix.purls[ref]; !ok {
			if _, done := parsed[ref]; !done && !unmatched[ref] {
				unknown = append(unknown, ref)
			}
		}
	}
	ix.mu.RUnlock()
	for _, ref := range unknown {
		if p, ok := FromRef(ref); ok {
			parsed[ref] = p
		} else {
			unmatched[ref] = true
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeSBOM(id)
	// Components are held in purl order, the order an SBOM's findings
	// are listed in, so that a list walks them without sorting.
	slices.Sort(order)
	sb := &sbomEntry{id: id, comps: make([]sbomComp, 0, len(order)), tag: tag}
	sb.handle = slabPut(&ix.sbomSlab, &ix.freeSBOM, sb)
	for _, purl := range order {
		ref, ok := ix.purls[purl]
		if !ok {
			p, parsedOK := parsed[purl]
			if !parsedOK {
				// Not a package version of an ecosystem, or known when
				// looked at and forgotten since (its last owner removed).
				if unmatched[purl] {
					continue
				}
				if p, parsedOK = FromRef(purl); !parsedOK {
					continue
				}
			}
			ref = ix.addPURL(purl, p)
			if ix.purls != nil {
				ix.purls[purl] = ref
			}
		}
		ve := ix.vers.at(ref.ve)
		ve.owners.add(owner{sb: sb.handle, i: uint32(len(sb.comps))})
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
	ve := pe.version(p.Ecosystem, p.Version)
	if ve == nil {
		ve = ix.vers.alloc()
		purl = ix.purlText.keep(purl)
		ve.pkg, ve.eco, ve.raw, ve.purl = pe, p.Ecosystem, sharedVersion(purl, p.Version), purl
		pe.versions = append(pe.versions, ve)
		v := ve.parse()
		for _, ap := range pe.affected {
			ix.evaluate(ap, ve, v)
		}
	}
	if i := ve.purlIndex(purl); i >= 0 {
		return purlRef{ve: ve.handle, i: uint32(i)}
	}
	ve.more = append(ve.more, ix.purlText.keep(purl))
	return purlRef{ve: ve.handle, i: uint32(ve.purlCount() - 1)}
}

// sharedVersion returns version as a substring of the purl when the purl
// spells it as is after its "@", so that the two share their bytes (one
// allocation less for each of millions of versions); else version.
func sharedVersion(purl, version string) string {
	at := strings.LastIndexByte(purl, '@')
	if at < 0 {
		return version
	}
	rest := purl[at+1:]
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	if rest == version {
		return rest
	}
	return version
}

// StartLoad prepares the index for many SBOMs at once: until EndLoad it
// remembers every purl it has read, so that a purl held by many SBOMs is
// parsed once.
func (ix *Index) StartLoad() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.purls = map[string]purlRef{}
}

// EndLoad forgets the purls remembered since StartLoad and trims each
// version's list of owners to its length (appending left up to half of
// them unused).
func (ix *Index) EndLoad() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.purls = nil
	ix.vers.each(func(ve *verEntry) {
		ve.owners.trim()
	})
}

func (ix *Index) evaluate(ap *advPkg, ve *verEntry, v *version) {
	if !renkei.SameEcosystem(ve.eco, ap.cp.ecosystem) {
		return
	}
	ok, fixed := ap.cp.affects(v)
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
		ve := ix.vers.at(c.ve)
		if ve.pkg == nil {
			continue // freed by an earlier component of this SBOM
		}
		ve.owners.removeSBOM(sb.handle)
		if ve.owners.len() > 0 {
			continue
		}
		for _, h := range ve.hits {
			delete(h.adv.hits, ve)
		}
		delete(ix.purls, ve.purl)
		for _, p := range ve.more {
			delete(ix.purls, p)
		}
		pe := ve.pkg
		pe.dropVersion(ve)
		ix.vers.release(ve)
		// the package entry stays while advisories name it
		ix.dropIfEmpty(pe.key, pe)
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
	ae, changed := ix.putAdvisory(a)
	if ae == nil || ae.adv.IsWithdrawn() {
		return changed, nil
	}
	return changed, ix.advFindings(ae)
}

// LoadAdvisory is PutAdvisory for loading many advisories, or following
// a change: it builds no findings. It reports whether the index changed.
func (ix *Index) LoadAdvisory(a renkei.Advisory) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	_, changed := ix.putAdvisory(a)
	return changed
}

// putAdvisory puts the advisory unless the index holds this record or a
// newer one, and returns the entry held.
func (ix *Index) putAdvisory(a renkei.Advisory) (*advEntry, bool) {
	if old := ix.advs[a.ID]; old != nil {
		if !a.Supersedes(&old.adv) {
			return old, false
		}
		ix.removeAdvisory(old)
	}
	// The entry keeps what findings and replacement need; the packages
	// live on compiled, and severities, references and remediations,
	// which can be most of a record, are read from the store.
	ae := &advEntry{adv: renkei.Advisory{ID: a.ID, Aliases: a.Aliases, Modified: a.Modified, Published: a.Published,
		Withdrawn: a.Withdrawn, Source: a.Source, KEV: a.KEV}, level: a.MaxLevel(), cves: a.CVEs(), hits: map[*verEntry]string{}}
	ix.advs[a.ID] = ae
	if a.IsWithdrawn() {
		// Kept as a tombstone so that an older copy does not come back.
		return ae, true
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
			ix.evaluate(ap, ve, ve.parse())
		}
	}
	return ae, true
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
			n += ve.owners.len()
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
	ve := ix.vers.at(c.ve)
	f := renkei.VulnFinding{
		SBOMID:     sb.id,
		PURL:       ve.purlAt(c.purl),
		Ecosystem:  ve.eco,
		Package:    ve.pkg.key.name,
		Version:    ve.raw,
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
		for _, h := range ix.vers.at(c.ve).hits {
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
		for o := range ve.owners.all() {
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
