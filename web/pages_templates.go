package web

import (
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The template pages: /templates lists the built-in templates and the
// organization's own, /templates/{slug} shows one in full (every question
// with its plain help, evidence rule, condition, level and controls, the
// scoring and the bands), /templates/{slug}/json downloads it as a file of
// the documented format, and /templates/import reads such a file back
// (upload → preview → save). Turning an own Excel checksheet into a
// template is in pages_templates_checksheet.go.

// templateRow is one line of the list.
type templateRow struct {
	Slug, Kind, Title  string
	Version, Questions int
	Levels             string // the level names, in order
}

func templateRowOf(t *renkei.Template, lang string) templateRow {
	names := make([]string, len(t.Levels))
	for i, l := range t.Levels {
		names[i] = l.Name.Label(lang)
	}
	return templateRow{Slug: t.Slug, Kind: t.Kind, Title: t.Title.Label(lang), Version: t.Version, Questions: t.QuestionCount(),
		Levels: strings.Join(names, ", ")}
}

func (s *Server) templatesList(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	var builtin, own []templateRow
	for _, t := range renkei.BuiltinTemplates() {
		builtin = append(builtin, templateRowOf(t, langOf(r)))
	}
	sts, err := s.cfg.Store.ListOrgTemplates(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	for i := range sts {
		row := templateRowOf(sts[i].Template, langOf(r))
		row.Slug, row.Version, row.Kind = sts[i].Slug, sts[i].Version, renkei.TemplateOrg
		own = append(own, row)
	}
	s.render(w, r, http.StatusOK, "templates", &pageData{Title: "templates_web.list.title", Section: "assessments",
		Data: map[string]any{"Builtin": builtin, "Own": own}})
	return nil
}

// templateView is the detail page.
type templateView struct {
	T        *renkei.Template
	Controls map[string]renkei.Control // the controls its questions name
	Versions []int                     // the organization's versions, newest first
}

func (s *Server) templateDetail(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	version, err := templateVersion(r)
	if err != nil {
		return err
	}
	t, err := s.findTemplate(r, a.OrgID, r.PathValue("slug"), version)
	if err != nil {
		return err
	}
	v := &templateView{T: t, Controls: map[string]renkei.Control{}}
	for _, q := range t.Questions() {
		for _, id := range q.Controls {
			if c, ok := renkei.LookupControl(id); ok {
				v.Controls[id] = c
			}
		}
	}
	if t.Kind == renkei.TemplateOrg {
		for n := t.Version; n >= 1; n-- {
			v.Versions = append(v.Versions, n)
		}
	}
	s.render(w, r, http.StatusOK, "templates_detail", &pageData{Title: "templates_web.detail.title", Section: "assessments", Data: v})
	return nil
}

// templateDownload sends the template as a file of the documented format.
func (s *Server) templateDownload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	version, err := templateVersion(r)
	if err != nil {
		return err
	}
	t, err := s.findTemplate(r, a.OrgID, r.PathValue("slug"), version)
	if err != nil {
		return err
	}
	b, err := renkei.MarshalTemplate(t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", attachmentDisposition(t.Slug+"-v"+strconv.Itoa(t.Version)+".json"))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

// pathError is one problem of an imported file, by JSON path.
type pathError struct {
	Path, Message string
}

// templateImportView is the JSON import page.
type templateImportView struct {
	FileName string
	Preview  *templateRow // the file read well: what would be saved
	Errors   []pathError
	Saved    *renkei.StoredTemplate
	HTMX     bool
	MaxSize  string
}

func (s *Server) templateImportPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	s.render(w, r, http.StatusOK, "templates_import", &pageData{Title: "templates_web.import.title", Section: "assessments",
		Data: &templateImportView{MaxSize: humanSize(renkei.MaxTemplateBytes)}})
	return nil
}

// uploadedFile reads the form's "file" part of at most max bytes; a
// missing or empty file is noFileKey.
func uploadedFile(w http.ResponseWriter, r *http.Request, max int64, tooLargeKey, noFileKey string) ([]byte, string, error) {
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, max+(1<<20))
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, "", renkei.Errorf(renkei.ETOOLARGE, tooLargeKey, humanSize(max))
			}
			return nil, "", renkei.Errorf(renkei.EINVALID, noFileKey)
		}
	}
	f, hdr, err := r.FormFile("file")
	if err != nil || hdr.Size == 0 {
		return nil, "", renkei.Errorf(renkei.EINVALID, noFileKey)
	}
	defer f.Close()
	if hdr.Size > max {
		return nil, hdr.Filename, renkei.Errorf(renkei.ETOOLARGE, tooLargeKey, humanSize(max))
	}
	b, err := io.ReadAll(f)
	return b, hdr.Filename, err
}

// templateImport checks (step=preview) or saves (step=save) an uploaded
// template file. A file that is not a template at all is a page error;
// errors inside it are listed by JSON path and nothing is saved.
func (s *Server) templateImport(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v := &templateImportView{HTMX: isHTMX(r), MaxSize: humanSize(renkei.MaxTemplateBytes)}
	pd := &pageData{Title: "templates_web.import.title", Section: "assessments", Data: v}
	b, name, err := uploadedFile(w, r, renkei.MaxTemplateBytes, "template.too_large", "templates_web.import.no_file")
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	v.FileName = name
	var t *renkei.Template
	if err == nil {
		t, err = renkei.ParseTemplate(b)
	}
	if err == nil && r.FormValue("step") == "save" {
		v.Saved, err = s.cfg.Store.SaveTemplate(r.Context(), a.OrgID, t)
	}
	switch e := formError(err); {
	case err == nil:
		row := templateRowOf(t, langOf(r))
		v.Preview = &row
	case e == nil:
		return err
	case len(e.Fields) > 0:
		v.Errors = pathErrors(langOf(r), e)
	default:
		pd.Error = e
	}
	if isHTMX(r) && r.Header.Get("HX-Target") == "import-result" {
		s.renderFragment(w, r, http.StatusOK, "templates_import", "result", pd)
		return nil
	}
	status := http.StatusOK
	if pd.Error != nil {
		status = statusOf(pd.Error.Code)
	} else if len(v.Errors) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "templates_import", pd)
	return nil
}

// pathErrors lists a file's field errors by path, in path order.
func pathErrors(lang string, e *renkei.Error) []pathError {
	out := make([]pathError, 0, len(e.Fields))
	for _, p := range slices.Sorted(maps.Keys(e.Fields)) {
		out = append(out, pathError{Path: p, Message: i18n.T(lang, e.Fields[p])})
	}
	return out
}
