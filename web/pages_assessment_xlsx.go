package web

import (
	"bytes"
	"net/http"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/assessmentxlsx"
)

// The Excel round trip for staff: GET /assessments/{id}/xlsx downloads
// the workbook, /assessments/{id}/xlsx/upload is the page to send it back
// (POST /assessments/{id}/xlsx), which shows what was saved and every bad
// cell by reference. Staff answer on the partner's behalf, recorded as
// such. The partner's pages are in portal_xlsx.go.

// xlsxPageView is the upload page, before and after an upload.
type xlsxPageView struct {
	Assessment *renkei.Assessment
	Title      renkei.Bilingual // the template's
	Base       string           // /assessments/{id} or /portal/assessments/{id}
	Result     *xlsxImport
	MaxSize    string
	Partner    bool
}

func (s *Server) assessmentXLSXDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	b, name, err := s.assessmentXLSX(r, a.OrgID, id, xlsxLang(r))
	if err != nil {
		return err
	}
	writeXLSX(w, b, name)
	return nil
}

// xlsxView reads what the upload page shows of the assessment.
func (s *Server) xlsxView(r *http.Request, orgID, id, base string) (*xlsxPageView, error) {
	as, err := s.cfg.Store.Assessment(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	t, err := s.cfg.Store.AssessmentTemplate(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	return &xlsxPageView{Assessment: as, Title: t.Title, Base: base, MaxSize: humanSize(maxAssessmentXLSXBytes)}, nil
}

func (s *Server) assessmentXLSXPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	v, err := s.xlsxView(r, a.OrgID, id, "/assessments/"+id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "xlsx_upload", &pageData{Title: "templates_web.xlsx.title", Section: "assessments", Data: v})
	return nil
}

func (s *Server) assessmentXLSXUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	return s.xlsxUpload(w, r, a.OrgID, id, "/assessments/"+id, true)
}

// xlsxUpload reads the uploaded workbook and shows the upload page with
// its result; a file that cannot be taken is shown above the form, with
// nothing saved.
func (s *Server) xlsxUpload(w http.ResponseWriter, r *http.Request, orgID, id, base string, onBehalf bool) error {
	v, err := s.xlsxView(r, orgID, id, base)
	if err != nil {
		return err
	}
	v.Partner = !onBehalf
	pd := &pageData{Title: "templates_web.xlsx.title", Data: v}
	if onBehalf {
		pd.Section = "assessments"
	}
	data, _, err := uploadedFile(w, r, maxAssessmentXLSXBytes, assessmentxlsx.KeyTooLarge, "templates_web.import.no_file")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err == nil {
		v.Result, err = s.importAssessmentXLSX(r, orgID, id, bytes.NewReader(data), onBehalf)
	}
	status := http.StatusOK
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		pd.Error, status = e, statusOf(e.Code)
	}
	if v.Result != nil && len(v.Result.Errors) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "xlsx_upload", pd)
	return nil
}
