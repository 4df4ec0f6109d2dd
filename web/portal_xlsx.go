package web

import (
	"net/http"

	"github.com/renkei/renkei"
)

// The Excel round trip for the partner (pages_assessment_xlsx.go has the
// staff's): download the assessment, fill it in offline, upload it back.
// The assessment is found through the partner user's company, whatever
// organization sent it; answers are the partner's own (not on behalf).

func (s *Server) portalXLSXDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	b, name, err := s.assessmentXLSX(r, as.OrgID, as.ID, xlsxLang(r))
	if err != nil {
		return err
	}
	writeXLSX(w, b, name)
	return nil
}

func (s *Server) portalXLSXPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	v, err := s.xlsxView(r, as.OrgID, as.ID, "/portal/assessments/"+as.ID)
	if err != nil {
		return err
	}
	v.Partner = true
	s.render(w, r, http.StatusOK, "xlsx_upload", &pageData{Title: "templates_web.xlsx.title", Data: v})
	return nil
}

func (s *Server) portalXLSXUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	return s.xlsxUpload(w, r, as.OrgID, as.ID, "/portal/assessments/"+as.ID, false)
}
