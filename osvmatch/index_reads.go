package osvmatch

import "github.com/renkei/renkei"

// The reads a portfolio asks of the index: every finding of some SBOMs,
// and one package's components and findings. Each takes a keep function
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
	for _, ve := range ix.verSlab {
		if ve == nil || len(ve.hits) == 0 {
			continue
		}
		out = ix.appendOwnerFindings(out, ve, k)
	}
	return out
}

// PackageFindings returns the findings of the components of one package
// (an ecosystem and a name, normalized as purls are read), at one version
// when version is not "", in the SBOMs keep accepts.
func (ix *Index) PackageFindings(eco, name, version string, keep func(sbomID string) bool) []renkei.VulnFinding {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	k := ix.keeper(keep)
	var out []renkei.VulnFinding
	ix.eachVersion(eco, name, version, func(ve *verEntry) {
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
		for _, o := range ve.owners {
			if k.ok(o.sb) {
				sb := ix.sbomSlab[o.sb]
				out = append(out, Use{SBOMID: sb.id, PURL: ve.purls[sb.comps[o.i].purl]})
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
		if version == "" || ve.v.raw == version {
			fn(ve)
		}
	}
}

func (ix *Index) appendOwnerFindings(out []renkei.VulnFinding, ve *verEntry, k *keeper) []renkei.VulnFinding {
	for _, o := range ve.owners {
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
