package sqlstore

import (
	"context"
	"strings"

	"github.com/renkei/renkei"
)

// The partner's side of incidents: a partner user reports to, and follows
// cases with, every organization their company works for.

// incidentCompany returns the partner user's company, or ENOTFOUND for
// anyone else (staff have their own routes to cases).
func incidentCompany(ctx context.Context) (string, error) {
	a := renkei.ActorFrom(ctx)
	if a == nil || a.PartnerCompanyID == "" {
		return "", renkei.ErrNotFound("incident")
	}
	return a.PartnerCompanyID, nil
}

// PartnerIncidents implements renkei.IncidentStore.
func (db *DB) PartnerIncidents(ctx context.Context, page renkei.Page) ([]renkei.Incident, string, error) {
	company, err := incidentCompany(ctx)
	if err != nil {
		return nil, "", err
	}
	return db.incidentsNewestFirst(ctx, eq{"company_id", company}, page, false)
}

// PartnerIncident implements renkei.IncidentStore.
func (db *DB) PartnerIncident(ctx context.Context, id string) (*renkei.Incident, error) {
	company, err := incidentCompany(ctx)
	if err != nil {
		return nil, err
	}
	return scanIncident(db.queryRow(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE id = ? AND company_id = ?`, id, company))
}

// PartnerTies implements renkei.IncidentStore: the organizations whose
// (active) partner the company is, by name.
func (db *DB) PartnerTies(ctx context.Context) ([]renkei.PartnerTie, error) {
	company, err := incidentCompany(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT o.id, o.name, p.id FROM partners p JOIN organizations o ON o.id = p.org_id
		WHERE p.company_id = ? AND p.archived = ? ORDER BY o.name, o.id`, company, false)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.PartnerTie, error) {
		var t renkei.PartnerTie
		return &t, r.Scan(&t.OrgID, &t.OrgName, &t.PartnerID)
	})
}

// SameServiceCases implements renkei.IncidentStore.
func (db *DB) SameServiceCases(ctx context.Context, orgID, id string) ([]renkei.Incident, error) {
	if err := staffIncident(ctx, db, orgID, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+prefixed("o.", incidentColumns)+` FROM incidents i
		JOIN incidents o ON o.org_id = i.org_id AND o.service_key = i.service_key
		WHERE i.org_id = ? AND i.id = ? AND i.service_key <> '' AND o.id <> i.id AND o.partner_id <> '' AND o.partner_id <> i.partner_id
		ORDER BY o.id DESC LIMIT 100`, orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanIncident)
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
