package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// The portal's view of assessments: a partner user reaches an assessment by
// its ID alone (they do not know the organization that sent it), always
// within their own company.

// partnerActor returns the partner actor in ctx, or ENOTFOUND for anyone
// else, so that the portal's reads tell staff nothing either.
func partnerActor(ctx context.Context, kind string) (*renkei.Actor, error) {
	a := renkei.ActorFrom(ctx)
	if a == nil || a.PartnerCompanyID == "" {
		return nil, renkei.ErrNotFound(kind)
	}
	return a, nil
}

// PartnerAssessment returns the assessment id if it is of the partner
// user's company, whichever organization sent it.
func (db *DB) PartnerAssessment(ctx context.Context, id string) (*renkei.Assessment, error) {
	act, err := partnerActor(ctx, "assessment")
	if err != nil {
		return nil, err
	}
	return scanAssessment(db.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE company_id = ? AND id = ?`, act.PartnerCompanyID, id))
}

// MarkOpened records that a partner user has opened the assessment: a sent
// assessment becomes opened (once; later views change nothing).
func (db *DB) MarkOpened(ctx context.Context, orgID, id string) error {
	act, err := partnerActor(ctx, "assessment")
	if err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE assessments SET status = ?, updated_at = ? WHERE org_id = ? AND id = ? AND company_id = ? AND status = ?`,
			renkei.AssessmentOpened, t.db.now(), orgID, id, act.PartnerCompanyID, renkei.AssessmentSent)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "assessment.open", ObjectType: "assessment", ObjectID: id})
	})
}
