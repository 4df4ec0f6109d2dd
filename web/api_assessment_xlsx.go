package web

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/assessmentxlsx"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/partnerio"
)

// The Excel round trip of one assessment (assessmentxlsx): download it to
// fill in offline, upload it back. Every cell is checked; the valid answers
// are saved and the bad cells reported by reference, so that nothing typed
// is lost to one mistake. The staff API is here; the staff page is in
// pages_assessment_xlsx.go and the partner's in portal_xlsx.go, all over
// the two functions below.

// maxAssessmentXLSXBytes bounds an uploaded workbook.
const maxAssessmentXLSXBytes = 10 << 20

// xlsxCellError is one bad cell, in words.
type xlsxCellError struct {
	Cell     string `json:"cell"`
	Question string `json:"question"`
	Message  string `json:"message"`
}

// xlsxImport is what an upload did: how many answers it changed, and the
// cells it could not take.
type xlsxImport struct {
	Saved  int             `json:"saved"`
	Errors []xlsxCellError `json:"errors"`
}

// assessmentXLSX writes the assessment as a workbook in lang and returns it
// with a file name.
func (s *Server) assessmentXLSX(r *http.Request, orgID, id, lang string) ([]byte, string, error) {
	ctx := r.Context()
	a, err := s.cfg.Store.Assessment(ctx, orgID, id)
	if err != nil {
		return nil, "", err
	}
	t, err := s.cfg.Store.AssessmentTemplate(ctx, orgID, id)
	if err != nil {
		return nil, "", err
	}
	answers, err := s.answersByRef(r, orgID, id)
	if err != nil {
		return nil, "", err
	}
	meta := assessmentxlsx.Meta{AssessmentID: a.ID, DueDate: a.DueDate, Lang: lang}
	if o, err := s.cfg.Store.OrganizationByID(ctx, a.OrgID); err == nil {
		meta.OrgName = o.Name
	}
	if actor(r) != nil && actor(r).PartnerCompanyID == "" {
		// Staff: the partner's name as the organization knows it.
		if p, err := s.cfg.Store.Partner(ctx, orgID, a.PartnerID); err == nil {
			meta.PartnerName = p.Company.Name
		}
	}
	var buf bytes.Buffer
	if err := assessmentxlsx.Write(&buf, t, answers, meta); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "renkei-" + a.TemplateSlug + "-" + a.ID[:8] + ".xlsx", nil
}

// answersByRef is the assessment's answers by question ref.
func (s *Server) answersByRef(r *http.Request, orgID, id string) (map[string]renkei.Answer, error) {
	recs, err := s.cfg.Store.Answers(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	out := make(map[string]renkei.Answer, len(recs))
	for _, rec := range recs {
		out[rec.QuestionRef] = rec.Answer
	}
	return out, nil
}

// importAssessmentXLSX reads a filled-in workbook of the assessment and
// saves the answers it changes (onBehalf for staff). A file that cannot be
// read as this assessment's workbook is an error and nothing is saved; bad
// cells are listed and the other answers saved. The workbook holds no
// evidence files, so each answer keeps the file count it had; an answer the
// workbook leaves blank is kept as it was.
func (s *Server) importAssessmentXLSX(r *http.Request, orgID, id string, body io.Reader, onBehalf bool) (*xlsxImport, error) {
	t, err := s.cfg.Store.AssessmentTemplate(r.Context(), orgID, id)
	if err != nil {
		return nil, err
	}
	meta, read, cellErrs, err := assessmentxlsx.Read(body, t, maxAssessmentXLSXBytes)
	if err != nil {
		return nil, err
	}
	if err := meta.CheckAssessment(id); err != nil {
		return nil, err
	}
	old, err := s.answersByRef(r, orgID, id)
	if err != nil {
		return nil, err
	}
	var changed []renkei.AnswerInput
	for _, q := range t.Questions() {
		a, ok := read[q.Ref]
		if !ok {
			continue
		}
		a.Files = old[q.Ref].Files
		if prev, had := old[q.Ref]; had && reflect.DeepEqual(prev, a) {
			continue
		}
		changed = append(changed, renkei.AnswerInput{QuestionRef: q.Ref, Answer: a})
	}
	if len(changed) > 0 {
		if err := s.cfg.Store.SaveAnswers(r.Context(), orgID, id, changed, onBehalf); err != nil {
			return nil, err
		}
	}
	lang := langOf(r)
	out := &xlsxImport{Saved: len(changed), Errors: make([]xlsxCellError, 0, len(cellErrs))}
	for _, ce := range cellErrs {
		out.Errors = append(out.Errors, xlsxCellError{Cell: ce.Cell, Question: ce.Ref, Message: i18n.T(lang, ce.Key, ce.Args...)})
	}
	return out, nil
}

// xlsxLang is the workbook's language: ?lang= when given, else the
// request's.
func xlsxLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "ja" || l == "en" {
		return l
	}
	return langOf(r)
}

// writeXLSX sends a workbook as a download.
func writeXLSX(w http.ResponseWriter, b []byte, name string) {
	w.Header().Set("Content-Type", partnerio.ContentTypeXLSX)
	w.Header().Set("Content-Disposition", attachmentDisposition(name))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// apiGetAssessmentXLSX is GET /api/v1/assessments/{id}/xlsx.
func (s *Server) apiGetAssessmentXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	b, name, err := s.assessmentXLSX(r, actor(r).OrgID, id, xlsxLang(r))
	if err != nil {
		return err
	}
	writeXLSX(w, b, name)
	return nil
}

// apiPutAssessmentXLSX is PUT /api/v1/assessments/{id}/xlsx: the body is
// the workbook; staff answer on the partner's behalf.
func (s *Server) apiPutAssessmentXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "assessment")
	if err != nil {
		return err
	}
	switch ct := strings.ToLower(r.Header.Get("Content-Type")); {
	case ct == "", strings.HasPrefix(ct, partnerio.ContentTypeXLSX), strings.HasPrefix(ct, "application/octet-stream"):
	default:
		return renkei.Errorf("unsupported_media_type", "error.unsupported_media_type")
	}
	body := http.MaxBytesReader(w, r.Body, maxAssessmentXLSXBytes+1)
	res, err := s.importAssessmentXLSX(r, actor(r).OrgID, id, body, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
