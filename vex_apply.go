package renkei

import (
	"context"
	"strings"
	"time"
)

// VEX applied to findings: partners (and the organization) state per
// vulnerability and product whether a finding really affects it. The
// views hide findings stated not_affected or fixed unless asked for all.

// StoredVEX is a statement kept by an organization: the statement, who it
// is about (a partner, "" for any) and, when it names one of the
// organization's products, that product.
type StoredVEX struct {
	ID           string
	OrgID        string
	PartnerID    string
	OurProductID string // one of the organization's products, "" for any
	VEXStatement
	CreatedAt time.Time
}

// VEXStore keeps an organization's VEX statements.
type VEXStore interface {
	// AddVEX validates and stores statements about a partner's (or the
	// organization's own, partnerID "") products, in one transaction;
	// nothing is stored when one is invalid.
	AddVEX(ctx context.Context, orgID, partnerID, productID string, stmts []VEXStatement) (int, error)
	VEXStatements(ctx context.Context, orgID string) ([]StoredVEX, error)
	// AdvisoryAliases returns each advisory's aliases (CVE IDs…).
	AdvisoryAliases(ctx context.Context, ids []string) (map[string][]string, error)

	// PartnerFindings gives a partner user the findings of their
	// company's products in one organization it works for (the tie names
	// the partner), with that organization's statements about them;
	// anyone else, or an organization the company does not work for, gets
	// ENOTFOUND.
	PartnerFindings(ctx context.Context, orgID string) ([]Affected, []StoredVEX, error)
	// PartnerStateVEX records a partner user's statement about one of
	// their company's findings in that organization.
	PartnerStateVEX(ctx context.Context, orgID string, st VEXStatement) error
	// PartnerImportSBOMs stores a partner user's SBOMs for one of their
	// company's products in one organization it works for, as
	// ImportSBOMs does with the tie's partner as the product's; anyone
	// else, or another organization, gets ENOTFOUND.
	PartnerImportSBOMs(ctx context.Context, orgID string, p *Product, uploads []SBOMUpload) ([]StoredSBOM, error)
}

// VEXFor picks the statement that applies to a finding: about the same
// vulnerability (the advisory ID or one of its aliases), the same product
// (ours by ID, or the component by purl — with or without its version),
// and the finding's partner (or any). The newest applicable statement
// wins; nil when none applies.
func VEXFor(f Affected, aliases []string, stmts []StoredVEX) *StoredVEX {
	var best *StoredVEX
	for i := range stmts {
		s := &stmts[i]
		if !vexNamesVuln(s.Vulnerability, f.AdvisoryID, aliases) {
			continue
		}
		if s.PartnerID != "" && s.PartnerID != f.PartnerID {
			continue
		}
		if s.OurProductID != "" && s.OurProductID != f.ProductID {
			continue
		}
		if s.PURL != "" && !vexNamesPURL(s.PURL, f.PURL) {
			continue
		}
		if best == nil || vexTime(s).After(vexTime(best)) {
			best = s
		}
	}
	return best
}

// VEXHides reports whether a statement takes a finding out of the views.
func VEXHides(s *StoredVEX) bool {
	return s != nil && (s.Status == VEXNotAffected || s.Status == VEXFixed)
}

func vexNamesVuln(v, id string, aliases []string) bool {
	if strings.EqualFold(v, id) {
		return true
	}
	for _, a := range aliases {
		if strings.EqualFold(v, a) {
			return true
		}
	}
	return false
}

// vexNamesPURL: the same purl, or the statement's purl without a version
// naming the component's package.
func vexNamesPURL(stated, component string) bool {
	if stated == component {
		return true
	}
	if strings.Contains(stated, "@") {
		return false
	}
	base, _, _ := strings.Cut(component, "@")
	base, _, _ = strings.Cut(base, "?")
	stated, _, _ = strings.Cut(stated, "?")
	return strings.EqualFold(stated, base)
}

func vexTime(s *StoredVEX) time.Time {
	if !s.Timestamp.IsZero() {
		return s.Timestamp
	}
	return s.CreatedAt
}
