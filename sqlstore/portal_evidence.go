package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/renkei/renkei"
)

// Evidence files of answers (renkei.Evidence). The bytes are in the file
// store; these rows say which file belongs to which answer, and each change
// recounts the answer's Files so that scoring sees the evidence.

const evidenceColumns = `id, org_id, assessment_id, question_ref, file_key, name, content_type, size, uploaded_by, created_at`

func scanEvidence(r interface{ Scan(...any) error }) (*renkei.Evidence, error) {
	var e renkei.Evidence
	if err := r.Scan(&e.ID, &e.OrgID, &e.AssessmentID, &e.QuestionRef, &e.Key, &e.Name, &e.ContentType, &e.Size, &e.UploadedBy, &e.CreatedAt); err != nil {
		return nil, notFound(err, "evidence")
	}
	e.CreatedAt = e.CreatedAt.UTC()
	return &e, nil
}

// answerable locks the assessment for a change of its answers: the actor
// may answer it and it is not submitted (or was returned).
func (t *tx) answerable(ctx context.Context, orgID, id string) (*renkei.Assessment, error) {
	a, err := t.lockedAssessment(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if err := checkAccess(ctx, a, true); err != nil {
		return nil, err
	}
	switch a.Status {
	case renkei.AssessmentSubmitted, renkei.AssessmentReviewed:
		return nil, renkei.Errorf(renkei.ECONFLICT, "error.assessment_submitted")
	}
	return a, nil
}

// AddEvidence implements renkei.PortalStore.
func (db *DB) AddEvidence(ctx context.Context, e *renkei.Evidence) error {
	if a := renkei.ActorFrom(ctx); a != nil {
		e.UploadedBy = a.UserID
	}
	return db.write(ctx, func(t *tx) error {
		a, err := t.answerable(ctx, e.OrgID, e.AssessmentID)
		if err != nil {
			return err
		}
		tpl, err := t.db.snapshotTemplate(ctx, t.queryRow, e.OrgID, e.AssessmentID)
		if err != nil {
			return err
		}
		q, ok := tpl.Question(e.QuestionRef)
		if !ok || !q.TakesEvidence() {
			return renkei.Invalid(map[string]string{"question": "field.evidence_question"})
		}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`,
			e.OrgID, e.AssessmentID, e.QuestionRef).Scan(&n); err != nil {
			return err
		}
		if n >= renkei.MaxEvidenceFiles {
			return renkei.Invalid(map[string]string{e.QuestionRef: "field.evidence_count"})
		}
		if e.ID == "" {
			e.ID = NewID()
		}
		e.CreatedAt = t.db.now()
		if _, err := t.exec(ctx, `INSERT INTO assessment_evidence (`+evidenceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.OrgID, e.AssessmentID, e.QuestionRef, e.Key, e.Name, e.ContentType, e.Size, e.UploadedBy, e.CreatedAt); err != nil {
			return err
		}
		if err := t.countEvidence(ctx, a, q); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: e.OrgID, Action: "assessment.evidence_add", ObjectType: "assessment", ObjectID: e.AssessmentID,
			Detail: map[string]any{"question": e.QuestionRef, "evidence_id": e.ID, "size": e.Size, "partner_user": isPartnerUser(ctx)}})
	})
}

// countEvidence sets the Files of q's answer to the number of its evidence
// files. A file question is answered by its files alone, so its answer is
// made (or, with no file left, removed) here; another question's answer is
// only updated when it exists.
func (t *tx) countEvidence(ctx context.Context, a *renkei.Assessment, q *renkei.Question) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`,
		a.OrgID, a.ID, q.Ref).Scan(&n); err != nil {
		return err
	}
	var raw string
	err := t.queryRow(ctx, `SELECT answer FROM assessment_answers WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`, a.OrgID, a.ID, q.Ref).Scan(&raw)
	exists := err == nil
	if err != nil && renkei.ErrorCode(notFound(err, "answer")) != renkei.ENOTFOUND {
		return err
	}
	err = nil
	now := t.db.now()
	var ans renkei.Answer
	if exists {
		if err := json.Unmarshal([]byte(raw), &ans); err != nil {
			return err
		}
	}
	ans.Files = n
	b, _ := json.Marshal(ans)
	switch {
	case exists && q.Kind == renkei.QuestionFile && n == 0:
		_, err = t.exec(ctx, `DELETE FROM assessment_answers WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`, a.OrgID, a.ID, q.Ref)
	case exists:
		// A changed file is a changed answer: pending review again.
		_, err = t.exec(ctx, `UPDATE assessment_answers SET answer = ?, reused = ?, review_status = ?, updated_at = ? WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`,
			string(b), false, renkei.ReviewPending, now, a.OrgID, a.ID, q.Ref)
	case q.Kind == renkei.QuestionFile && n > 0:
		by := ""
		if act := renkei.ActorFrom(ctx); act != nil {
			by = act.UserID
		}
		ctl, _ := json.Marshal(append([]string{}, q.Controls...))
		_, err = t.exec(ctx, `INSERT INTO assessment_answers (assessment_id, org_id, question_ref, answer, controls, answered_by, on_behalf, reused, review_status, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.OrgID, q.Ref, string(b), string(ctl), by, false, false, renkei.ReviewPending, now)
	}
	if err != nil {
		return err
	}
	status := a.Status
	if status == renkei.AssessmentSent || status == renkei.AssessmentOpened {
		status = renkei.AssessmentInProgress
	}
	_, err = t.exec(ctx, `UPDATE assessments SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`, status, now, a.OrgID, a.ID)
	return err
}

// ListEvidence implements renkei.PortalStore.
func (db *DB) ListEvidence(ctx context.Context, orgID, assessmentID string) ([]renkei.Evidence, error) {
	if _, err := db.Assessment(ctx, orgID, assessmentID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+evidenceColumns+` FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? ORDER BY question_ref, id`, orgID, assessmentID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanEvidence)
}

// Evidence implements renkei.PortalStore.
func (db *DB) Evidence(ctx context.Context, orgID, assessmentID, id string) (*renkei.Evidence, error) {
	if _, err := db.Assessment(ctx, orgID, assessmentID); err != nil {
		return nil, err
	}
	return scanEvidence(db.queryRow(ctx, `SELECT `+evidenceColumns+` FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? AND id = ?`, orgID, assessmentID, id))
}

// DeleteEvidence implements renkei.PortalStore.
func (db *DB) DeleteEvidence(ctx context.Context, orgID, assessmentID, id string) (*renkei.Evidence, error) {
	var out *renkei.Evidence
	err := db.write(ctx, func(t *tx) error {
		a, err := t.answerable(ctx, orgID, assessmentID)
		if err != nil {
			return err
		}
		e, err := scanEvidence(t.queryRow(ctx, `SELECT `+evidenceColumns+` FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? AND id = ?`, orgID, assessmentID, id))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM assessment_evidence WHERE org_id = ? AND assessment_id = ? AND id = ?`, orgID, assessmentID, id); err != nil {
			return err
		}
		tpl, err := t.db.snapshotTemplate(ctx, t.queryRow, orgID, assessmentID)
		if err != nil {
			return err
		}
		if q, ok := tpl.Question(e.QuestionRef); ok {
			if err := t.countEvidence(ctx, a, q); err != nil {
				return err
			}
		}
		out = e
		return t.audit(ctx, change{OrgID: orgID, Action: "assessment.evidence_delete", ObjectType: "assessment", ObjectID: assessmentID,
			Detail: map[string]any{"question": e.QuestionRef, "evidence_id": e.ID}})
	})
	return out, err
}
