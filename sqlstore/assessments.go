package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/renkei/renkei"
)

// Assessments: campaigns, assessments and answers (renkei.AssessmentStore).
//
// Decisions:
//   - The template an assessment is sent with is snapshotted in
//     template_snapshots, once per exact JSON body (slug@version#sha256), so
//     the 10,000 assessments of one campaign share one row.
//   - CreateCampaign writes one audit entry for the campaign (with the count)
//     rather than one per assessment, in the same transaction.
//   - Answer once, share many: on Submit every answered question with
//     controls is recorded in company_control_answers (company, control) →
//     latest answer and kind. That table is global per company and read only
//     to prefill: a new assessment of the same company, in any organization,
//     gets a Reused answer for a question when the company has an answer of
//     the same kind for every one of the question's controls and those
//     answers agree. Only the value is copied, never the source assessment,
//     its organization, comments or notes. Prefilling does reveal to the
//     asking organization that the company answered these controls before;
//     this is acceptable because they are the company's own answers, shown
//     as "reused — please confirm" for the partner to confirm or change.
//   - A partner user (Actor.PartnerCompanyID) may read and answer the
//     assessments of their company in any organization; checkAccess is the
//     one place that decides it.

// snapshot stores the template body once and returns its snapshot ID.
func (t *tx) snapshot(ctx context.Context, tpl *renkei.Template) (string, error) {
	body, err := json.Marshal(tpl)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	id := fmt.Sprintf("%s@%d#%s", tpl.Slug, tpl.Version, hex.EncodeToString(sum[:8]))
	_, err = t.exec(ctx, `INSERT INTO template_snapshots (id, slug, version, body, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, id, tpl.Slug, tpl.Version, string(body), t.db.now())
	return id, err
}

type prefilled struct{ ref, answer, controls string }

// inChunk is how many values one IN (…) list holds.
const inChunk = 500

func uniq(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

type knownAnswer struct{ kind, answer string }

// companyAnswers reads the latest answers per control of the partners'
// companies (company → control → answer), for prefill only.
func (t *tx) companyAnswers(ctx context.Context, partners map[string]campaignPartner) (map[string]map[string]knownAnswer, error) {
	var companies []string
	seen := map[string]bool{}
	for _, p := range partners {
		if !seen[p.companyID] {
			seen[p.companyID] = true
			companies = append(companies, p.companyID)
		}
	}
	out := map[string]map[string]knownAnswer{}
	for i := 0; i < len(companies); i += inChunk {
		chunk := companies[i:min(i+inChunk, len(companies))]
		args := make([]any, len(chunk))
		for j, c := range chunk {
			args[j] = c
		}
		rows, err := t.queryRows(ctx, `SELECT company_id, control_id, kind, answer FROM company_control_answers WHERE company_id IN (`+placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var company, control string
			var k knownAnswer
			if err := rows.Scan(&company, &control, &k.kind, &k.answer); err != nil {
				rows.Close()
				return nil, err
			}
			m := out[company]
			if m == nil {
				m = map[string]knownAnswer{}
				out[company] = m
			}
			m[control] = k
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefillFor returns the answers of tpl's questions the company has already
// given to the same controls (see the notes at the top of this file): every
// control of the question answered, to a question of the same kind, with
// the same answer, and a possible answer in tpl.
func prefillFor(have map[string]knownAnswer, tpl *renkei.Template) []prefilled {
	if len(have) == 0 {
		return nil
	}
	var out []prefilled
	for _, q := range tpl.Questions() {
		if len(q.Controls) == 0 {
			continue
		}
		answer, ok := "", true
		for _, cid := range q.Controls {
			k, found := have[cid]
			if !found || k.kind != q.Kind || (answer != "" && k.answer != answer) {
				ok = false
				break
			}
			answer = k.answer
		}
		if !ok {
			continue
		}
		var a renkei.Answer
		if json.Unmarshal([]byte(answer), &a) != nil || tpl.CheckAnswer(q, a) != nil {
			continue // e.g. a choice this template does not offer
		}
		ctl, _ := json.Marshal(q.Controls)
		out = append(out, prefilled{q.Ref, answer, string(ctl)})
	}
	return out
}

// staffRead refuses partner users and actors without PermRead.
func staffRead(ctx context.Context, orgID string) error {
	if a := renkei.ActorFrom(ctx); a != nil && a.PartnerCompanyID != "" {
		return renkei.ErrNotFound("campaign")
	}
	return renkei.Require(ctx, orgID, renkei.PermRead)
}

const assessmentColumns = `id, org_id, campaign_id, partner_id, company_id, template_slug, template_version, status, due_date, prefilled, score, submitted_at, reviewed_at, created_at, updated_at`

func scanAssessment(r interface{ Scan(...any) error }) (*renkei.Assessment, error) {
	var a renkei.Assessment
	var score string
	var sub, rev sql.NullTime
	if err := r.Scan(&a.ID, &a.OrgID, &a.CampaignID, &a.PartnerID, &a.CompanyID, &a.TemplateSlug, &a.TemplateVersion, &a.Status,
		&a.DueDate, &a.Prefilled, &score, &sub, &rev, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, notFound(err, "assessment")
	}
	a.SubmittedAt, a.ReviewedAt = timePtr(sub), timePtr(rev)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if score != "" {
		a.Score = new(renkei.Result)
		if err := json.Unmarshal([]byte(score), a.Score); err != nil {
			return nil, err
		}
	}
	return &a, nil
}

// checkAccess decides whether the actor may see (write=false) or answer
// (write=true) assessment a: a partner user when a is of their company,
// whatever organization sent it; staff of a's organization with PermRead or
// PermWrite. Anything else is not found, so as not to tell that it exists.
func checkAccess(ctx context.Context, a *renkei.Assessment, write bool) error {
	act := renkei.ActorFrom(ctx)
	if act != nil && act.PartnerCompanyID != "" {
		if act.PartnerCompanyID != a.CompanyID {
			return renkei.ErrNotFound("assessment")
		}
		return nil
	}
	p := renkei.PermRead
	if write {
		p = renkei.PermWrite
	}
	return renkei.Require(ctx, a.OrgID, p)
}

func isPartnerUser(ctx context.Context) bool {
	a := renkei.ActorFrom(ctx)
	return a != nil && a.PartnerCompanyID != ""
}

// Assessment implements renkei.AssessmentStore.
func (db *DB) Assessment(ctx context.Context, orgID, id string) (*renkei.Assessment, error) {
	a, err := scanAssessment(db.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE org_id = ? AND id = ?`, orgID, id))
	if err != nil {
		return nil, err
	}
	if err := checkAccess(ctx, a, false); err != nil {
		return nil, err
	}
	return a, nil
}

