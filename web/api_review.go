package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The staff side of an assessment's review: the answers with their review
// state (internal notes included: staff only), the review decisions, and
// the findings with the support programs each suggests. Partner users
// reach none of these (the store answers not found).

// apiAnswer is one answer as staff see it.
type apiAnswer struct {
	Question      string           `json:"question"`
	Text          renkei.Bilingual `json:"text"`
	Section       string           `json:"section"`
	Answer        renkei.Answer    `json:"answer"`
	Controls      []string         `json:"controls"`
	AnsweredBy    string           `json:"answered_by"`
	OnBehalf      bool             `json:"on_behalf"`
	Reused        bool             `json:"reused"`
	ReviewStatus  string           `json:"review_status"`
	ReviewComment string           `json:"review_comment"` // the partner sees it
	InternalNote  string           `json:"internal_note"`  // the partner never sees it
	UpdatedAt     time.Time        `json:"updated_at"`
}

func toAPIAnswer(rec renkei.AnswerRecord, t *renkei.Template) apiAnswer {
	a := apiAnswer{Question: rec.QuestionRef, Answer: rec.Answer, Controls: rec.Controls, AnsweredBy: rec.AnsweredBy,
		OnBehalf: rec.OnBehalf, Reused: rec.Reused, ReviewStatus: rec.ReviewStatus, ReviewComment: rec.ReviewComment,
		InternalNote: rec.InternalNote, UpdatedAt: utc(rec.UpdatedAt)}
	if a.Controls == nil {
		a.Controls = []string{}
	}
	if q, ok := t.Question(rec.QuestionRef); ok {
		a.Text = q.Text
	}
	a.Section = sectionOf(t, rec.QuestionRef)
	return a
}

// sectionOf returns the ref of the section that holds question ref.
func sectionOf(t *renkei.Template, ref string) string {
	for _, s := range t.Sections {
		for _, q := range s.Questions {
			if q.Ref == ref {
				return s.Ref
			}
		}
	}
	return ""
}

// apiGetAnswers is GET /api/v1/assessments/{id}/answers: every answer
// with its review state and internal note, in question ref order.
func (s *Server) apiGetAnswers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	ctx, orgID := r.Context(), actor(r).OrgID
	if err := staffOnlyAPI(r, "assessment"); err != nil {
		return err
	}
	t, err := s.cfg.Store.AssessmentTemplate(ctx, orgID, id)
	if err != nil {
		return err
	}
	recs, err := s.cfg.Store.Answers(ctx, orgID, id)
	if err != nil {
		return err
	}
	out := make([]apiAnswer, len(recs))
	for i, rec := range recs {
		out[i] = toAPIAnswer(rec, t)
	}
	writeList(w, out, "")
	return nil
}

// staffOnlyAPI answers not found to a partner user, as for an object that
// does not exist: the review routes are organization staff's.
func staffOnlyAPI(r *http.Request, kind string) error {
	if a := actor(r); a != nil && a.PartnerCompanyID != "" {
		return renkei.ErrNotFound(kind)
	}
	return nil
}

type reviewIn struct {
	Question     string `json:"question"`
	Status       string `json:"status"`
	Comment      string `json:"comment"`
	InternalNote string `json:"internal_note"`
}

type reviewPost struct {
	Reviews []reviewIn `json:"reviews"`
}

