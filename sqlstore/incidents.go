package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/width"

	"github.com/renkei/renkei"
)

// Incidents (renkei.IncidentStore): the case itself. Duties are in
// incident_duties.go, the work on a case in incident_work.go and the
// organization's settings in incident_settings.go.

const incidentColumns = `id, org_id, ref, partner_id, company_id, type, title, description, occurred_at, discovered_at,
	aware_at, systems, service, affects_data, affects_network, affects_products, persons, pd_sensitive, pd_financial,
	pd_unauthorized, pd_confirmed, containment, service_impact, secondary_harm_risk, severity, status, owner, source,
	contact, root_cause, prevention, triaged_at, closed_at, created_at, updated_at`

func scanIncident(r interface{ Scan(...any) error }) (*renkei.Incident, error) {
	var in renkei.Incident
	var companyID, contact string
	var occurred, discovered, triaged, closed sql.NullTime
	pd, af := &in.PersonalData, &in.Affects
	if err := r.Scan(&in.ID, &in.OrgID, &in.Ref, &in.PartnerID, &companyID, &in.Type, &in.Title, &in.Description,
		&occurred, &discovered, &in.AwareAt, &in.Systems, &in.Service, &af.OurData, &af.OurNetwork, &af.OurProducts,
		&pd.Persons, &pd.Sensitive, &pd.Financial, &pd.UnauthorizedPurpose, &pd.Confirmed, &in.Containment,
		&in.ServiceImpact, &in.SecondaryHarmRisk, &in.Severity, &in.Status, &in.Owner, &in.Source, &contact,
		&in.RootCause, &in.Prevention, &triaged, &closed, &in.CreatedAt, &in.UpdatedAt); err != nil {
		return nil, notFound(err, "incident")
	}
	if err := json.Unmarshal([]byte(contact), &in.Contact); err != nil {
		return nil, err
	}
	in.OccurredAt, in.DiscoveredAt, in.TriagedAt, in.ClosedAt = timePtr(occurred), timePtr(discovered), timePtr(triaged), timePtr(closed)
	in.AwareAt, in.CreatedAt, in.UpdatedAt = in.AwareAt.UTC(), in.CreatedAt.UTC(), in.UpdatedAt.UTC()
	return &in, nil
}

// incidentArgs are the stored values of the columns after company_id, in
// incidentColumns order, up to updated_at.
func incidentArgs(in *renkei.Incident) []any {
	contact, _ := json.Marshal(in.Contact)
	pd, af := in.PersonalData, in.Affects
	return []any{in.Type, in.Title, in.Description, nullTime(in.OccurredAt), nullTime(in.DiscoveredAt), utc(in.AwareAt),
		in.Systems, in.Service, af.OurData, af.OurNetwork, af.OurProducts, pd.Persons, pd.Sensitive, pd.Financial,
		pd.UnauthorizedPurpose, pd.Confirmed, in.Containment, in.ServiceImpact, in.SecondaryHarmRisk, in.Severity,
		in.Status, in.Owner, in.Source, string(contact), in.RootCause, in.Prevention, nullTime(in.TriagedAt),
		nullTime(in.ClosedAt)}
}

// incidentAccess checks that the actor may read (or write) the
// organization's incidents and returns the company a partner user is
// limited to ("" for staff).
func incidentAccess(ctx context.Context, orgID string, write bool) (string, error) {
	a := renkei.ActorFrom(ctx)
	if a != nil && a.PartnerCompanyID != "" {
		return a.PartnerCompanyID, nil
	}
	p := renkei.PermRead
	if write {
		p = renkei.PermWrite
	}
	return "", renkei.Require(ctx, orgID, p)
}

