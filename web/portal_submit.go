package web

import (
	"net/http"

	"github.com/renkei/renkei"
)

// Submitting from the portal: a confirmation page lists what is still
// missing (required answers, evidence, reused answers to confirm), each
// linked to its question; confirming submits, and the assessment page then
// shows the receipt with the time in Japan time.

// portalSubmitView is the confirmation page.
type portalSubmitView struct {
	A       *renkei.Assessment
	Title   renkei.Bilingual
	Missing []portalMissing
}

// portalMissing is one thing that keeps the assessment from being
// submitted.
type portalMissing struct {
	Ref  string
	Text renkei.Bilingual
	Why  string // message key
}

// portalSubmitCheck lists what is missing, by question order; fields, when
// given, are the store's refusal (it has the last word).
func (s *Server) portalSubmitCheck(r *http.Request, as *renkei.Assessment, fields map[string]string) (*portalSubmitView, error) {
	tpl, recs, err := s.portalAnswers(r.Context(), as)
	if err != nil {
		return nil, err
	}
	if fields == nil {
		fields = map[string]string{}
		res := renkei.Score(tpl, answerMap(recs))
		for _, ref := range res.Missing {
			fields[ref] = "answer.required"
		}
		for _, ref := range res.MissingEvidence {
			fields[ref] = "answer.evidence_required"
		}
		for _, ref := range res.Invalid {
			fields[ref] = "answer.value"
		}
		for _, ref := range renkei.UnconfirmedReused(tpl, recs) {
			if fields[ref] == "" {
				fields[ref] = "answer.reused_unconfirmed"
			}
		}
	}
	v := &portalSubmitView{A: as, Title: tpl.Title}
	for _, q := range tpl.Questions() {
		if why, ok := fields[q.Ref]; ok {
			v.Missing = append(v.Missing, portalMissing{Ref: q.Ref, Text: q.Text, Why: why})
		}
	}
	return v, nil
}

// portalSubmitPage is GET /portal/assessments/{id}/submit.
func (s *Server) portalSubmitPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if as.Status == renkei.AssessmentSubmitted || as.Status == renkei.AssessmentReviewed {
		seeOther(w, r, "/portal/assessments/"+as.ID)
		return nil
	}
	v, err := s.portalSubmitCheck(r, as, nil)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "portal_submit", &pageData{Title: "portal.submit.title", Data: v})
	return nil
}

// portalSubmit is POST /portal/assessments/{id}/submit.
func (s *Server) portalSubmit(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	_, err = s.cfg.Store.Submit(r.Context(), as.OrgID, as.ID)
	if e := formError(err); e != nil && e.Code == renkei.EINVALID {
		v, verr := s.portalSubmitCheck(r, as, e.Fields)
		if verr != nil {
			return verr
		}
		s.render(w, r, http.StatusUnprocessableEntity, "portal_submit", &pageData{Title: "portal.submit.title", Data: v, Error: e})
		return nil
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/portal/assessments/"+as.ID+"?notice=submitted")
	return nil
}
