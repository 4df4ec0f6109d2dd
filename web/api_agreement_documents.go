package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// An agreement's signed document: one file per agreement, in the file
// store (Config.Files) under a key the server makes, with its name, type
// and size in the database, which is the source of truth for them. The
// file is checked by renkei.CheckDocument (PDF, PNG, JPEG, DOCX, XLSX or
// UTF-8 text, by extension and content; at most 20 MB) and always served
// as an attachment, never shown inline.
//
// A change stores the new file first and then records it; if recording
// fails the new file is deleted, and once it succeeds the file it replaced
// is deleted (best effort: a failure is logged and leaves an unreferenced
// file, never a reference to a missing one).

// documentKey is where a new document of the agreement is kept: under the
// organization and the agreement, named by a fresh UUID, never by
// anything the user sent.
func documentKey(orgID, agreementID string) string {
	return "orgs/" + orgID + "/agreements/" + agreementID + "/" + uuid.Must(uuid.NewV7()).String()
}

// noFiles is the file store of a server configured without one.
type noFiles struct{}

var errNoFiles = errors.New("web: no file store configured (Config.Files)")

func (noFiles) Put(context.Context, string, io.Reader, int64, string) error { return errNoFiles }
func (noFiles) Open(context.Context, string) (io.ReadCloser, renkei.FileInfo, error) {
	return nil, renkei.FileInfo{}, errNoFiles
}
func (noFiles) Delete(context.Context, string) error { return errNoFiles }

// fileCleanupTimeout bounds deleting a replaced file, which goes on when
// the client has gone.
const fileCleanupTimeout = 30 * time.Second

// deleteFile deletes a file no agreement refers to any more, best effort.
func (s *Server) deleteFile(ctx context.Context, key, why string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fileCleanupTimeout)
	defer cancel()
	if err := s.cfg.Files.Delete(ctx, key); err != nil && renkei.ErrorCode(err) != renkei.ENOTFOUND {
		s.log.WarnContext(ctx, "could not delete an unreferenced file; it stays in the file store", "key", key, "why", why, "err", err)
	}
}

// attachDocument checks a file of size bytes read from src, stores it and
// records it as ag's document, then deletes the file it replaced. name is
// the file's name as the user gave it. ag is updated.
func (s *Server) attachDocument(ctx context.Context, ag *renkei.Agreement, name string, src io.ReaderAt, size int64) error {
	key := documentKey(ag.OrgID, ag.ID)
	return s.storeUpload(ctx, key, name, src, size, func(ct string) (string, error) {
		old, err := s.cfg.Store.SetAgreementDocument(ctx, ag.OrgID, ag.PartnerID, ag.ID, key, name, ct, size)
		if err == nil {
			ag.DocumentKey, ag.DocumentName, ag.DocumentContentType, ag.DocumentSize = key, name, ct, size
		}
		return old, err
	})
}

// removeDocument takes ag's document off it and deletes the file; an
// agreement without one is ENOTFOUND.
func (s *Server) removeDocument(ctx context.Context, ag *renkei.Agreement) error {
	old, err := s.cfg.Store.SetAgreementDocument(ctx, ag.OrgID, ag.PartnerID, ag.ID, "", "", "", 0)
	if err != nil {
		return err
	}
	if old == "" {
		return errNoDocument()
	}
	s.deleteFile(ctx, old, "removed")
	ag.DocumentKey, ag.DocumentName, ag.DocumentContentType, ag.DocumentSize = "", "", "", 0
	return nil
}

// deleteAgreement deletes the agreement and then its document's file.
func (s *Server) deleteAgreement(ctx context.Context, ag *renkei.Agreement) error {
	if err := s.cfg.Store.DeleteAgreement(ctx, ag.OrgID, ag.PartnerID, ag.ID); err != nil {
		return err
	}
	if ag.HasDocument() {
		s.deleteFile(ctx, ag.DocumentKey, "agreement deleted")
	}
	return nil
}

func errNoDocument() error { return renkei.Errorf(renkei.ENOTFOUND, "partners_api.document.none") }

// serveDocument sends ag's document as an attachment, in its recorded
// type, under its recorded name. Headers keep any browser from showing
// it (nosniff, attachment, a sandboxing CSP) or a cache from keeping it.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, ag *renkei.Agreement) error {
	if !ag.HasDocument() {
		return errNoDocument()
	}
	return s.serveStoredFile(w, r, ag.DocumentKey, ag.DocumentName, ag.DocumentContentType, errNoDocument())
}

