package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// Evidence files on the portal: the rule for what may be attached is the
// signed documents' (renkei.CheckDocument: PDF, PNG, JPEG, DOCX, XLSX and
// UTF-8 text, by name and content, at most 20 MB, and CheckOfficeDocument);
// the bytes go into Config.Files under a key the application makes, before
// the row that names them (files.go's order), and are deleted after it.

// portalEvidenceUpload is POST /portal/assessments/{id}/evidence?question=REF
// with the file in the multipart field "file". A refused file brings the
// page back with the reason by its question; nothing is stored.
func (s *Server) portalEvidenceUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	ref := r.URL.Query().Get("question")
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxDocumentBytes+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return s.evidenceRefused(w, r, as, ref, renkei.DocumentTooLarge())
			}
			return s.evidenceRefused(w, r, as, ref, renkei.Invalid(map[string]string{"document": "portal.evidence.no_file"}))
		}
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return s.evidenceRefused(w, r, as, ref, renkei.Invalid(map[string]string{"document": "portal.evidence.no_file"}))
	}
	defer f.Close()
	if err := s.attachPortalEvidence(r, as, ref, strings.TrimSpace(hdr.Filename), f, hdr.Size); err != nil {
		return s.evidenceRefused(w, r, as, ref, err)
	}
	seeOther(w, r, "/portal/assessments/"+as.ID+"?notice=evidence_added#q-"+ref)
	return nil
}

// attachPortalEvidence checks the file, puts it in the file store and records
// it; when recording fails the file is deleted again.
func (s *Server) attachPortalEvidence(r *http.Request, as *renkei.Assessment, ref, name string, src io.ReaderAt, size int64) error {
	id := uuid.Must(uuid.NewV7()).String()
	key := renkei.EvidenceKey(as.OrgID, as.ID, id)
	return s.storeUpload(r.Context(), key, name, src, size, func(ct string) (string, error) {
		return "", s.cfg.Store.AddEvidence(r.Context(), &renkei.Evidence{ID: id, OrgID: as.OrgID, AssessmentID: as.ID, QuestionRef: ref,
			Key: key, Name: name, ContentType: ct, Size: size})
	})
}

// evidenceRefused shows the assessment page with the reason a file was
// refused by its question (or returns an error no form can show).
func (s *Server) evidenceRefused(w http.ResponseWriter, r *http.Request, as *renkei.Assessment, ref string, err error) error {
	e := formError(err)
	if e == nil {
		return err
	}
	key := ""
	for _, k := range []string{"document", "document_name", ref, "question"} {
		if key == "" {
			key = e.Fields[k]
		}
	}
	if key == "" {
		key = e.Key
	}
	v, verr := s.portalAssessmentView(r, as, map[string]string{ref: key})
	if verr != nil {
		return verr
	}
	s.render(w, r, statusOf(e.Code), "portal_assessment", &pageData{Title: "portal.assessment.title", Data: v, Error: e})
	return nil
}

// portalEvidenceDownload is GET /portal/assessments/{id}/evidence/{eid}.
func (s *Server) portalEvidenceDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	e, err := s.cfg.Store.Evidence(r.Context(), as.OrgID, as.ID, r.PathValue("eid"))
	if err != nil {
		return err
	}
	return s.serveStoredFile(w, r, e.Key, e.Name, e.ContentType, renkei.ErrNotFound("evidence"))
}

// portalEvidenceDelete is POST /portal/assessments/{id}/evidence/{eid}/delete:
// the record goes first, then the file.
func (s *Server) portalEvidenceDelete(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	as, err := s.pathPortalAssessment(r)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	e, err := s.cfg.Store.DeleteEvidence(r.Context(), as.OrgID, as.ID, r.PathValue("eid"))
	if err != nil {
		return err
	}
	s.deleteFile(r.Context(), e.Key, "evidence deleted")
	seeOther(w, r, "/portal/assessments/"+as.ID+"?notice=evidence_deleted#q-"+e.QuestionRef)
	return nil
}
