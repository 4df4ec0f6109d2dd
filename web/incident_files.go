package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// Files on a case: staff attach them on the case page (shared with the
// partner or not), partner users in the portal; both download the files
// they may see. Checked like every attachable document (renkei.CheckDocument),
// stored under a key the application makes, recorded after the bytes are
// stored and deleted again when recording fails.

// readIncidentUpload reads the multipart field "file", bounded.
func readIncidentUpload(w http.ResponseWriter, r *http.Request) (io.ReaderAt, string, int64, func(), error) {
	// The CSRF check usually parsed the form already.
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxDocumentBytes+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, "", 0, nil, renkei.DocumentTooLarge()
			}
			return nil, "", 0, nil, renkei.Invalid(map[string]string{"document": "incidents.file_missing"})
		}
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		r.MultipartForm.RemoveAll()
		return nil, "", 0, nil, renkei.Invalid(map[string]string{"document": "incidents.file_missing"})
	}
	done := func() { f.Close(); r.MultipartForm.RemoveAll() }
	return f, strings.TrimSpace(hdr.Filename), hdr.Size, done, nil
}

// attachIncidentFile checks, stores and records a file on the case.
func (s *Server) attachIncidentFile(r *http.Request, in *renkei.Incident, name string, src io.ReaderAt, size int64, shared bool) error {
	id := uuid.Must(uuid.NewV7()).String()
	key := renkei.IncidentFileKey(in.OrgID, in.ID, id)
	return s.storeUpload(r.Context(), key, name, src, size, func(ct string) (string, error) {
		return "", s.cfg.Store.AddIncidentFile(r.Context(), &renkei.IncidentFile{ID: id, OrgID: in.OrgID, IncidentID: in.ID, Key: key,
			Name: name, ContentType: ct, Size: size, Shared: shared})
	})
}

// incidentFileUpload is POST /incidents/{id}/files.
func (s *Server) incidentFileUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	in, err := s.cfg.Store.Incident(r.Context(), a.OrgID, r.PathValue("id"))
	if err != nil {
		return err
	}
	src, name, size, done, err := readIncidentUpload(w, r)
	if err == nil {
		defer done()
		err = s.attachIncidentFile(r, in, name, src, size, r.PostFormValue("shared") == "on")
	}
	return s.afterIncidentForm(w, r, a, err)
}

// incidentFileDownload is GET /incidents/{id}/files/{fid}.
func (s *Server) incidentFileDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	f, err := s.cfg.Store.IncidentFile(r.Context(), a.OrgID, r.PathValue("id"), r.PathValue("fid"))
	if err != nil {
		return err
	}
	return s.serveStoredFile(w, r, f.Key, f.Name, f.ContentType, renkei.ErrNotFound("file"))
}

// portalIncidentFileUpload is POST /portal/incidents/{id}/files.
func (s *Server) portalIncidentFileUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	in, err := s.cfg.Store.PartnerIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	src, name, size, done, err := readIncidentUpload(w, r)
	if err == nil {
		defer done()
		err = s.attachIncidentFile(r, in, name, src, size, true)
	}
	return s.afterPortalIncidentPost(w, r, in, err)
}

// portalIncidentFileDownload is GET /portal/incidents/{id}/files/{fid}.
func (s *Server) portalIncidentFileDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	in, err := s.cfg.Store.PartnerIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.cfg.Store.IncidentFile(r.Context(), in.OrgID, in.ID, r.PathValue("fid"))
	if err != nil {
		return err
	}
	return s.serveStoredFile(w, r, f.Key, f.Name, f.ContentType, renkei.ErrNotFound("file"))
}
