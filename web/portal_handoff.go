package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// portalHandOff is POST /portal/assessments/{id}/handoff: the partner user
// hands one section to a colleague, who gets a handoff link by mail in the
// partner user's language and lands on that section.
func (s *Server) portalHandOff(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	section := r.PostFormValue("section")
	email := strings.TrimSpace(r.PostFormValue("email"))
	if strings.IndexFunc(email, hostileRune) >= 0 {
		return s.handoffRefused(w, r, as, renkei.Invalid(map[string]string{"email": "field.email"}))
	}
	tpl, err := s.cfg.Store.AssessmentTemplate(r.Context(), as.OrgID, as.ID)
	if err != nil {
		return err
	}
	org, err := s.cfg.Store.OrganizationByID(r.Context(), as.OrgID)
	if err != nil {
		return err
	}
	company := ""
	if cs, err := s.cfg.Store.PartnerCompanies(r.Context(), a.UserID); err == nil {
		for _, c := range cs {
			if c.ID == a.PartnerCompanyID {
				company = c.Name
			}
		}
	}
	from := a.Email
	if u := authOf(r).User; u != nil && u.Name != "" {
		from = u.Name
	}
	locale := mailtmpl.Locale(langOf(r))
	base := s.baseURL(r)
	render := func(l *renkei.PortalLink, secret string) *renkei.Mail {
		title := section
		for _, sec := range tpl.Sections {
			if sec.Ref == section {
				title = sec.Title.Label(locale)
			}
		}
		data := mailtmpl.PortalHandoff{
			FromName: from, CompanyName: company, OrgName: org.Name, TemplateName: tpl.Title.Label(locale),
			SectionTitle: title, DueDate: as.DueDate, URL: base + renkei.PortalLinkPath(secret),
			ExpiresAt: l.ExpiresAt.In(renkei.Tokyo).Format("2006-01-02 15:04"),
		}
		return s.portalMail(r, "portal_handoff", locale, data, data.URL)
	}
	h := &renkei.Handoff{OrgID: as.OrgID, AssessmentID: as.ID, SectionRef: section, ToEmail: email}
	if err := s.cfg.Store.HandOff(r.Context(), h, render); err != nil {
		return s.handoffRefused(w, r, as, err)
	}
	s.cfg.WakeJobs()
	seeOther(w, r, "/portal/assessments/"+as.ID+"?notice=handed_off#section-"+section)
	return nil
}

// handoffRefused shows the page again with the reason in the error summary.
func (s *Server) handoffRefused(w http.ResponseWriter, r *http.Request, as *renkei.Assessment, err error) error {
	e := formError(err)
	if e == nil {
		return err
	}
	v, verr := s.portalAssessmentView(r, as, nil)
	if verr != nil {
		return verr
	}
	s.render(w, r, statusOf(e.Code), "portal_assessment", &pageData{Title: "portal.assessment.title", Data: v, Error: e})
	return nil
}
