package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/renkei/renkei"
)

// Findings and remediation items (renkei.AssessmentStore). Staff only:
// partner users get not found (their view of remediation is still to do).

// assessmentFindings reads the assessment's template and answers and
// returns its findings, or ECONFLICT when it is not submitted yet.
func (db *DB) assessmentFindings(ctx context.Context, orgID, id string) (*renkei.Assessment, []renkei.Finding, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, nil, err
	}
	a, err := db.Assessment(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	if a.Score == nil {
		return nil, nil, renkei.Errorf(renkei.ECONFLICT, "error.assessment_not_submitted")
	}
	tpl, err := db.snapshotTemplate(ctx, db.queryRow, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	recs, err := db.Answers(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	answers := make(map[string]renkei.Answer, len(recs))
	for _, r := range recs {
		answers[r.QuestionRef] = r.Answer
	}
	return a, renkei.Findings(tpl, answers), nil
}

// Findings implements renkei.AssessmentStore.
func (db *DB) Findings(ctx context.Context, orgID, assessmentID string) ([]renkei.Finding, error) {
	_, f, err := db.assessmentFindings(ctx, orgID, assessmentID)
	return f, err
}

const remediationColumns = `id, org_id, assessment_id, partner_id, question_ref, severity, title, owner, due_date, status, closure_evidence_key, notes, closed_at, created_at, updated_at,
	closure_evidence, evidence_name, evidence_content_type, evidence_size`

func scanRemediation(r interface{ Scan(...any) error }) (*renkei.Remediation, error) {
	var m renkei.Remediation
	var closed sql.NullTime
	if err := r.Scan(&m.ID, &m.OrgID, &m.AssessmentID, &m.PartnerID, &m.QuestionRef, &m.Severity, &m.Title, &m.Owner, &m.DueDate,
		&m.Status, &m.ClosureEvidenceKey, &m.Notes, &closed, &m.CreatedAt, &m.UpdatedAt,
		&m.ClosureEvidence, &m.EvidenceName, &m.EvidenceType, &m.EvidenceSize); err != nil {
		return nil, notFound(err, "remediation")
	}
	m.ClosedAt = timePtr(closed)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, nil
}

func trimRemediation(r *renkei.Remediation) {
	r.Title, r.Owner, r.Notes = strings.TrimSpace(r.Title), strings.TrimSpace(r.Owner), strings.TrimSpace(r.Notes)
	r.ClosureEvidenceKey, r.ClosureEvidence = strings.TrimSpace(r.ClosureEvidenceKey), strings.TrimSpace(r.ClosureEvidence)
}

func closes(status string) bool {
	return status == renkei.RemediationDone || status == renkei.RemediationAcceptedRisk
}

// CreateRemediation implements renkei.AssessmentStore. The question must
// be one of the assessment's findings.
func (db *DB) CreateRemediation(ctx context.Context, r *renkei.Remediation) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("assessment")
	}
	if err := renkei.Require(ctx, r.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	trimRemediation(r)
	if err := r.Validate(); err != nil {
		return err
	}
	a, findings, err := db.assessmentFindings(ctx, r.OrgID, r.AssessmentID)
	if err != nil {
		return err
	}
	var finding *renkei.Finding
	for i := range findings {
		if findings[i].QuestionRef == r.QuestionRef {
			finding = &findings[i]
		}
	}
	if finding == nil {
		return renkei.Invalid(map[string]string{"question": "field.finding"})
	}
	r.PartnerID, r.Severity = a.PartnerID, finding.Severity
	if r.Title == "" {
		r.Title = finding.Text.JA
		if r.Title == "" {
			r.Title = finding.Text.EN
		}
	}
	now := db.now()
	r.ID, r.CreatedAt, r.UpdatedAt, r.ClosedAt = NewID(), now, now, nil
	// The evidence file is attached afterwards (SetRemediationEvidence).
	r.ClosureEvidenceKey, r.EvidenceName, r.EvidenceType, r.EvidenceSize = "", "", "", 0
	if closes(r.Status) {
		r.ClosedAt = &now
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO remediations (`+remediationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OrgID, r.AssessmentID, r.PartnerID, r.QuestionRef, r.Severity, r.Title, r.Owner, r.DueDate, r.Status,
			r.ClosureEvidenceKey, r.Notes, nullTime(r.ClosedAt), r.CreatedAt, r.UpdatedAt,
			r.ClosureEvidence, r.EvidenceName, r.EvidenceType, r.EvidenceSize); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: r.OrgID, Action: "remediation.create", ObjectType: "remediation", ObjectID: r.ID,
			Detail: map[string]any{"assessment_id": r.AssessmentID, "question": r.QuestionRef, "status": r.Status, "owner": r.Owner, "due_date": r.DueDate}})
	})
}

// UpdateRemediation implements renkei.AssessmentStore. ClosedAt is set when
// the status becomes done or accepted_risk and cleared when it reopens. The
// evidence file is left as it is: only SetRemediationEvidence changes it.
func (db *DB) UpdateRemediation(ctx context.Context, r *renkei.Remediation) error {
	if isPartnerUser(ctx) {
		return renkei.ErrNotFound("remediation")
	}
	if err := renkei.Require(ctx, r.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	trimRemediation(r)
	if err := r.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := scanRemediation(t.queryRow(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE org_id = ? AND id = ?`, r.OrgID, r.ID))
		if err != nil {
			return err
		}
		now := t.db.now()
		closedAt := cur.ClosedAt
		switch {
		case closes(r.Status) && closedAt == nil:
			closedAt = &now
		case !closes(r.Status):
			closedAt = nil
		}
		if r.Title == "" {
			r.Title = cur.Title
		}
		if _, err := t.exec(ctx, `UPDATE remediations SET title = ?, owner = ?, due_date = ?, status = ?, closure_evidence = ?, notes = ?, closed_at = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, r.Title, r.Owner, r.DueDate, r.Status, r.ClosureEvidence, r.Notes, nullTime(closedAt), now, r.OrgID, r.ID); err != nil {
			return err
		}
		r.AssessmentID, r.PartnerID, r.QuestionRef, r.Severity = cur.AssessmentID, cur.PartnerID, cur.QuestionRef, cur.Severity
		r.ClosureEvidenceKey, r.EvidenceName, r.EvidenceType, r.EvidenceSize = cur.ClosureEvidenceKey, cur.EvidenceName, cur.EvidenceType, cur.EvidenceSize
		r.ClosedAt, r.CreatedAt, r.UpdatedAt = closedAt, cur.CreatedAt, now
		return t.audit(ctx, change{OrgID: r.OrgID, Action: "remediation.update", ObjectType: "remediation", ObjectID: r.ID,
			Detail: map[string]any{"status": r.Status, "from_status": cur.Status, "owner": r.Owner, "due_date": r.DueDate, "evidence": r.ClosureEvidence != ""}})
	})
}

// Remediation implements renkei.AssessmentStore.
func (db *DB) Remediation(ctx context.Context, orgID, id string) (*renkei.Remediation, error) {
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("remediation")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, err
	}
	return scanRemediation(db.queryRow(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE org_id = ? AND id = ?`, orgID, id))
}