// ListAssessments implements renkei.AssessmentStore (staff only; partner
// users list theirs with PartnerAssessments).
func (db *DB) ListAssessments(ctx context.Context, orgID string, f renkei.AssessmentFilter, page renkei.Page) ([]renkei.Assessment, string, error) {
	if err := staffRead(ctx, orgID); err != nil {
		return nil, "", err
	}
	return listByID(ctx, db, assessmentColumns, "assessments", orgID, []eq{{"campaign_id", f.CampaignID}, {"partner_id", f.PartnerID}, {"status", f.Status}}, page, scanAssessment, func(v *renkei.Assessment) string { return v.ID })
}

// PartnerAssessments implements renkei.AssessmentStore: the company is
// the actor's, never a parameter.
func (db *DB) PartnerAssessments(ctx context.Context, page renkei.Page) ([]renkei.Assessment, string, error) {
	act := renkei.ActorFrom(ctx)
	if act == nil || act.PartnerCompanyID == "" {
		return nil, "", renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.query(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE company_id = ? AND id > ? ORDER BY id LIMIT ?`,
		act.PartnerCompanyID, after, page.Limit+1)
	if err != nil {
		return nil, "", err
	}
	items, err := collect(rows, scanAssessment)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, page.Limit, func(a *renkei.Assessment) string { return a.ID })
	return items, next, nil
}

func (db *DB) snapshotTemplate(ctx context.Context, q func(context.Context, string, ...any) *sql.Row, orgID, id string) (*renkei.Template, error) {
	var body string
	err := q(ctx, `SELECT s.body FROM assessments a JOIN template_snapshots s ON s.id = a.snapshot_id WHERE a.org_id = ? AND a.id = ?`, orgID, id).Scan(&body)
	if err != nil {
		return nil, notFound(err, "assessment")
	}
	var tpl renkei.Template
	if err := json.Unmarshal([]byte(body), &tpl); err != nil {
		return nil, err
	}
	return &tpl, nil
}

// AssessmentTemplate implements renkei.AssessmentStore.
func (db *DB) AssessmentTemplate(ctx context.Context, orgID, id string) (*renkei.Template, error) {
	if _, err := db.Assessment(ctx, orgID, id); err != nil {
		return nil, err
	}
	return db.snapshotTemplate(ctx, db.queryRow, orgID, id)
}

const answerColumns = `assessment_id, question_ref, answer, controls, answered_by, on_behalf, reused, review_status, review_comment, internal_note, updated_at`

func scanAnswer(r interface{ Scan(...any) error }) (*renkei.AnswerRecord, error) {
	var a renkei.AnswerRecord
	var ans, ctl string
	if err := r.Scan(&a.AssessmentID, &a.QuestionRef, &ans, &ctl, &a.AnsweredBy, &a.OnBehalf, &a.Reused, &a.ReviewStatus, &a.ReviewComment, &a.InternalNote, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.UpdatedAt = a.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(ans), &a.Answer); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ctl), &a.Controls); err != nil {
		return nil, err
	}
	return &a, nil
}

// Answers implements renkei.AssessmentStore, in question ref order.
func (db *DB) Answers(ctx context.Context, orgID, id string) ([]renkei.AnswerRecord, error) {
	if _, err := db.Assessment(ctx, orgID, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT `+answerColumns+` FROM assessment_answers WHERE org_id = ? AND assessment_id = ? ORDER BY question_ref`, orgID, id)
	if err != nil {
		return nil, err
	}
	out, err := collect(rows, scanAnswer)
	if err != nil {
		return nil, err
	}
	if isPartnerUser(ctx) {
		for i := range out {
			out[i] = out[i].PartnerView()
		}
	}
	return out, nil
}

func (t *tx) answerRecords(ctx context.Context, orgID, id string) ([]renkei.AnswerRecord, error) {
	rows, err := t.tx.QueryContext(ctx, t.db.q(`SELECT `+answerColumns+` FROM assessment_answers WHERE org_id = ? AND assessment_id = ?`), orgID, id)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAnswer)
}

