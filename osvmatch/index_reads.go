package osvmatch

import (
	"slices"
	"strings"

	"github.com/renkei/renkei"
)

// The reads a portfolio asks of the index: every finding of some SBOMs,
// one package's components and findings, an advisory's findings, and the
// findings of all SBOMs or one, visited without being built. Each takes a keep function
// that says which SBOMs the caller may see (an organization's, a
// partner's); it is asked once per SBOM and its answer remembered for the
// call, and it is called with the index's read lock held, so it must not
// call back into the index.

// Use is one component of a package in an SBOM.
type Use struct {
	SBOMID string
	PURL   string
}

// keeper remembers keep's answer per SBOM handle during one read.
type keeper struct {
	ix     *Index
	keep   func(sbomID string) bool
	answer map[uint32]bool
}

func (ix *Index) keeper(keep func(string) bool) *keeper {
	return &keeper{ix: ix, keep: keep, answer: map[uint32]bool{}}
}

func (k *keeper) ok(handle uint32) bool {
	v, seen := k.answer[handle]
	if !seen {
		v = k.keep(k.ix.sbomSlab[handle].id)
		k.answer[handle] = v
	}
	return v
}

// FindingsWhere returns the findings of every SBOM keep accepts, in no
// particular order. Only versions some advisory affects are visited: the
// cost follows the findings, not the components.
func (ix *Index) FindingsWhere(keep func(sbomID string) bool) []renkei.VulnFinding {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	k := ix.keeper(keep)
	var out []renkei.VulnFinding
	ix.vers.each(func(ve *verEntry) {
		if len(ve.hits) > 0 {
			out = ix.appendOwnerFindings(out, ve, k)
		}
	})
	return out
}

// PackageUses returns the components of one package (at one version when
// version is not "") in the SBOMs keep accepts, affected or not.
func (ix *Index) PackageUses(eco, name, version string, keep func(sbomID string) bool) []Use {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	k := ix.keeper(keep)
	var out []Use
	ix.eachVersion(eco, name, version, func(ve *verEntry) {
		for o := range ve.owners.all() {
			if k.ok(o.sb) {
				sb := ix.sbomSlab[o.sb]
				out = append(out, Use{SBOMID: sb.id, PURL: ve.purlAt(sb.comps[o.i].purl)})
			}
		}
	})
	return out
}

// eachVersion calls fn for the package's versions held, or for those
// equal to version.
func (ix *Index) eachVersion(eco, name, version string, fn func(*verEntry)) {
	pe := ix.packages[keyOf(eco, name)]
	if pe == nil {
		return
	}
	for _, ve := range pe.versions {
		if version == "" || ve.raw == version {
			fn(ve)
		}
	}
}

func (ix *Index) appendOwnerFindings(out []renkei.VulnFinding, ve *verEntry, k *keeper) []renkei.VulnFinding {
	for o := range ve.owners.all() {
		if !k.ok(o.sb) {
			continue
		}
		sb := ix.sbomSlab[o.sb]
		for _, h := range ve.hits {
			out = append(out, ix.finding(sb, sb.comps[o.i], h))
		}
	}
	return out
}

// FindingRef is one finding of an SBOM, not built yet: a list that shows
// a page of millions of findings counts the rest without building them.
// Its methods read the index without locking it: use it only inside the
// function EachSBOMFinding calls.
type FindingRef struct {
	ix *Index
	sb *sbomEntry
	c  sbomComp
	h  hit
}

// KEV tells whether the finding's advisory is known exploited.
func (r FindingRef) KEV() bool {
	if r.h.adv.adv.KEV != nil {
		return true
	}
	for _, cve := range r.h.adv.cves {
		if r.ix.kev[cve] != nil {
			return true
		}
	}
	return false
}

// Aliases returns the advisory's aliases.
func (r FindingRef) Aliases() []string { return r.h.adv.adv.Aliases }

// Tag returns the tag the finding's SBOM was loaded with.
func (r FindingRef) Tag() any { return r.sb.tag }

// Build builds the finding.
func (r FindingRef) Build() renkei.VulnFinding { return r.ix.finding(r.sb, r.c, r.h) }

// EachSBOMFinding calls fn for each finding of the SBOM in the order of
// FindingsForSBOM (purl, then advisory). fn runs under the index's read
// lock: it must not call the index.
func (ix *Index) EachSBOMFinding(id string, fn func(FindingRef)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sb := ix.sboms[id]
	if sb == nil {
		return
	}
	var hits []hit
	for _, c := range sb.comps { // in purl order (put)
		hits = append(hits[:0], ix.vers.at(c.ve).hits...)
		if len(hits) > 1 {
			slices.SortFunc(hits, func(a, b hit) int { return strings.Compare(a.adv.adv.ID, b.adv.adv.ID) })
		}
		for _, h := range hits {
			fn(FindingRef{ix: ix, sb: sb, c: c, h: h})
		}
	}
}

// EachFinding calls fn for every finding held, SBOM by SBOM within each
// affected version, in no particular order: counting the findings of a
// portfolio this way visits only the affected versions. fn runs under the
// index's read lock: it must not call the index.
func (ix *Index) EachFinding(fn func(sbomID string, r FindingRef)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.vers.each(func(ve *verEntry) {
		for o := range ve.owners.all() {
			if len(ve.hits) == 0 {
				return
			}
			sb := ix.sbomSlab[o.sb]
			for _, h := range ve.hits {
				fn(sb.id, FindingRef{ix: ix, sb: sb, c: sb.comps[o.i], h: h})
			}
		}
	})
}

// EachAdvisoryFinding calls fn for each finding of the advisory held
// under id, in no particular order. fn runs under the index's read lock:
// it must not call the index.
func (ix *Index) EachAdvisoryFinding(id string, fn func(sbomID string, r FindingRef)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ae := ix.advs[id]
	if ae == nil {
		return
	}
	for ve, fixed := range ae.hits {
		for o := range ve.owners.all() {
			sb := ix.sbomSlab[o.sb]
			fn(sb.id, FindingRef{ix: ix, sb: sb, c: sb.comps[o.i], h: hit{adv: ae, fixed: fixed}})
		}
	}
}

// EachPackageFinding calls fn for each finding of the components of one
// package (at one version when version is not ""), in no particular
// order. fn runs under the index's read lock: it must not call the index.
func (ix *Index) EachPackageFinding(eco, name, version string, fn func(sbomID string, r FindingRef)) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	ix.eachVersion(eco, name, version, func(ve *verEntry) {
		for o := range ve.owners.all() {
			sb := ix.sbomSlab[o.sb]
			for _, h := range ve.hits {
				fn(sb.id, FindingRef{ix: ix, sb: sb, c: sb.comps[o.i], h: h})
			}
		}
	})
}
