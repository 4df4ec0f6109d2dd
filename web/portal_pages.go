package web

import (
	"context"
	"net/http"

	"github.com/renkei/renkei"
)

// The portal's list: the partner user's company's assessments from every
// organization that sent one, in plain words.

// Partner reports whether the page is shown to a partner user (the layout
// then links to the portal, not to the staff pages).
func (pd *pageData) Partner() bool { return pd.Actor != nil && pd.Actor.PartnerCompanyID != "" }

// portalItem is one assessment in the portal's list.
type portalItem struct {
	ID       string
	OrgName  string
	Title    renkei.Bilingual
	DueDate  string
	Status   string
	Progress renkei.AssessmentProgress
	Done     bool // submitted or reviewed: nothing to do
}

// portalHomeView is the portal's list page.
type portalHomeView struct {
	Items     []portalItem
	Companies []renkei.PartnerCompany // more than one: the user may switch
	Company   renkei.PartnerCompany
}

// portalHome lists the company's assessments.
func (s *Server) portalHome(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	ctx := r.Context()
	v := portalHomeView{}
	cs, err := s.cfg.Store.PartnerCompanies(ctx, a.UserID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == a.PartnerCompanyID {
			v.Company = c
		}
	}
	if len(cs) > 1 {
		v.Companies = cs
	}
	orgs := map[string]string{}
	cursor := ""
	for {
		page, next, err := s.cfg.Store.PartnerAssessments(ctx, renkei.Page{Limit: renkei.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return err
		}
		for i := range page {
			it, err := s.portalItem(ctx, &page[i], orgs)
			if err != nil {
				return err
			}
			v.Items = append(v.Items, it)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	s.render(w, r, http.StatusOK, "portal_home", &pageData{Title: "portal.home.title", Data: v, Flash: noticeOf(r)})
	return nil
}

// portalItem reads what the list shows of one assessment; orgs caches the
// organizations' names.
func (s *Server) portalItem(ctx context.Context, as *renkei.Assessment, orgs map[string]string) (portalItem, error) {
	it := portalItem{ID: as.ID, DueDate: as.DueDate, Status: as.Status}
	name, ok := orgs[as.OrgID]
	if !ok {
		o, err := s.cfg.Store.OrganizationByID(ctx, as.OrgID)
		if err != nil {
			return it, err
		}
		name = o.Name
		orgs[as.OrgID] = name
	}
	it.OrgName = name
	tpl, answers, err := s.portalAnswers(ctx, as)
	if err != nil {
		return it, err
	}
	it.Title = tpl.Title
	it.Progress = renkei.Progress(tpl, answerMap(answers))
	it.Done = as.Status == renkei.AssessmentSubmitted || as.Status == renkei.AssessmentReviewed
	return it, nil
}

// portalAnswers reads an assessment's template snapshot and its answers as
// the partner user may see them (no internal notes: the store clears them
// for partner users).
func (s *Server) portalAnswers(ctx context.Context, as *renkei.Assessment) (*renkei.Template, []renkei.AnswerRecord, error) {
	tpl, err := s.cfg.Store.AssessmentTemplate(ctx, as.OrgID, as.ID)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.cfg.Store.Answers(ctx, as.OrgID, as.ID)
	if err != nil {
		return nil, nil, err
	}
	return tpl, recs, nil
}

// answerMap indexes answers by question ref.
func answerMap(recs []renkei.AnswerRecord) map[string]renkei.Answer {
	m := make(map[string]renkei.Answer, len(recs))
	for _, rec := range recs {
		m[rec.QuestionRef] = rec.Answer
	}
	return m
}
