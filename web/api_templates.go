package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
)

// One template in the documented JSON format (docs/template-format.md):
// GET /api/v1/templates/{slug} exports it and POST /api/v1/templates
// imports it as a new version of one of the organization's own. The list
// is in api_assessments.go.

// findTemplate returns the template slug names to the organization: a
// built-in one, else a version of the organization's own (the latest when
// version is 0). Another organization's slug is not found, exactly as a
// slug that exists nowhere.
func (s *Server) findTemplate(r *http.Request, orgID, slug string, version int) (*renkei.Template, error) {
	if len(slug) > 200 || strings.IndexFunc(slug, hostileRune) >= 0 {
		// No template has such a slug (and PostgreSQL cannot even be
		// asked about a NUL).
		return nil, renkei.ErrNotFound("template")
	}
	if t, ok := renkei.BuiltinTemplate(slug); ok {
		if version != 0 && version != t.Version {
			return nil, renkei.ErrNotFound("template")
		}
		return t, nil
	}
	st, err := s.cfg.Store.OrgTemplate(r.Context(), orgID, slug, version)
	if err != nil {
		return nil, err
	}
	t := st.Template
	t.Slug, t.Version, t.Kind = st.Slug, st.Version, renkei.TemplateOrg
	return t, nil
}

// templateVersion reads ?version=N: absent is 0 (the latest).
func templateVersion(r *http.Request) (int, error) {
	v := r.URL.Query().Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, renkei.Invalid(map[string]string{"version": "templates_web.field.version"})
	}
	return n, nil
}

// apiGetTemplate is GET /api/v1/templates/{slug}: the template as a file
// of the documented format, which POST /api/v1/templates reads back.
func (s *Server) apiGetTemplate(w http.ResponseWriter, r *http.Request) error {
	version, err := templateVersion(r)
	if err != nil {
		return err
	}
	t, err := s.findTemplate(r, actor(r).OrgID, r.PathValue("slug"), version)
	if err != nil {
		return err
	}
	body, err := renkei.MarshalTemplate(t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(body)
	return err
}

// readTemplateBody reads a template file from body: at most
// MaxTemplateBytes (larger than the API's usual limit, as a template of
// 2,000 questions needs), of JSON or unstated type.
func readTemplateBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return nil, renkei.Errorf("unsupported_media_type", "error.unsupported_media_type")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, renkei.MaxTemplateBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, renkei.Errorf(renkei.ETOOLARGE, "template.too_large", renkei.MaxTemplateBytes)
	}
	return b, err
}

// apiImportTemplate is POST /api/v1/templates: a template file saved as
// the next version of the organization's template of its slug. Errors
// name their place in the file by JSON path ("sections[0].questions[2].kind").
func (s *Server) apiImportTemplate(w http.ResponseWriter, r *http.Request) error {
	body, err := readTemplateBody(w, r)
	if err != nil {
		return err
	}
	t, err := renkei.ParseTemplate(body)
	if err != nil {
		return err
	}
	st, err := s.cfg.Store.SaveTemplate(r.Context(), actor(r).OrgID, t)
	if err != nil {
		return err
	}
	created(w, toAPIStoredTemplate(st))
	return nil
}

// toAPIStoredTemplate is a stored version as the list shows it.
func toAPIStoredTemplate(st *renkei.StoredTemplate) apiTemplate {
	at := toAPITemplate(st.Template)
	at.Slug, at.Version, at.Kind = st.Slug, st.Version, renkei.TemplateOrg
	return at
}