func (t *tx) lockedAssessment(ctx context.Context, orgID, id string) (*renkei.Assessment, error) {
	lock := ""
	if t.db.dialect == Postgres {
		lock = ` FOR UPDATE`
	}
	return scanAssessment(t.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE org_id = ? AND id = ?`+lock, orgID, id))
}

func (t *tx) answerMap(ctx context.Context, orgID, id string) (map[string]renkei.Answer, error) {
	recs, err := t.answerRecords(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	m := make(map[string]renkei.Answer, len(recs))
	for _, r := range recs {
		m[r.QuestionRef] = r.Answer
	}
	return m, nil
}

// SaveAnswers implements renkei.AssessmentStore. onBehalf is ignored for
// partner users (they answer for themselves). A saved answer is no longer
// reused (the partner confirmed or changed it) and is pending review again.
func (db *DB) SaveAnswers(ctx context.Context, orgID, id string, answers []renkei.AnswerInput, onBehalf bool) error {
	if isPartnerUser(ctx) {
		onBehalf = false
	}
	by := ""
	if a := renkei.ActorFrom(ctx); a != nil {
		by = a.UserID
	}
	return db.write(ctx, func(t *tx) error {
		a, err := t.lockedAssessment(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkAccess(ctx, a, true); err != nil {
			return err
		}
		switch a.Status {
		case renkei.AssessmentSubmitted, renkei.AssessmentReviewed:
			return renkei.Errorf(renkei.ECONFLICT, "error.assessment_submitted")
		}
		tpl, err := t.db.snapshotTemplate(ctx, t.queryRow, orgID, id)
		if err != nil {
			return err
		}
		fields := map[string]string{}
		for _, in := range answers {
			q, ok := tpl.Question(in.QuestionRef)
			if !ok {
				fields[in.QuestionRef] = "field.unknown"
				continue
			}
			if err := tpl.CheckAnswer(q, in.Answer); err != nil {
				if e, ok := err.(*renkei.Error); ok && len(e.Fields) > 0 {
					for k, v := range e.Fields {
						fields[k] = v
					}
				} else {
					fields[in.QuestionRef] = "answer.value"
				}
			}
		}
		if len(fields) > 0 {
			return renkei.Invalid(fields)
		}
		now := t.db.now()
		for _, in := range answers {
			q, _ := tpl.Question(in.QuestionRef)
			ans, _ := json.Marshal(in.Answer)
			ctl, _ := json.Marshal(append([]string{}, q.Controls...))
			if _, err := t.exec(ctx, `INSERT INTO assessment_answers (assessment_id, org_id, question_ref, answer, controls, answered_by, on_behalf, reused, review_status, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (assessment_id, question_ref) DO UPDATE SET answer = excluded.answer, controls = excluded.controls,
				answered_by = excluded.answered_by, on_behalf = excluded.on_behalf, reused = excluded.reused,
				review_status = excluded.review_status, updated_at = excluded.updated_at`,
				id, orgID, in.QuestionRef, string(ans), string(ctl), by, onBehalf, false, renkei.ReviewPending, now); err != nil {
				return err
			}
		}
		status := a.Status
		if status == renkei.AssessmentSent || status == renkei.AssessmentOpened {
			status = renkei.AssessmentInProgress
		}
		if _, err := t.exec(ctx, `UPDATE assessments SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`, status, now, orgID, id); err != nil {
			return err
		}
		refs := make([]string, 0, len(answers))
		for _, in := range answers {
			refs = append(refs, in.QuestionRef)
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "assessment.answers", ObjectType: "assessment", ObjectID: id,
			Detail: map[string]any{"questions": refs, "on_behalf": onBehalf, "partner_user": isPartnerUser(ctx)}})
	})
}

// Submit implements renkei.AssessmentStore.
func (db *DB) Submit(ctx context.Context, orgID, id string) (*renkei.Assessment, error) {
	var out *renkei.Assessment
	err := db.write(ctx, func(t *tx) error {
		a, err := t.lockedAssessment(ctx, orgID, id)
		if err != nil {
			return err
		}
		if err := checkAccess(ctx, a, true); err != nil {
			return err
		}
		switch a.Status {
		case renkei.AssessmentSubmitted, renkei.AssessmentReviewed:
			return renkei.Errorf(renkei.ECONFLICT, "error.assessment_submitted")
		}
		tpl, err := t.db.snapshotTemplate(ctx, t.queryRow, orgID, id)
		if err != nil {
			return err
		}
		recs, err := t.answerRecords(ctx, orgID, id)
		if err != nil {
			return err
		}
		answers := make(map[string]renkei.Answer, len(recs))
		for _, r := range recs {
			answers[r.QuestionRef] = r.Answer
		}
		res := renkei.Score(tpl, answers)
		// Answers prefilled from earlier assessments are the partner's to
		// confirm: none may be submitted unseen, by the portal or the API.
		unconfirmed := renkei.UnconfirmedReused(tpl, recs)
		if !res.Complete() || len(unconfirmed) > 0 {
			fields := map[string]string{}
			for _, r := range unconfirmed {
				fields[r] = "answer.reused_unconfirmed"
			}
			for _, r := range res.Missing {
				fields[r] = "answer.required"
			}
			for _, r := range res.MissingEvidence {
				fields[r] = "answer.evidence_required"
			}
			for _, r := range res.Invalid {
				fields[r] = "answer.value"
			}
			key := "error.assessment_incomplete"
			if res.Complete() {
				key = "error.assessment_unconfirmed"
			}
			return &renkei.Error{Code: renkei.EINVALID, Key: key, Fields: fields}
		}
		score, err := json.Marshal(res)
		if err != nil {
			return err
		}
		now := t.db.now()
		if _, err := t.exec(ctx, `UPDATE assessments SET status = ?, score = ?, submitted_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			renkei.AssessmentSubmitted, string(score), now, now, orgID, id); err != nil {
			return err
		}
		// Answer once, share many: the company's latest answer per control.
		hidden := map[string]bool{}
		for _, r := range res.Hidden {
			hidden[r] = true
		}
		for _, q := range tpl.Questions() {
			ans, ok := answers[q.Ref]
			if !ok || hidden[q.Ref] || len(q.Controls) == 0 || q.Kind == renkei.QuestionFile {
				continue
			}
			ans.Files = 0 // files stay with the assessment
			b, _ := json.Marshal(ans)
			for _, cid := range q.Controls {
				if _, err := t.exec(ctx, `INSERT INTO company_control_answers (company_id, control_id, kind, answer, source_assessment_id, answered_at)
					VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT (company_id, control_id) DO UPDATE SET kind = excluded.kind, answer = excluded.answer,
					source_assessment_id = excluded.source_assessment_id, answered_at = excluded.answered_at`,
					a.CompanyID, cid, q.Kind, string(b), id, now); err != nil {
					return err
				}
			}
		}
		if err := t.audit(ctx, change{OrgID: orgID, Action: "assessment.submit", ObjectType: "assessment", ObjectID: id,
			Detail: map[string]any{"total": res.Total, "band": res.Band.Code}}); err != nil {
			return err
		}
		out, err = scanAssessment(t.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE org_id = ? AND id = ?`, orgID, id))
		return err
	})
	return out, err
}

// Review implements renkei.AssessmentStore (staff with PermWrite only).
func (db *DB) Review(ctx context.Context, orgID, id string, reviews []renkei.AnswerReview) (*renkei.Assessment, error) {
	if isPartnerUser(ctx) {
		return nil, renkei.ErrNotFound("assessment")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return nil, err
	}
	var out *renkei.Assessment
	err := db.write(ctx, func(t *tx) error {
		a, err := t.lockedAssessment(ctx, orgID, id)
		if err != nil {
			return err
		}
		recs, err := t.answerRecords(ctx, orgID, id)
		if err != nil {
			return err
		}
		if !renkei.ReviewOpen(a.Status, recs) {
			return renkei.Errorf(renkei.ECONFLICT, "error.assessment_not_submitted")
		}
		answers := make(map[string]bool, len(recs))
		for _, r := range recs {
			answers[r.QuestionRef] = true
		}
		fields := map[string]string{}
		for _, r := range reviews {
			if !answers[r.QuestionRef] {
				fields[r.QuestionRef] = "field.unknown"
			} else if r.Status != renkei.ReviewAccepted && r.Status != renkei.ReviewReturned {
				fields[r.QuestionRef] = "field.review_status"
			} else if len(r.Comment) > 4000 || len(r.InternalNote) > 4000 {
				fields[r.QuestionRef] = "field.too_long"
			}
		}
		if len(fields) > 0 {
			return renkei.Invalid(fields)
		}
		now := t.db.now()
		for _, r := range reviews {
			if _, err := t.exec(ctx, `UPDATE assessment_answers SET review_status = ?, review_comment = ?, internal_note = ?, updated_at = ?
				WHERE org_id = ? AND assessment_id = ? AND question_ref = ?`,
				r.Status, strings.TrimSpace(r.Comment), strings.TrimSpace(r.InternalNote), now, orgID, id, r.QuestionRef); err != nil {
				return err
			}
		}
		var returned, pending int
		if err := t.queryRow(ctx, `SELECT
				COALESCE(SUM(CASE WHEN review_status = 'returned' THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN review_status = 'pending' THEN 1 ELSE 0 END), 0)
			FROM assessment_answers WHERE org_id = ? AND assessment_id = ?`, orgID, id).Scan(&returned, &pending); err != nil {
			return err
		}
		// Still being reviewed after a return: a return taken back (none
		// returned, some pending) makes it submitted again.
		switch {
		case returned > 0:
			_, err = t.exec(ctx, `UPDATE assessments SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`, renkei.AssessmentReturned, now, orgID, id)
		case pending > 0 && a.Status == renkei.AssessmentReturned:
			_, err = t.exec(ctx, `UPDATE assessments SET status = ?, updated_at = ? WHERE org_id = ? AND id = ?`, renkei.AssessmentSubmitted, now, orgID, id)
		case pending == 0:
			_, err = t.exec(ctx, `UPDATE assessments SET status = ?, reviewed_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`, renkei.AssessmentReviewed, now, now, orgID, id)
		}
		if err != nil {
			return err
		}
		if err := t.audit(ctx, change{OrgID: orgID, Action: "assessment.review", ObjectType: "assessment", ObjectID: id,
			Detail: map[string]any{"reviews": len(reviews), "returned": returned}}); err != nil {
			return err
		}
		out, err = scanAssessment(t.queryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE org_id = ? AND id = ?`, orgID, id))
		return err
	})
	return out, err
}

