package sqlstore

import (
	"context"
	"database/sql"

	"github.com/renkei/renkei"
)

// VEX statements (renkei.VEXStore): per organization, about a partner's
// products (or its own), applied to findings when they are read.

var _ renkei.VEXStore = (*DB)(nil)

// AddVEX implements renkei.VEXStore.
func (db *DB) AddVEX(ctx context.Context, orgID, partnerID, productID string, stmts []renkei.VEXStatement) (int, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return 0, err
	}
	if len(stmts) == 0 {
		return 0, renkei.Invalid(map[string]string{"file": "sbom.vex_empty"})
	}
	for _, s := range stmts {
		if err := s.Validate(); err != nil {
			return 0, err
		}
	}
	err := db.write(ctx, func(t *tx) error {
		if partnerID != "" {
			if err := partnerExists(ctx, t, orgID, partnerID); err != nil {
				return renkei.Invalid(map[string]string{"partner_id": "field.partner"})
			}
		}
		if productID != "" {
			var one int
			if err := t.queryRow(ctx, `SELECT 1 FROM products WHERE org_id = ? AND id = ?`, orgID, productID).Scan(&one); err != nil {
				return renkei.Invalid(map[string]string{"product_id": "sbom.product_unknown"})
			}
		}
		now := t.db.now()
		for _, s := range stmts {
			var stated any
			if !s.Timestamp.IsZero() {
				stated = utc(s.Timestamp)
			}
			if _, err := t.exec(ctx, `INSERT INTO vex_statements (id, org_id, partner_id, vulnerability, product_id, purl, cpe, status,
				justification, impact_statement, action_statement, stated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				NewID(), orgID, partnerID, s.Vulnerability, productID, s.PURL, s.CPE, s.Status, s.Justification, s.ImpactStatement,
				s.ActionStatement, stated, now); err != nil {
				return err
			}
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "vex.add", ObjectType: "partner", ObjectID: partnerID,
			Detail: map[string]any{"statements": len(stmts), "product_id": productID}})
	})
	if err != nil {
		return 0, err
	}
	return len(stmts), nil
}

// VEXStatements implements renkei.VEXStore.
func (db *DB) VEXStatements(ctx context.Context, orgID string) ([]renkei.StoredVEX, error) {
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT id, org_id, partner_id, vulnerability, product_id, purl, cpe, status, justification,
		impact_statement, action_statement, stated_at, created_at FROM vex_statements WHERE org_id = ? ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.StoredVEX, error) {
		var v renkei.StoredVEX
		var stated sql.NullTime
		if err := r.Scan(&v.ID, &v.OrgID, &v.PartnerID, &v.Vulnerability, &v.OurProductID, &v.PURL, &v.CPE, &v.Status,
			&v.Justification, &v.ImpactStatement, &v.ActionStatement, &stated, &v.CreatedAt); err != nil {
			return nil, err
		}
		if stated.Valid {
			v.Timestamp = stated.Time.UTC()
		}
		v.CreatedAt = v.CreatedAt.UTC()
		return &v, nil
	})
}

// AdvisoryAliases implements renkei.VEXStore.
func (db *DB) AdvisoryAliases(ctx context.Context, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.query(ctx, `SELECT advisory_id, alias FROM advisory_aliases WHERE advisory_id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, alias string
		if err := rows.Scan(&id, &alias); err != nil {
			return nil, err
		}
		out[id] = append(out[id], alias)
	}
	return out, rows.Err()
}

// partnerTie finds the partner that the partner user's company is in the
// organization, or ENOTFOUND.
func (db *DB) partnerTie(ctx context.Context, orgID string) (string, error) {
	a := renkei.ActorFrom(ctx)
	if a == nil || a.PartnerCompanyID == "" {
		return "", renkei.ErrNotFound("organization")
	}
	var partnerID string
	err := db.queryRow(ctx, `SELECT id FROM partners WHERE org_id = ? AND company_id = ? AND archived = ?`, orgID, a.PartnerCompanyID, false).Scan(&partnerID)
	if err != nil {
		return "", notFound(err, "organization")
	}
	return partnerID, nil
}

// PartnerFindings implements renkei.VEXStore: the findings in the
// partner's own products, read as the system once partnerTie has shown the
// partner user belongs to the organization.
func (db *DB) PartnerFindings(ctx context.Context, orgID string) ([]renkei.Affected, []renkei.StoredVEX, error) {
	partnerID, err := db.partnerTie(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	sys := renkei.WithActor(ctx, renkei.SystemActor("portal"))
	own, err := db.findings(sys, orgID, partnerID)
	if err != nil {
		return nil, nil, err
	}
	stmts, err := db.VEXStatements(sys, orgID)
	if err != nil {
		return nil, nil, err
	}
	var theirs []renkei.StoredVEX
	for _, s := range stmts {
		if s.PartnerID == partnerID || s.PartnerID == "" {
			theirs = append(theirs, s)
		}
	}
	return own, theirs, nil
}

// PartnerStateVEX implements renkei.VEXStore.
func (db *DB) PartnerStateVEX(ctx context.Context, orgID string, st renkei.VEXStatement) error {
	partnerID, err := db.partnerTie(ctx, orgID)
	if err != nil {
		return err
	}
	a := renkei.ActorFrom(ctx)
	sys := renkei.WithActor(ctx, &renkei.Actor{System: true, Label: "portal:" + a.Email, UserID: a.UserID, Email: a.Email})
	_, err = db.AddVEX(sys, orgID, partnerID, "", []renkei.VEXStatement{st})
	return err
}

// PartnerImportSBOMs implements renkei.VEXStore: once partnerTie has shown
// the partner user belongs to the organization, the product is stored as
// the tie's partner's, by the system acting for the user (recorded in the
// audit log as the portal user).
func (db *DB) PartnerImportSBOMs(ctx context.Context, orgID string, p *renkei.Product, uploads []renkei.SBOMUpload) ([]renkei.StoredSBOM, error) {
	partnerID, err := db.partnerTie(ctx, orgID)
	if err != nil {
		return nil, err
	}
	a := renkei.ActorFrom(ctx)
	sys := renkei.WithActor(ctx, &renkei.Actor{System: true, Label: "portal:" + a.Email, UserID: a.UserID, Email: a.Email})
	p.OrgID, p.PartnerID = orgID, partnerID
	return db.ImportSBOMs(sys, p, uploads)
}