// CreateIncident implements renkei.IncidentStore. Staff record cases for
// any of the organization's partners (or none); a partner user only for a
// partner that is their company; the system actor (the public report
// link) for a partner of the organization or none.
func (db *DB) CreateIncident(ctx context.Context, in *renkei.Incident) error {
	company, err := incidentAccess(ctx, in.OrgID, true)
	if err != nil {
		return err
	}
	if err := in.Validate(db.now()); err != nil {
		return err
	}
	now := db.now()
	in.ID, in.CreatedAt, in.UpdatedAt = NewID(), now, now
	in.Status, in.TriagedAt, in.ClosedAt = renkei.IncidentReported, nil, nil
	if in.Source == "" {
		in.Source = renkei.IncidentSourceStaff
	}
	if company != "" {
		in.Source = renkei.IncidentSourcePortal
	}
	settings, err := db.IncidentSettings(renkei.WithActor(ctx, renkei.SystemActor("incident")), in.OrgID)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		partnerCompany, err := t.incidentPartner(ctx, in.OrgID, in.PartnerID, company)
		if err != nil {
			return err
		}
		// The audit entry first: on PostgreSQL it takes the lock that
		// serializes writers, so the receipt number below is unique.
		if err := t.audit(ctx, change{OrgID: in.OrgID, Action: "incident.create", ObjectType: "incident", ObjectID: in.ID,
			Detail: map[string]any{"type": in.Type, "partner_id": in.PartnerID, "source": in.Source}}); err != nil {
			return err
		}
		if in.Ref, err = t.nextIncidentRef(ctx, in.OrgID); err != nil {
			return err
		}
		args := append([]any{in.ID, in.OrgID, in.Ref, in.PartnerID, partnerCompany}, incidentArgs(in)...)
		args = append(args, in.CreatedAt, in.UpdatedAt)
		if _, err := t.exec(ctx, `INSERT INTO incidents (`+incidentColumns+`, service_key, created_by)
			VALUES (`+placeholders(len(args)+2)+`)`, append(args, serviceKey(in.Service), actorName(ctx))...); err != nil {
			return err
		}
		if err := t.event(ctx, in, "reported", map[string]any{"source": in.Source, "ref": in.Ref}); err != nil {
			return err
		}
		return t.evaluateDuties(ctx, in, settings)
	})
}

// incidentPartner checks the partner named on a case and returns its
// company: it must be the organization's, and a partner user's own.
func (t *tx) incidentPartner(ctx context.Context, orgID, partnerID, onlyCompany string) (string, error) {
	if partnerID == "" {
		if onlyCompany != "" {
			return "", renkei.Invalid(map[string]string{"partner_id": "field.required"})
		}
		return "", nil
	}
	var company string
	err := t.queryRow(ctx, `SELECT company_id FROM partners WHERE org_id = ? AND id = ?`, orgID, partnerID).Scan(&company)
	if err == sql.ErrNoRows || (err == nil && onlyCompany != "" && company != onlyCompany) {
		return "", renkei.Invalid(map[string]string{"partner_id": "field.partner"})
	}
	return company, mapErr(err)
}

