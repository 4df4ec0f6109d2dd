package sqlstore

import (
	"context"
	"database/sql"

	"github.com/renkei/renkei"
)

// The portfolio reads of renkei.SBOMReader.

var _ renkei.SBOMReader = (*DB)(nil)

// ListAdvisories implements renkei.SBOMReader.
func (db *DB) ListAdvisories(ctx context.Context, page renkei.Page) ([]renkei.AdvisorySummary, string, error) {
	if renkei.ActorFrom(ctx) == nil {
		return nil, "", renkei.Errorf(renkei.EUNAUTHORIZED, "error.unauthorized")
	}
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.query(ctx, `SELECT id, source, summary, severity, modified, withdrawn FROM advisories
		WHERE id > ? ORDER BY id LIMIT ?`, after, page.Limit+1)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, func(r interface{ Scan(...any) error }) (*renkei.AdvisorySummary, error) {
		var a renkei.AdvisorySummary
		var withdrawn sql.NullTime
		if err := r.Scan(&a.ID, &a.Source, &a.Summary, &a.Severity, &a.Modified, &withdrawn); err != nil {
			return nil, err
		}
		a.Modified, a.Withdrawn = a.Modified.UTC(), timePtr(withdrawn)
		return &a, nil
	})
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, func(a *renkei.AdvisorySummary) string { return a.ID })
	return items, next, nil
}

// ComponentUsage implements renkei.SBOMReader.
func (db *DB) ComponentUsage(ctx context.Context, orgID, purl string) ([]renkei.ComponentUse, error) {
	eco, name, ver, err := purlQuery(ctx, orgID, purl)
	if err != nil {
		return nil, err
	}
	if db.vix != nil {
		return db.vix.uses(ctx, orgID, eco, name, ver)
	}
	comps, err := db.orgComponents(ctx, orgID, map[[2]string]bool{{eco, name}: true}, ver)
	if err != nil {
		return nil, err
	}
	// One row per SBOM and purl: a purl listed twice in one SBOM is one use.
	out := make([]renkei.ComponentUse, 0, len(comps))
	seen := map[[2]string]bool{}
	for _, c := range comps {
		if seen[[2]string{c.sbomID, c.purl}] {
			continue
		}
		seen[[2]string{c.sbomID, c.purl}] = true
		out = append(out, renkei.ComponentUse{ProductID: c.productID, Product: c.product, Version: c.productVersion,
			PartnerID: c.partnerID, SBOMID: c.sbomID, PURL: c.purl})
	}
	sortUses(out)
	return out, nil
}

// OrgFindings implements renkei.SBOMReader: the organization's packages
// that some advisory names, then their components matched once per purl.
func (db *DB) OrgFindings(ctx context.Context, orgID string) ([]renkei.Affected, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	return db.findings(ctx, orgID, "")
}

// findings matches the organization's components, or only those of one
// partner's products when partnerID is set, so that a partner's portal
// page reads and matches its own packages rather than the whole portfolio.
func (db *DB) findings(ctx context.Context, orgID, partnerID string) ([]renkei.Affected, error) {
	if db.vix != nil {
		return db.vix.findings(ctx, orgID, partnerID)
	}
	// The organization's components are reached through its SBOMs (the
	// package index is by package, not by organization).
	q := `SELECT DISTINCT c.eco_key, c.pkg_name FROM sboms s JOIN sbom_components c ON c.sbom_id = s.id
		WHERE s.org_id = ? AND c.org_id = ? AND c.pkg_version <> '' AND EXISTS
		(SELECT 1 FROM advisory_packages p WHERE p.eco_key = c.eco_key AND p.pkg_name = c.pkg_name)`
	args := []any{orgID, orgID}
	if partnerID != "" {
		q += ` AND s.product_id IN (SELECT p.id FROM products p WHERE p.org_id = ? AND p.partner_id = ?)`
		args = append(args, orgID, partnerID)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	keys, err := packageKeys(rows)
	if err != nil {
		return nil, err
	}
	comps, err := db.orgComponents(ctx, orgID, keys, "")
	if err != nil {
		return nil, err
	}
	if partnerID != "" {
		own := comps[:0]
		for _, c := range comps {
			if c.partnerID == partnerID {
				own = append(own, c)
			}
		}
		comps = own
	}
	return db.affected(ctx, comps)
}

// ListFindings implements renkei.SBOMReader.
func (db *DB) ListFindings(ctx context.Context, orgID string, q renkei.FindingQuery) (*renkei.FindingList, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	if db.vix != nil {
		return db.vix.findingList(ctx, orgID, q)
	}
	pager := renkei.NewFindingPager(q)
	all, err := db.findings(ctx, orgID, "")
	if err != nil {
		return nil, err
	}
	var aliases map[string][]string
	if q.Keep != nil && len(all) > 0 {
		seen := map[string]bool{}
		var ids []string
		for _, f := range all {
			if !seen[f.AdvisoryID] {
				seen[f.AdvisoryID] = true
				ids = append(ids, f.AdvisoryID)
			}
		}
		if aliases, err = db.AdvisoryAliases(ctx, ids); err != nil {
			return nil, err
		}
	}
	for i := range all {
		pager.Add(&all[i], func() []string { return aliases[all[i].AdvisoryID] })
	}
	return pager.List(), nil
}
