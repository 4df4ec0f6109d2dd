package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// /remediations: the organization's remediation items, filtered by status,
// owner and overdue, and one item's page to change its owner, due date,
// status, notes and closure evidence (in words and as a file).

var remediationStatuses = []string{renkei.RemediationOpen, renkei.RemediationInProgress, renkei.RemediationDone, renkei.RemediationAcceptedRisk}

type remediationRow struct {
	ID, Title, PartnerName, AssessmentID, Severity, SeverityLabel, Owner, DueDate, Status, StatusLabel string
	Overdue                                                                                            bool
}

type remediationsView struct {
	Rows              []remediationRow
	Next              string
	Status, Owner     string
	Overdue, Filtered bool
	Statuses          []option
	Owners            []string
}

func (s *Server) remediationRows(r *http.Request, orgID string, ms []renkei.Remediation) []remediationRow {
	lang, today := langOf(r), renkei.TokyoDay(s.now())
	names := s.partnerNames(r.Context(), orgID)
	rows := make([]remediationRow, len(ms))
	for i := range ms {
		m := &ms[i]
		rows[i] = remediationRow{ID: m.ID, Title: m.Title, PartnerName: names.name(m.PartnerID), AssessmentID: m.AssessmentID,
			Severity: m.Severity, SeverityLabel: i18n.T(lang, "review.severity."+m.Severity), Owner: m.Owner, DueDate: m.DueDate,
			Status: m.Status, StatusLabel: i18n.T(lang, "review.remediation."+m.Status), Overdue: m.Overdue(today)}
	}
	return rows
}

// remediationsPage is GET /remediations.
func (s *Server) remediationsPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	q := r.URL.Query()
	v := &remediationsView{Status: q.Get("status"), Owner: strings.TrimSpace(q.Get("owner")), Overdue: truthy(q.Get("overdue"))}
	if !hasString(remediationStatuses, v.Status) {
		v.Status = ""
	}
	if strings.IndexFunc(v.Owner, hostileRune) >= 0 || len(v.Owner) > 200 {
		v.Owner = ""
	}
	v.Filtered = v.Status != "" || v.Owner != "" || v.Overdue
	f := renkei.RemediationFilter{Status: v.Status, Owner: v.Owner}
	if v.Overdue {
		f.OverdueOn = renkei.TokyoDay(s.now())
	}
	page := renkei.Page{Limit: listPageSize, Cursor: q.Get("cursor")}
	if _, err := renkei.DecodeCursor(page.Cursor); err != nil {
		page.Cursor = ""
	}
	ms, next, err := s.cfg.Store.ListRemediations(r.Context(), a.OrgID, f, page)
	if err != nil {
		return err
	}
	v.Rows = s.remediationRows(r, a.OrgID, ms)
	if next != "" {
		nq := url.Values{"cursor": {next}}
		for k, val := range map[string]string{"status": v.Status, "owner": v.Owner} {
			if val != "" {
				nq.Set(k, val)
			}
		}
		if v.Overdue {
			nq.Set("overdue", "1")
		}
		v.Next = "/remediations?" + nq.Encode()
	}
	v.Statuses = msgOptions(langOf(r), "review.remediation.", remediationStatuses, v.Status)
	v.Owners = s.memberEmails(r.Context(), a.OrgID)
	s.render(w, r, http.StatusOK, "remediations", &pageData{Title: "review.remediations.title", Section: "assessments", Data: v})
	return nil
}

type remediationView struct {
	M                                       *renkei.Remediation
	PartnerName, SeverityLabel, StatusLabel string
	Overdue                                 bool
	Statuses                                []option
	Owners                                  []string
	EvidenceSize, EvidenceError             string
	DocumentAccept                          string
}

func (s *Server) pathRemediation(r *http.Request, a *renkei.Actor) (*renkei.Remediation, error) {
	id, err := pathID(r, "remediation")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Remediation(r.Context(), a.OrgID, id)
}

