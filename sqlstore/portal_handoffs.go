package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// Handoffs (renkei.Handoff): a partner user hands one section of an
// assessment to a colleague. The record, the handoff link and its mail land
// in one transaction.

const handoffColumns = `id, org_id, assessment_id, section_ref, from_user_id, from_email, to_email, link_id, created_at`

func scanHandoff(r interface{ Scan(...any) error }) (*renkei.Handoff, error) {
	var h renkei.Handoff
	if err := r.Scan(&h.ID, &h.OrgID, &h.AssessmentID, &h.SectionRef, &h.FromUserID, &h.FromEmail, &h.ToEmail, &h.LinkID, &h.CreatedAt); err != nil {
		return nil, notFound(err, "handoff")
	}
	h.CreatedAt = h.CreatedAt.UTC()
	return &h, nil
}

// HandOff implements renkei.PortalStore. Only a partner user hands over
// (staff answer on the partner's behalf instead); the section must be one
// of the assessment's template.
func (db *DB) HandOff(ctx context.Context, h *renkei.Handoff, render func(l *renkei.PortalLink, secret string) *renkei.Mail) error {
	act, err := partnerActor(ctx, "assessment")
	if err != nil {
		return err
	}
	email, ok := renkei.NormalizeEmail(h.ToEmail)
	if !ok {
		return renkei.Invalid(map[string]string{"email": "field.email"})
	}
	h.ToEmail, h.FromUserID, h.FromEmail = email, act.UserID, act.Email
	return db.write(ctx, func(t *tx) error {
		a, err := t.answerable(ctx, h.OrgID, h.AssessmentID)
		if err != nil {
			return err
		}
		tpl, err := t.db.snapshotTemplate(ctx, t.queryRow, h.OrgID, h.AssessmentID)
		if err != nil {
			return err
		}
		found := false
		for _, s := range tpl.Sections {
			found = found || s.Ref == h.SectionRef
		}
		if !found {
			return renkei.Invalid(map[string]string{"section": "field.section"})
		}
		l := &renkei.PortalLink{OrgID: a.OrgID, CompanyID: a.CompanyID, AssessmentID: a.ID, SectionRef: h.SectionRef, Email: email, Purpose: renkei.PortalHandoff}
		secret, err := t.issuePortalLink(ctx, l)
		if err != nil {
			return err
		}
		m := render(l, secret)
		m.OrgID, m.To = a.OrgID, email
		if err := t.queueMail(ctx, m); err != nil {
			return err
		}
		h.ID, h.LinkID, h.CreatedAt = NewID(), l.ID, t.db.now()
		if _, err := t.exec(ctx, `INSERT INTO section_handoffs (`+handoffColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			h.ID, h.OrgID, h.AssessmentID, h.SectionRef, h.FromUserID, h.FromEmail, h.ToEmail, h.LinkID, h.CreatedAt); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: h.OrgID, Action: "assessment.handoff", ObjectType: "assessment", ObjectID: h.AssessmentID,
			Detail: map[string]any{"section": h.SectionRef, "handoff_id": h.ID}})
	})
}

// Handoffs implements renkei.PortalStore.
func (db *DB) Handoffs(ctx context.Context, orgID, assessmentID string) ([]renkei.Handoff, error) {
	if _, err := db.Assessment(ctx, orgID, assessmentID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+handoffColumns+` FROM section_handoffs WHERE org_id = ? AND assessment_id = ? ORDER BY id`, orgID, assessmentID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanHandoff)
}
