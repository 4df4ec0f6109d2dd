package web

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// Remediation items: created from a finding, then updated until closed,
// with an optional closure evidence file kept through Config.Files like an
// agreement's signed document (same checks, same headers on download).

type remediationCreate struct {
	AssessmentID string `json:"assessment_id"`
	Question     string `json:"question"`
	Owner        string `json:"owner"`
	DueDate      string `json:"due_date"`
	Title        string `json:"title"`
	Notes        string `json:"notes"`
}

// apiCreateRemediation is POST /api/v1/remediations: one item for a
// finding of one of the organization's submitted assessments. Another
// organization's assessment is 404, as one that does not exist.
func (s *Server) apiCreateRemediation(w http.ResponseWriter, r *http.Request) error {
	var in remediationCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	aid, err := uuid.Parse(in.AssessmentID)
	if err != nil {
		fields["assessment_id"] = "field.assessment_filter_id"
	}
	if in.Question == "" {
		fields["question"] = "field.required"
	}
	checkText(fields, "question", in.Question)
	checkText(fields, "owner", in.Owner)
	checkText(fields, "title", in.Title)
	checkMultiline(fields, "notes", in.Notes)
	if err := invalid(fields); err != nil {
		return err
	}
	m := &renkei.Remediation{OrgID: actor(r).OrgID, AssessmentID: aid.String(), QuestionRef: in.Question,
		Owner: in.Owner, DueDate: in.DueDate, Title: in.Title, Notes: in.Notes}
	if err := s.cfg.Store.CreateRemediation(r.Context(), m); err != nil {
		return err
	}
	created(w, toAPIRemediation(m))
	return nil
}

// apiGetRemediation is GET /api/v1/remediations/{id}.
func (s *Server) apiGetRemediation(w http.ResponseWriter, r *http.Request) error {
	m, err := s.remediationOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIRemediation(m))
	return nil
}

func (s *Server) remediationOf(r *http.Request) (*renkei.Remediation, error) {
	id, err := pathID(r, "remediation")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Remediation(r.Context(), actor(r).OrgID, id)
}

// remediationPatch: every field is optional; null counts as absent.
type remediationPatch struct {
	Title           *string `json:"title"`
	Owner           *string `json:"owner"`
	DueDate         *string `json:"due_date"`
	Status          *string `json:"status"`
	Notes           *string `json:"notes"`
	ClosureEvidence *string `json:"closure_evidence"`
}

func (p remediationPatch) apply(m *renkei.Remediation) map[string]string {
	fields := map[string]string{}
	set := func(dst *string, v *string, name string, multiline bool) {
		if v == nil {
			return
		}
		if multiline {
			checkMultiline(fields, name, *v)
		} else {
			checkText(fields, name, *v)
		}
		*dst = *v
	}
	set(&m.Title, p.Title, "title", false)
	set(&m.Owner, p.Owner, "owner", false)
	set(&m.DueDate, p.DueDate, "due_date", false)
	set(&m.Status, p.Status, "status", false)
	set(&m.Notes, p.Notes, "notes", true)
	set(&m.ClosureEvidence, p.ClosureEvidence, "closure_evidence", true)
	if p.Status != nil && !renkei.ValidRemediationStatus(*p.Status) {
		fields["status"] = "field.status"
	}
	return fields
}

// apiPatchRemediation is PATCH /api/v1/remediations/{id}: owner, due
// date, status, title, notes and closure evidence in words. Closing it
// (done or accepted_risk) records when.
func (s *Server) apiPatchRemediation(w http.ResponseWriter, r *http.Request) error {
	m, err := s.remediationOf(r)
	if err != nil {
		return err
	}
	var in remediationPatch
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := invalid(in.apply(m)); err != nil {
		return err
	}
	if err := s.cfg.Store.UpdateRemediation(r.Context(), m); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIRemediation(m))
	return nil
}

// evidenceKey is where a new closure evidence file of the item is kept:
// under the organization and the item, named by a fresh UUID.
func evidenceKey(orgID, remediationID string) string {
	return "orgs/" + orgID + "/remediations/" + remediationID + "/" + uuid.Must(uuid.NewV7()).String()
}

// attachEvidence checks, stores and records a closure evidence file, then
// deletes the one it replaced (the order of api_agreement_documents.go).
func (s *Server) attachEvidence(ctx context.Context, m *renkei.Remediation, name string, src io.ReaderAt, size int64) error {
	key := evidenceKey(m.OrgID, m.ID)
	return s.storeUpload(ctx, key, name, src, size, func(ct string) (string, error) {
		old, err := s.cfg.Store.SetRemediationEvidence(ctx, m.OrgID, m.ID, key, name, ct, size)
		if err == nil {
			m.ClosureEvidenceKey, m.EvidenceName, m.EvidenceType, m.EvidenceSize = key, name, ct, size
		}
		return old, err
	})
}

// apiPutRemediationEvidence is PUT
// /api/v1/remediations/{id}/evidence?filename=NAME: the body is the file.
func (s *Server) apiPutRemediationEvidence(w http.ResponseWriter, r *http.Request) error {
	m, err := s.remediationOf(r)
	if err != nil {
		return err
	}
	name, f, size, cleanup, err := fileBody(r)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := s.attachEvidence(r.Context(), m, name, f, size); err != nil {
		return apiDocumentErr(err)
	}
	writeJSON(w, http.StatusOK, toAPIRemediation(m))
	return nil
}

// apiGetRemediationEvidence is GET /api/v1/remediations/{id}/evidence:
// the file, as an attachment.
func (s *Server) apiGetRemediationEvidence(w http.ResponseWriter, r *http.Request) error {
	m, err := s.remediationOf(r)
	if err != nil {
		return err
	}
	return s.serveEvidence(w, r, m)
}

func errNoEvidence() error { return renkei.Errorf(renkei.ENOTFOUND, "review.evidence.none") }

// serveEvidence sends the item's evidence file the way serveDocument sends
// an agreement's: same headers, under its recorded name and type.
func (s *Server) serveEvidence(w http.ResponseWriter, r *http.Request, m *renkei.Remediation) error {
	if m.ClosureEvidenceKey == "" {
		return errNoEvidence()
	}
	doc := &renkei.Agreement{ID: m.ID, DocumentKey: m.ClosureEvidenceKey, DocumentName: m.EvidenceName,
		DocumentContentType: m.EvidenceType, DocumentSize: m.EvidenceSize}
	err := s.serveDocument(w, r, doc)
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		return errNoEvidence()
	}
	return err
}

// RemediationReminderMail is the renderer of the remediation reminder job
// (renkei.SendRemediationReminders): the mail in the owner's language, with
// a link to the item's page under baseURL.
func RemediationReminderMail(baseURL string) func(renkei.RemediationReminder) (*renkei.Mail, error) {
	return func(r renkei.RemediationReminder) (*renkei.Mail, error) {
		locale := mailtmpl.Locale(r.Locale)
		data := mailtmpl.RemediationReminder{OrgName: r.OrgName, PartnerName: r.PartnerName, Title: r.Remediation.Title,
			DueDate: r.Remediation.DueDate, Overdue: r.Kind == renkei.ReminderOverdue,
			URL: strings.TrimRight(baseURL, "/") + "/remediations/" + r.Remediation.ID}
		subject, text, html, err := mailtmpl.Render("remediation_reminder", locale, data)
		if err != nil {
			return nil, err
		}
		return &renkei.Mail{Subject: subject, Text: text, HTML: html, Template: "remediation_reminder", Locale: locale}, nil
	}
}