// apiReviewAssessment is POST /api/v1/assessments/{id}/review: accept or
// return answers of a submitted assessment. A returned answer makes the
// assessment returned (the partner answers it again and sees the comment);
// all accepted makes it reviewed. Errors are keyed by question ref and
// nothing is saved when one is wrong.
func (s *Server) apiReviewAssessment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	var in reviewPost
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if len(in.Reviews) == 0 {
		fields["reviews"] = "field.required"
	}
	reviews := make([]renkei.AnswerReview, 0, len(in.Reviews))
	for _, rv := range in.Reviews {
		checkText(fields, "reviews", rv.Question)
		checkMultiline(fields, rv.Question, rv.Comment)
		checkMultiline(fields, rv.Question, rv.InternalNote)
		if rv.Status == renkei.ReviewReturned && strings.TrimSpace(rv.Comment) == "" {
			fields[rv.Question] = "review.comment_required"
		}
		reviews = append(reviews, renkei.AnswerReview{QuestionRef: rv.Question, Status: rv.Status, Comment: rv.Comment, InternalNote: rv.InternalNote})
	}
	if err := invalid(fields); err != nil {
		return err
	}
	orgID := actor(r).OrgID
	if _, err := s.cfg.Store.Review(r.Context(), orgID, id, reviews); err != nil {
		return err
	}
	d, err := s.assessmentDetail(r, orgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// checkMultiline is checkText for text that may hold line breaks and tabs.
func checkMultiline(fields map[string]string, field, v string) {
	if _, bad := fields[field]; bad {
		return
	}
	for _, c := range v {
		if c != '\n' && c != '\r' && c != '\t' && hostileRune(c) {
			fields[field] = "api.field.control_chars"
			return
		}
	}
}

// apiSuggestedSupport is a support program as a finding suggests it.
type apiSuggestedSupport struct {
	ID          string           `json:"id"`
	Name        renkei.Bilingual `json:"name"`
	URL         string           `json:"url"`
	Description renkei.Bilingual `json:"description"`
}

// apiFinding is a finding with its suggested support.
type apiFinding struct {
	Question       string                `json:"question"`
	Severity       string                `json:"severity"`
	Answer         string                `json:"answer"`
	Level          string                `json:"level"`
	Text           renkei.Bilingual      `json:"text"`
	Controls       []string              `json:"controls"`
	Groups         []string              `json:"groups"`
	Support        []apiSuggestedSupport `json:"support"`
	RemediationIDs []string              `json:"remediation_ids"` // items already recorded for it
}

// findingsWithSupport reads the assessment's findings, each with the
// programs of the catalog that suit it for the partner's size and the
// remediation items already recorded for it.
func (s *Server) findingsWithSupport(r *http.Request, orgID, id string) ([]apiFinding, error) {
	ctx := r.Context()
	a, err := s.cfg.Store.Assessment(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	fs, err := s.cfg.Store.Findings(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	p, err := s.cfg.Store.Partner(ctx, orgID, a.PartnerID)
	if err != nil {
		return nil, err
	}
	catalog, err := s.cfg.Store.SupportPrograms(ctx, orgID)
	if err != nil {
		return nil, err
	}
	items, _, err := s.cfg.Store.ListRemediations(ctx, orgID, renkei.RemediationFilter{AssessmentID: id}, renkei.Page{Limit: renkei.MaxPageLimit})
	if err != nil {
		return nil, err
	}
	out := make([]apiFinding, len(fs))
	for i, f := range fs {
		af := apiFinding{Question: f.QuestionRef, Severity: f.Severity, Answer: f.Answer, Level: f.Level, Text: f.Text,
			Controls: f.Controls, Groups: f.Groups, Support: []apiSuggestedSupport{}, RemediationIDs: []string{}}
		if af.Controls == nil {
			af.Controls = []string{}
		}
		if af.Groups == nil {
			af.Groups = []string{}
		}
		for _, sp := range renkei.SuggestSupport(catalog, f, p.Company.Employees) {
			af.Support = append(af.Support, apiSuggestedSupport{ID: sp.ID, Name: sp.Name, URL: sp.URL, Description: sp.Description})
		}
		for _, m := range items {
			if m.QuestionRef == f.QuestionRef {
				af.RemediationIDs = append(af.RemediationIDs, m.ID)
			}
		}
		out[i] = af
	}
	return out, nil
}

// apiGetFindings is GET /api/v1/assessments/{id}/findings: the weak
// answers of a submitted assessment, each with its suggested support.
func (s *Server) apiGetFindings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	if err := staffOnlyAPI(r, "assessment"); err != nil {
		return err
	}
	out, err := s.findingsWithSupport(r, actor(r).OrgID, id)
	if err != nil {
		return err
	}
	writeList(w, out, "")
	return nil
}

// apiResidual is a partner's residual risk as the API and the partner page
// show it: the rule's outcome with its reasons and the gap in words, in
// the request's language.
type apiResidual struct {
	Tier         string          `json:"tier"`
	Inherent     string          `json:"inherent"`
	Result       string          `json:"result"`
	AssessmentID string          `json:"assessment_id"`
	Percent      int             `json:"percent"`
	Gap          apiGap          `json:"gap"`
	OpenHigh     int             `json:"open_high_findings"`
	Overdue      int             `json:"overdue_remediations"`
	Reasons      []apiReasonText `json:"reasons"`
}

type apiGap struct {
	renkei.LevelGap
	Text string `json:"text"`
}

type apiReasonText struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

func toAPIResidual(lang string, rr renkei.ResidualRisk) apiResidual {
	out := apiResidual{Tier: rr.Tier, Inherent: rr.Inherent, Result: rr.Result, AssessmentID: rr.AssessmentID, Percent: rr.Percent,
		Gap: apiGap{LevelGap: rr.Gap, Text: gapText(lang, rr.Gap, rr.AssessmentID != "")}, OpenHigh: rr.OpenHigh, Overdue: rr.Overdue,
		Reasons: make([]apiReasonText, len(rr.Reasons))}
	for i, rs := range rr.Reasons {
		out.Reasons[i] = apiReasonText{Key: rs.Key, Text: residualReasonText(lang, rs)}
	}
	return out
}

// residualReasonText says a reason in lang; tier codes among its arguments are
// said as words.
func residualReasonText(lang string, rs renkei.Reason) string {
	args := make([]any, len(rs.Args))
	for i, a := range rs.Args {
		if s, ok := a.(string); ok && (s == renkei.TierHigh || s == renkei.TierMedium || s == renkei.TierLow) {
			a = i18n.T(lang, "residual.tier."+s)
		}
		args[i] = a
	}
	return i18n.T(lang, rs.Key, args...)
}

// gapText says the gap to the required level in words.
func gapText(lang string, g renkei.LevelGap, assessed bool) string {
	req := renkei.LevelLabel(g.Required)
	switch {
	case !assessed:
		return i18n.T(lang, "gap.not_assessed", req)
	case g.Required == "":
		return i18n.T(lang, "gap.no_required")
	case !g.Measured:
		return i18n.T(lang, "gap.not_measured", req, req)
	case g.Met:
		return i18n.T(lang, "gap.met", req)
	case g.Reached == "":
		return i18n.T(lang, "gap.unmet_none", req, g.Unmet)
	}
	return i18n.T(lang, "gap.unmet", req, g.Unmet, renkei.LevelLabel(g.Reached))
}

// residualOf reads the partner's residual risk, judged on today in Japan.
func (s *Server) residualOf(r *http.Request, partnerID string) (apiResidual, error) {
	rr, err := s.cfg.Store.PartnerResidual(r.Context(), actor(r).OrgID, partnerID, renkei.TokyoDay(s.now()))
	if err != nil {
		return apiResidual{}, err
	}
	return toAPIResidual(langOf(r), rr), nil
}
