package renkei

import (
	"context"
	"time"
)

// SBOMReader answers the portfolio questions of the API and the pages:
// which advisories are known, who uses a package, and every finding of
// the organization's products now.
type SBOMReader interface {
	// ListAdvisories pages through the known advisories by ID (global:
	// every organization sees the same).
	ListAdvisories(ctx context.Context, page Page) ([]AdvisorySummary, string, error)
	// ComponentUsage lists the organization's components of the purl's
	// package (at its version when the purl has one), with their products.
	ComponentUsage(ctx context.Context, orgID, purl string) ([]ComponentUse, error)
	// SBOMs lists a product's stored SBOMs.
	SBOMs(ctx context.Context, orgID, productID string) ([]StoredSBOM, error)
	// OrgFindings matches every component of the organization's products
	// against the stored advisories now.
	OrgFindings(ctx context.Context, orgID string) ([]Affected, error)
}

// AdvisorySummary is an advisory as a list shows it.
type AdvisorySummary struct {
	ID        string
	Source    string
	Summary   string
	Severity  string
	Modified  time.Time
	Withdrawn *time.Time
}

// ComponentUse is one component of one of the organization's products.
type ComponentUse struct {
	ProductID string
	Product   string
	Version   string // the product's version
	PartnerID string
	SBOMID    string
	PURL      string
}
