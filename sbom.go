package renkei

// SBOM formats Renkei reads.
const (
	FormatCycloneDXJSON = "cyclonedx-json"
	FormatCycloneDXXML  = "cyclonedx-xml"
	FormatSPDXJSON      = "spdx-json"
	FormatSPDXTagValue  = "spdx-tag-value"
)

// SBOM limits. A file over any of them is rejected with an ETOOLARGE or
// EINVALID error naming the limit; nothing is partly imported.
const (
	MaxSBOMBytes      = 50 << 20 // the file as uploaded
	MaxSBOMComponents = 100_000  // components (CycloneDX) or packages (SPDX)
	MaxSBOMDepth      = 64       // JSON/XML nesting, CycloneDX nested components included
	MaxSBOMRelations  = 1_000_000
)

// SBOM is one software bill of materials as read from a file: the format and
// its spec version, the component it describes (if it names one), every
// component with its identifiers, and the dependency edges between them.
type SBOM struct {
	Format      string // FormatCycloneDXJSON, …
	SpecVersion string // "1.4", "1.5", "1.6" for CycloneDX; "2.2", "2.3" for SPDX
	Name        string // the document name (SPDX) or the metadata component's name (CycloneDX)
	Subject     *Component
	Components  []Component
	// Dependencies are directed edges From → To between Component.BOMRef
	// values: From depends on (or contains) To.
	Dependencies []Dependency
}

// Component is one package in an SBOM. PURL is normalized (canonical
// form); CPEs are kept as written. Ecosystem is the OSV ecosystem derived
// from the purl ("npm", "PyPI", "Debian:12"), empty when there is no purl or
// its type has no OSV ecosystem.
type Component struct {
	BOMRef    string // bom-ref (CycloneDX) or SPDXID (SPDX); unique in its SBOM
	Name      string
	Group     string // CycloneDX group / purl namespace, informative
	Version   string
	PURL      string
	CPEs      []string
	Ecosystem string
	Licenses  []string // SPDX expressions or license IDs/names as given
	Hashes    []Hash
	Parent    string // BOMRef of the enclosing component for CycloneDX nested components
}

// Hash is a digest of a component as given in the SBOM.
type Hash struct {
	Algorithm string // as written: "SHA-256", "SHA256", …
	Value     string
}

// Dependency kinds.
const (
	DependsOn = "depends_on"
	Contains  = "contains"
)

// Dependency is one edge of the dependency graph.
type Dependency struct {
	From, To string // BOMRefs
	Kind     string // DependsOn or Contains
}

// ComponentByRef returns the component with the given BOMRef.
func (s *SBOM) ComponentByRef(ref string) (Component, bool) {
	if s.Subject != nil && s.Subject.BOMRef == ref {
		return *s.Subject, true
	}
	for _, c := range s.Components {
		if c.BOMRef == ref {
			return c, true
		}
	}
	return Component{}, false
}
