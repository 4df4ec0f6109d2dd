package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// PartnerResidual implements renkei.ReviewStore: it gathers the inputs of
// renkei.Residual for one partner. The latest assessment is the most
// recently reviewed one, else the most recently submitted (or returned)
// one; OpenHigh counts that assessment's high findings without a closed
// remediation item; Overdue counts the partner's open items past due.
func (db *DB) PartnerResidual(ctx context.Context, orgID, partnerID, today string) (renkei.ResidualRisk, error) {
	if err := staffOnly(ctx, orgID, renkei.PermRead, "partner"); err != nil {
		return renkei.ResidualRisk{}, err
	}
	p, err := db.Partner(ctx, orgID, partnerID)
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	in := renkei.ResidualInput{Inherent: p.Risk.Tier, Required: p.Required}
	a, err := scanAssessment(db.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments
		WHERE org_id = ? AND partner_id = ? AND status IN ('submitted', 'returned', 'reviewed')
		ORDER BY CASE WHEN status = 'reviewed' THEN 0 ELSE 1 END, COALESCE(reviewed_at, submitted_at) DESC, id DESC LIMIT 1`, orgID, partnerID))
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		return renkei.Residual(in), nil
	}
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	in.Assessment = a
	tpl, err := db.snapshotTemplate(ctx, db.queryRow, orgID, a.ID)
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	in.Levels = tpl.Levels
	_, findings, err := db.assessmentFindings(ctx, orgID, a.ID)
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	rows, err := db.query(ctx, `SELECT `+remediationColumns+` FROM remediations WHERE org_id = ? AND partner_id = ?`, orgID, partnerID)
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	items, err := collect(rows, scanRemediation)
	if err != nil {
		return renkei.ResidualRisk{}, err
	}
	closed := map[string]bool{}
	for i := range items {
		m := &items[i]
		if m.AssessmentID == a.ID && m.Closed() {
			closed[m.QuestionRef] = true
		}
		if m.Overdue(today) {
			in.Overdue++
		}
	}
	for _, f := range findings {
		if f.Severity == renkei.SeverityHigh && !closed[f.QuestionRef] {
			in.OpenHigh++
		}
	}
	return renkei.Residual(in), nil
}