// ListRemediations implements renkei.AssessmentStore, by ID (creation order).
func (db *DB) ListRemediations(ctx context.Context, orgID string, f renkei.RemediationFilter, page renkei.Page) ([]renkei.Remediation, string, error) {
	if isPartnerUser(ctx) {
		return nil, "", renkei.ErrNotFound("remediation")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermRead); err != nil {
		return nil, "", err
	}
	filters := []eq{{"assessment_id", f.AssessmentID}, {"partner_id", f.PartnerID}, {"status", f.Status}, {"owner", f.Owner}}
	where, args := "", []any(nil)
	if f.OverdueOn != "" {
		where, args = ` AND status IN ('open', 'in_progress') AND due_date <> '' AND due_date < ?`, []any{f.OverdueOn}
	}
	return listByIDWhere(ctx, db, remediationColumns, "remediations", orgID, where, args, filters, page, scanRemediation, func(v *renkei.Remediation) string { return v.ID })
}

// SetRemediationEvidence implements renkei.ReviewStore.
func (db *DB) SetRemediationEvidence(ctx context.Context, orgID, id, key, name, contentType string, size int64) (string, error) {
	if isPartnerUser(ctx) {
		return "", renkei.ErrNotFound("remediation")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return "", err
	}
	var old string
	err := db.write(ctx, func(t *tx) error {
		cur, err := scanRemediation(t.queryRow(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE org_id = ? AND id = ?`, orgID, id))
		if err != nil {
			return err
		}
		old = cur.ClosureEvidenceKey
		if _, err := t.exec(ctx, `UPDATE remediations SET closure_evidence_key = ?, evidence_name = ?, evidence_content_type = ?, evidence_size = ?, updated_at = ?
			WHERE org_id = ? AND id = ?`, key, name, contentType, size, t.db.now(), orgID, id); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "remediation.evidence", ObjectType: "remediation", ObjectID: id,
			Detail: map[string]any{"name": name, "size": size, "removed": key == ""}})
	})
	return old, err
}