func (s *Server) remediationView(r *http.Request, a *renkei.Actor, m *renkei.Remediation) *remediationView {
	lang := langOf(r)
	v := &remediationView{M: m, PartnerName: s.partnerNames(r.Context(), a.OrgID).name(m.PartnerID),
		SeverityLabel: i18n.T(lang, "review.severity."+m.Severity), StatusLabel: i18n.T(lang, "review.remediation."+m.Status),
		Overdue: m.Overdue(renkei.TokyoDay(s.now())), Statuses: msgOptions(lang, "review.remediation.", remediationStatuses, m.Status),
		Owners: s.memberEmails(r.Context(), a.OrgID), DocumentAccept: documentAccept}
	if m.ClosureEvidenceKey != "" {
		v.EvidenceSize = humanFileSize(m.EvidenceSize)
	}
	return v
}

func (s *Server) renderRemediation(w http.ResponseWriter, r *http.Request, status int, v *remediationView, e *renkei.Error) {
	s.render(w, r, status, "remediation", &pageData{Title: "review.remediation.title", Section: "assessments", Data: v, Error: e, Flash: reviewNotice(r)})
}

// remediationPage is GET /remediations/{id}.
func (s *Server) remediationPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	m, err := s.pathRemediation(r, a)
	if err != nil {
		return err
	}
	s.renderRemediation(w, r, http.StatusOK, s.remediationView(r, a, m), nil)
	return nil
}

// remediationSave is POST /remediations/{id}: the form's fields replace
// the item's.
func (s *Server) remediationSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	m, err := s.pathRemediation(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	fields := map[string]string{}
	for name, dst := range map[string]*string{"title": &m.Title, "owner": &m.Owner, "due_date": &m.DueDate, "status": &m.Status} {
		*dst = strings.TrimSpace(r.PostFormValue(name))
		checkText(fields, name, *dst)
	}
	for name, dst := range map[string]*string{"notes": &m.Notes, "closure_evidence": &m.ClosureEvidence} {
		*dst = strings.TrimSpace(r.PostFormValue(name))
		checkMultiline(fields, name, *dst)
	}
	err = invalid(fields)
	if err == nil {
		err = s.cfg.Store.UpdateRemediation(r.Context(), m)
	}
	if e := formError(err); e != nil {
		s.renderRemediation(w, r, statusOf(e.Code), s.remediationView(r, a, m), e)
		return nil
	} else if err != nil {
		return err
	}
	seeOther(w, r, "/remediations/"+m.ID+"?done=remediation_saved")
	return nil
}

// remediationEvidenceUpload is POST /remediations/{id}/evidence: a
// multipart form with the file in "document", checked and kept as the
// API's PUT does.
func (s *Server) remediationEvidenceUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	m, err := s.pathRemediation(r, a)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		e := formError(err)
		if e == nil {
			return err
		}
		v := s.remediationView(r, a, m)
		key := e.Fields["document"]
		if key == "" {
			key = e.Fields["document_name"]
		}
		v.EvidenceError = fieldMessage(langOf(r), key)
		if key == "" {
			v.EvidenceError = i18n.T(langOf(r), e.Key, e.Args...)
		}
		s.renderRemediation(w, r, statusOf(e.Code), v, e)
		return nil
	}
	noFile := renkei.Invalid(map[string]string{"document": "partners_web.agreement.document_no_file"})
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxDocumentBytes+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return fail(renkei.DocumentTooLarge())
			}
			return fail(noFile)
		}
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("document")
	if err != nil {
		return fail(noFile)
	}
	defer f.Close()
	if err := s.attachEvidence(r.Context(), m, strings.TrimSpace(hdr.Filename), f, hdr.Size); err != nil {
		return fail(err)
	}
	seeOther(w, r, "/remediations/"+m.ID+"?done=evidence_saved")
	return nil
}

// remediationEvidenceDownload is GET /remediations/{id}/evidence.
func (s *Server) remediationEvidenceDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	m, err := s.pathRemediation(r, a)
	if err != nil {
		return err
	}
	return s.serveEvidence(w, r, m)
}