var _ renkei.AssessmentStore = (*DB)(nil)

// recomputeBatch is how many assessments RecomputeScores scores per
// transaction.
const recomputeBatch = 1000

// RecomputeScores implements renkei.AssessmentStore: it scores again every
// assessment of the organization that has a score (submitted, returned or
// reviewed) against its own template snapshot, in batches of
// recomputeBatch by ID, each batch in its own transaction (a failure keeps
// the batches before it). It returns how many it scored; one audit entry
// per batch says how many of them changed.
func (db *DB) RecomputeScores(ctx context.Context, orgID string) (int, error) {
	if isPartnerUser(ctx) {
		return 0, renkei.ErrNotFound("organization")
	}
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return 0, err
	}
	snaps := map[string]*renkei.Template{}
	after, total := "", 0
	for {
		var last string
		var n int
		err := db.write(ctx, func(t *tx) error {
			var err error
			last, n, err = t.recomputeBatch(ctx, orgID, after, snaps)
			return err
		})
		if err != nil {
			return total, err
		}
		total += n
		if last == "" {
			return total, nil
		}
		after = last
	}
}

// recomputeBatch scores the next batch after the ID after; it returns the
// batch's last ID ("" when there was none) and how many it scored.
func (t *tx) recomputeBatch(ctx context.Context, orgID, after string, snaps map[string]*renkei.Template) (string, int, error) {
	rows, err := t.queryRows(ctx, `SELECT id, snapshot_id, score FROM assessments
		WHERE org_id = ? AND id > ? AND status IN ('submitted', 'returned', 'reviewed') ORDER BY id LIMIT ?`, orgID, after, recomputeBatch)
	if err != nil {
		return "", 0, err
	}
	type item struct {
		id, snap, score string
		answers         map[string]renkei.Answer
	}
	var items []item
	idx := map[string]int{}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.id, &it.snap, &it.score); err != nil {
			rows.Close()
			return "", 0, err
		}
		it.answers = map[string]renkei.Answer{}
		idx[it.id] = len(items)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(items) == 0 {
		return "", 0, err
	}
	first, last := items[0].id, items[len(items)-1].id
	rows, err = t.queryRows(ctx, `SELECT assessment_id, question_ref, answer FROM assessment_answers
		WHERE org_id = ? AND assessment_id >= ? AND assessment_id <= ?`, orgID, first, last)
	if err != nil {
		return "", 0, err
	}
	for rows.Next() {
		var aid, ref, ans string
		if err := rows.Scan(&aid, &ref, &ans); err != nil {
			rows.Close()
			return "", 0, err
		}
		i, ok := idx[aid]
		if !ok {
			continue // an assessment in range that is not scored
		}
		var a renkei.Answer
		if err := json.Unmarshal([]byte(ans), &a); err != nil {
			rows.Close()
			return "", 0, err
		}
		items[i].answers[ref] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	upd, err := t.prepare(ctx, `UPDATE assessments SET score = ? WHERE org_id = ? AND id = ?`)
	if err != nil {
		return "", 0, err
	}
	defer upd.Close()
	changed := 0
	for _, it := range items {
		tpl, ok := snaps[it.snap]
		if !ok {
			var body string
			if err := t.queryRow(ctx, `SELECT body FROM template_snapshots WHERE id = ?`, it.snap).Scan(&body); err != nil {
				return "", 0, err
			}
			tpl = new(renkei.Template)
			if err := json.Unmarshal([]byte(body), tpl); err != nil {
				return "", 0, err
			}
			snaps[it.snap] = tpl
		}
		res := renkei.Score(tpl, it.answers)
		b, err := json.Marshal(res)
		if err != nil {
			return "", 0, err
		}
		if string(b) == it.score {
			continue
		}
		if _, err := upd.ExecContext(ctx, string(b), orgID, it.id); err != nil {
			return "", 0, mapErr(err)
		}
		changed++
	}
	if err := t.audit(ctx, change{OrgID: orgID, Action: "assessment.recompute", ObjectType: "organization", ObjectID: orgID,
		Detail: map[string]any{"from": first, "to": last, "assessments": len(items), "changed": changed}}); err != nil {
		return "", 0, err
	}
	return last, len(items), nil
}