// serveStoredFile sends the file under key as an attachment named name, of
// type ct (as recorded in the database); missing is the error when the
// file store has no such file (logged: a row names a missing file).
func (s *Server) serveStoredFile(w http.ResponseWriter, r *http.Request, key, name, ct string, missing error) error {
	rc, info, err := s.cfg.Files.Open(r.Context(), key)
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		s.log.ErrorContext(r.Context(), "a recorded file is missing from the file store", "key", key)
		return missing
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", attachmentDisposition(name))
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if _, err := io.Copy(w, rc); err != nil {
		// The headers are out: cut the connection rather than pass a
		// short file off as complete.
		if r.Context().Err() == nil {
			s.log.ErrorContext(r.Context(), "file download failed after it started", "key", key, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	return nil
}

// attachmentDisposition is the Content-Disposition of a download named
// name (RFC 6266): filename* with the name in UTF-8 (RFC 8187), which
// browsers use, and an ASCII filename for older clients, where each run of
// other characters becomes one "_" ("document" when nothing else is left).
func attachmentDisposition(name string) string {
	if name == "" {
		return "attachment"
	}
	asciiSafe := func(c rune) bool { return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' && c != '%' }
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if strings.ContainsFunc(ext, func(c rune) bool { return !asciiSafe(c) }) {
		base, ext = name, ""
	}
	var ascii strings.Builder
	cut := false
	for _, c := range base {
		if asciiSafe(c) {
			ascii.WriteRune(c)
			cut = false
		} else if !cut {
			ascii.WriteByte('_')
			cut = true
		}
	}
	stem := ascii.String()
	if strings.Trim(stem, "_ .") == "" {
		stem = "document"
	}
	var enc strings.Builder
	for _, b := range []byte(name) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return `attachment; filename="` + stem + ext + `"; filename*=UTF-8''` + enc.String()
}

// spoolBody copies the request body to a temporary file, so that it can
// be checked before anything is stored and stored with its size known. A
// body over limit is ETOOLARGE, whether its length was announced or not.
// The caller closes and removes the file (cleanup).
func spoolBody(r *http.Request, limit int64) (f *os.File, size int64, cleanup func(), err error) {
	if r.ContentLength > limit {
		return nil, 0, nil, renkei.DocumentTooLarge()
	}
	f, err = os.CreateTemp("", "renkei-upload-*")
	if err != nil {
		return nil, 0, nil, err
	}
	cleanup = func() {
		f.Close()
		os.Remove(f.Name())
	}
	size, err = io.Copy(f, io.LimitReader(r.Body, limit+1))
	switch {
	case err != nil:
		cleanup()
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, 0, nil, renkei.DocumentTooLarge()
		}
		// The client stopped sending, or sent a broken body.
		return nil, 0, nil, renkei.Errorf(renkei.EINVALID, "partners_api.document.unreadable")
	case size > limit:
		cleanup()
		return nil, 0, nil, renkei.DocumentTooLarge()
	}
	return f, size, cleanup, nil
}

// apiDocumentErr names, in the API, a problem with the document's name by
// the query parameter that carries it (filename).
func apiDocumentErr(err error) error {
	var e *renkei.Error
	if !errors.As(err, &e) {
		return err
	}
	if key, ok := e.Fields["document_name"]; ok {
		out := *e
		out.Fields = map[string]string{"filename": key}
		return &out
	}
	return err
}

// fileBody reads a PUT whose body is the file itself, named by
// ?filename=NAME: a form body is refused (415), the name is required, and
// the body is spooled (bounded by renkei.MaxDocumentBytes). The caller
// runs cleanup when done with the file.
func fileBody(r *http.Request) (name string, f io.ReaderAt, size int64, cleanup func(), err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" || mt == "application/x-www-form-urlencoded" {
		return "", nil, 0, nil, renkei.Errorf("unsupported_media_type", "partners_api.document.form_body")
	}
	name = strings.TrimSpace(r.URL.Query().Get("filename"))
	if name == "" {
		return "", nil, 0, nil, renkei.Invalid(map[string]string{"filename": "field.required"})
	}
	f, size, cleanup, err = spoolBody(r, renkei.MaxDocumentBytes)
	return name, f, size, cleanup, err
}

// apiPutAgreementDocument is PUT
// /api/v1/partners/{id}/agreements/{agreement_id}/document?filename=NAME:
// the body is the file itself. It answers with the agreement.
func (s *Server) apiPutAgreementDocument(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agreementOf(r)
	if err != nil {
		return err
	}
	name, f, size, cleanup, err := fileBody(r)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := s.attachDocument(r.Context(), ag, name, f, size); err != nil {
		return apiDocumentErr(err)
	}
	writeJSON(w, http.StatusOK, toAPIAgreement(ag, s.now()))
	return nil
}

// apiGetAgreementDocument is GET
// /api/v1/partners/{id}/agreements/{agreement_id}/document: the file.
func (s *Server) apiGetAgreementDocument(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agreementOf(r)
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, ag)
}

// apiDeleteAgreementDocument is DELETE
// /api/v1/partners/{id}/agreements/{agreement_id}/document.
func (s *Server) apiDeleteAgreementDocument(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agreementOf(r)
	if err != nil {
		return err
	}
	if err := s.removeDocument(r.Context(), ag); err != nil {
		return err
	}
	noContent(w)
	return nil
}
