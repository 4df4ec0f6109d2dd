package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// Agreements' signed documents on the partner page: each agreement shows
// its document with a download link; writers get a small upload form
// (multipart, with the CSRF field) to attach or replace it, and a button
// to remove it. The checks and storage are the API's
// (api_agreement_documents.go).

// documentAccept is the upload input's accept attribute.
var documentAccept = strings.Join(renkei.DocumentExtensions, ",")

// humanFileSize is a file's size as the page shows it, in the binary
// units the 20 MB limit is counted in.
func humanFileSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// agreementDocumentDownload is GET /partners/{id}/agreements/{aid}/document:
// the signed document, as an attachment.
func (s *Server) agreementDocumentDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	_, ag, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, ag)
}

// agreementDocumentUpload is POST /partners/{id}/agreements/{aid}/document:
// a multipart form with the file in "document" attaches it, replacing the
// one before. A file that is refused brings the page back with the
// reason by the agreement's upload form.
func (s *Server) agreementDocumentUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, ag, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	// The CSRF check has usually parsed the form already (up to
	// MaxUploadBytes); a request that reached here without it is parsed
	// now, a little over the document limit.
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxDocumentBytes+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return s.documentFormError(w, r, a, p, ag, renkei.DocumentTooLarge())
			}
			return s.documentFormError(w, r, a, p, ag, renkei.Invalid(map[string]string{"document": "partners_web.agreement.document_no_file"}))
		}
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("document")
	if err != nil {
		return s.documentFormError(w, r, a, p, ag, renkei.Invalid(map[string]string{"document": "partners_web.agreement.document_no_file"}))
	}
	defer f.Close()
	if err := s.attachDocument(r.Context(), ag, strings.TrimSpace(hdr.Filename), f, hdr.Size); err != nil {
		return s.documentFormError(w, r, a, p, ag, err)
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=document_attached#agreements")
	return nil
}

// documentFormError shows the partner page with err by ag's upload form;
// an error a form cannot show is returned for the error page.
func (s *Server) documentFormError(w http.ResponseWriter, r *http.Request, a *renkei.Actor, p *renkei.Partner, ag *renkei.Agreement, err error) error {
	e := formError(err)
	if e == nil {
		return err
	}
	v, lerr := s.loadPartnerView(r, a, p)
	if lerr != nil {
		return lerr
	}
	key := e.Fields["document"]
	if key == "" {
		key = e.Fields["document_name"]
	}
	msg := fieldMessage(langOf(r), key)
	if key == "" {
		msg = i18n.T(langOf(r), e.Key, e.Args...)
	}
	for i := range v.Agreements {
		if v.Agreements[i].ID == ag.ID {
			v.Agreements[i].DocumentError = msg
		}
	}
	s.renderPartner(w, r, statusOf(e.Code), v, e)
	return nil
}

// agreementDocumentRemove is POST
// /partners/{id}/agreements/{aid}/document/delete: the document is taken
// off the agreement and its file deleted.
func (s *Server) agreementDocumentRemove(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, ag, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.removeDocument(r.Context(), ag); err != nil {
		return err
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=document_removed#agreements")
	return nil
}
