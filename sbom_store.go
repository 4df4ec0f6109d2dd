package renkei

import (
	"context"
	"time"
)

// Product is a product or deliverable of the organization itself
// (PartnerID "") or of one of its partners, at one version. Its SBOMs are
// replaced as a whole when the same product version is imported again.
type Product struct {
	ID        string
	OrgID     string
	PartnerID string
	Name      string
	Version   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks the product's name and version.
func (p *Product) Validate() error {
	fields := map[string]string{}
	if p.Name == "" {
		fields["product"] = "field.required"
	} else if len(p.Name) > 500 {
		fields["product"] = "field.too_long"
	}
	if p.Version == "" {
		fields["version"] = "field.required"
	} else if len(p.Version) > 200 {
		fields["version"] = "field.too_long"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// SBOMUpload is one SBOM file of a product, as parsed.
type SBOMUpload struct {
	FileName string // as given, informative
	SBOM     *SBOM
}

// StoredSBOM describes a stored SBOM.
type StoredSBOM struct {
	ID             string
	OrgID          string
	ProductID      string
	FileName       string
	Format         string
	SpecVersion    string
	Name           string
	ComponentCount int
	UploadedAt     time.Time
	UploadedBy     string
}

// AdvisoryImport counts what an advisory import did. A record with the same
// or an older modified time than the stored one is unchanged.
type AdvisoryImport struct {
	Added, Replaced, Unchanged, Withdrawn int
}

// Affected is one finding with its product: a component of a product's
// SBOM affected by an advisory.
type Affected struct {
	ProductID string
	Product   string
	Version   string // the product's version
	PartnerID string
	VulnFinding
}

// SBOMStore keeps products and their SBOMs. Every method takes the
// organization; reading needs PermRead and writing PermWrite in it.
type SBOMStore interface {
	// ImportSBOMs stores the product (created when new) and replaces all
	// its SBOMs with the uploads, in one transaction. A partner ID must
	// name a partner of the organization.
	ImportSBOMs(ctx context.Context, p *Product, uploads []SBOMUpload) ([]StoredSBOM, error)
	Products(ctx context.Context, orgID string) ([]Product, error)
	// FindingsForSBOM matches one stored SBOM against the stored
	// advisories now.
	FindingsForSBOM(ctx context.Context, orgID, sbomID string) ([]VulnFinding, error)
	// AffectedByAdvisory lists the organization's affected components for
	// an advisory ID or an alias (a CVE names every advisory aliasing it).
	AffectedByAdvisory(ctx context.Context, orgID, id string) ([]Affected, error)
	// AffectedByPURL lists the findings of the organization's components
	// with the purl's package (and version, when the purl has one).
	AffectedByPURL(ctx context.Context, orgID, purl string) ([]Affected, error)
}

// VulnStore keeps the vulnerability data. It is global: advisories and the
// KEV catalog are shared by every organization and imported by the
// operator (the CLI acts as the system).
type VulnStore interface {
	// ImportAdvisories stores the advisories in one transaction: a newer
	// modified replaces the stored record, the same or older changes
	// nothing, a withdrawn one stays as a tombstone that matches nothing.
	ImportAdvisories(ctx context.Context, advs []Advisory) (AdvisoryImport, error)
	// ImportKEV replaces the KEV catalog.
	ImportKEV(ctx context.Context, entries []KEVEntry) error
	Advisory(ctx context.Context, id string) (*Advisory, error)
	// Match evaluates components, grouped by a name of the caller's (a
	// file), against the stored advisories without storing them.
	Match(ctx context.Context, groups map[string][]Component) ([]VulnFinding, error)
}