// nextIncidentRef numbers the organization's cases per year:
// INC-2026-00001. Called with the writers' lock held.
func (t *tx) nextIncidentRef(ctx context.Context, orgID string) (string, error) {
	year := t.db.now().In(renkei.Japan).Year()
	prefix := fmt.Sprintf("INC-%d-", year)
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM incidents WHERE org_id = ? AND ref LIKE ?`, orgID, prefix+"%").Scan(&n); err != nil {
		return "", mapErr(err)
	}
	return fmt.Sprintf("%s%05d", prefix, n+1), nil
}

// Incident implements renkei.IncidentStore.
func (db *DB) Incident(ctx context.Context, orgID, id string) (*renkei.Incident, error) {
	company, err := incidentAccess(ctx, orgID, false)
	if err != nil {
		return nil, err
	}
	return db.incident(ctx, db.queryRow, orgID, id, company)
}

type rowQuerier func(ctx context.Context, query string, args ...any) *sql.Row

func (db *DB) incident(ctx context.Context, q rowQuerier, orgID, id, company string) (*renkei.Incident, error) {
	query := `SELECT ` + incidentColumns + ` FROM incidents WHERE org_id = ? AND id = ?`
	args := []any{orgID, id}
	if company != "" {
		query += ` AND company_id = ?`
		args = append(args, company)
	}
	return scanIncident(q(ctx, query, args...))
}

// ListIncidents implements renkei.IncidentStore: newest first.
func (db *DB) ListIncidents(ctx context.Context, orgID string, f renkei.IncidentFilter, page renkei.Page) ([]renkei.Incident, string, error) {
	company, err := incidentAccess(ctx, orgID, false)
	if err != nil {
		return nil, "", err
	}
	return db.incidentsNewestFirst(ctx, eq{"org_id", orgID}, page, f.Open,
		eq{"company_id", company}, eq{"status", f.Status}, eq{"partner_id", f.PartnerID}, eq{"type", f.Type})
}

// incidentsNewestFirst pages through the incidents of one scope (an
// organization, or a partner user's company), always applied, newest
// first; further conditions apply when their value is not "", and open
// keeps the cases not closed.
func (db *DB) incidentsNewestFirst(ctx context.Context, scope eq, page renkei.Page, open bool, conds ...eq) ([]renkei.Incident, string, error) {
	page = page.Normalize()
	before, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + incidentColumns + ` FROM incidents WHERE ` + scope.Column + ` = ?`
	args := []any{scope.Value}
	if before != "" {
		q += ` AND id < ?`
		args = append(args, before)
	}
	for _, c := range conds {
		if c.Value != "" {
			q += ` AND ` + c.Column + ` = ?`
			args = append(args, c.Value)
		}
	}
	if open {
		q += ` AND status <> ?`
		args = append(args, renkei.IncidentClosed)
	}
	rows, err := db.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, page.Limit+1)...)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, scanIncident)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, func(in *renkei.Incident) string { return in.ID })
	return items, next, nil
}

// UpdateIncident implements renkei.IncidentStore. Staff only.
func (db *DB) UpdateIncident(ctx context.Context, in *renkei.Incident) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("incident")
	}
	if err := renkei.Require(ctx, in.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := in.Validate(db.now()); err != nil {
		return err
	}
	settings, err := db.IncidentSettings(ctx, in.OrgID)
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := db.incident(ctx, t.queryRow, in.OrgID, in.ID, "")
		if err != nil {
			return err
		}
		if in.PartnerID != cur.PartnerID {
			if _, err := t.incidentPartner(ctx, in.OrgID, in.PartnerID, ""); err != nil {
				return err
			}
		}
		now := t.db.now()
		in.Ref, in.Source, in.CreatedAt, in.UpdatedAt = cur.Ref, cur.Source, cur.CreatedAt, now
		in.TriagedAt, in.ClosedAt = cur.TriagedAt, cur.ClosedAt
		if in.Status != renkei.IncidentReported && in.TriagedAt == nil {
			in.TriagedAt = &now
		}
		switch {
		case in.Status == renkei.IncidentClosed && cur.Status != renkei.IncidentClosed:
			if err := in.CanClose(); err != nil {
				return err
			}
			in.ClosedAt = &now
		case in.Status != renkei.IncidentClosed:
			in.ClosedAt = nil
		}
		diff := incidentDiff(cur, in)
		if len(diff) == 0 {
			return nil
		}
		company, err := t.incidentPartner(ctx, in.OrgID, in.PartnerID, "")
		if err != nil {
			return err
		}
		args := append([]any{in.PartnerID, company}, incidentArgs(in)...)
		args = append(args, in.UpdatedAt, serviceKey(in.Service), in.OrgID, in.ID)
		if _, err := t.exec(ctx, `UPDATE incidents SET partner_id = ?, company_id = ?, type = ?, title = ?, description = ?,
			occurred_at = ?, discovered_at = ?, aware_at = ?, systems = ?, service = ?, affects_data = ?, affects_network = ?,
			affects_products = ?, persons = ?, pd_sensitive = ?, pd_financial = ?, pd_unauthorized = ?, pd_confirmed = ?,
			containment = ?, service_impact = ?, secondary_harm_risk = ?, severity = ?, status = ?, owner = ?, source = ?,
			contact = ?, root_cause = ?, prevention = ?, triaged_at = ?, closed_at = ?, updated_at = ?, service_key = ?
			WHERE org_id = ? AND id = ?`, args...); err != nil {
			return err
		}
		kind := "updated"
		if cur.Status != in.Status {
			kind = "status"
		}
		if err := t.event(ctx, in, kind, diff); err != nil {
			return err
		}
		if err := t.audit(ctx, change{OrgID: in.OrgID, Action: "incident.update", ObjectType: "incident", ObjectID: in.ID, Detail: diff}); err != nil {
			return err
		}
		return t.evaluateDuties(ctx, in, settings)
	})
}

// incidentDiff lists the fields that changed, as {field: [old, new]}.
func incidentDiff(a, b *renkei.Incident) map[string][2]any {
	out := map[string][2]any{}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var ma, mb map[string]any
	_ = json.Unmarshal(ja, &ma)
	_ = json.Unmarshal(jb, &mb)
	for k, v := range mb {
		if k == "updated_at" || k == "triaged_at" || k == "closed_at" {
			continue
		}
		if fmt.Sprint(ma[k]) != fmt.Sprint(v) {
			out[k] = [2]any{ma[k], v}
		}
	}
	return out
}

// serviceKey normalizes a shared service's name so that "Box", "ｂｏｘ "
// and half-width katakana name the same service as their usual forms.
func serviceKey(s string) string {
	return renkei.NormalizeCompanyName(width.Fold.String(strings.TrimSpace(s)))
}

// actorName is who acts, in words, for created_by columns.
func actorName(ctx context.Context) string {
	a := renkei.ActorFrom(ctx)
	switch {
	case a == nil:
		return ""
	case a.UserID != "":
		return a.UserID
	}
	return a.Label
}
