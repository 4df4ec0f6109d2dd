package web

import (
	"net/http"
	"net/url"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// /campaigns/{id}: one campaign's progress and its assessments.

type campaignView struct {
	C        *renkei.Campaign
	Name     string
	Template string
	Progress progressView
	Rows     []assessmentRow
	Next     string
}

// campaignPage is GET /campaigns/{id}.
func (s *Server) campaignPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "campaign")
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	c, err := s.cfg.Store.Campaign(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	p, err := s.cfg.Store.CampaignProgress(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	v := &campaignView{C: c, Name: c.Name, Template: s.campaignTemplateName(ctx, lang, a.OrgID, c.TemplateSlug), Progress: toProgressView(p)}
	if v.Name == "" {
		v.Name = i18n.T(lang, "review.campaign.unnamed", c.DueDate)
	}
	page := renkei.Page{Limit: listPageSize, Cursor: r.URL.Query().Get("cursor")}
	if _, err := renkei.DecodeCursor(page.Cursor); err != nil {
		page.Cursor = ""
	}
	as, next, err := s.cfg.Store.ListAssessments(ctx, a.OrgID, renkei.AssessmentFilter{CampaignID: id}, page)
	if err != nil {
		return err
	}
	v.Rows = s.assessmentRows(ctx, lang, a.OrgID, renkei.TokyoDay(s.now()), as)
	if next != "" {
		v.Next = "/campaigns/" + id + "?" + url.Values{"cursor": {next}}.Encode()
	}
	s.render(w, r, http.StatusOK, "campaign_detail", &pageData{Title: "review.campaign.title", Section: "assessments", Data: v})
	return nil
}
