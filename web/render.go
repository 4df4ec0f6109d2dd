package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pageData is what every page template receives.
type pageData struct {
	Lang    string
	Title   string // message key
	Section string // nav section to highlight
	User    *renkei.User
	Actor   *renkei.Actor
	Org     *renkei.Organization
	CSRF    string
	Flash   string // message key of a notice
	Error   *renkei.Error
	Data    any
	Demo    bool
	Version string
	loc     *time.Location
}

// templates parses the layout with each page; a page is templates/NAME.html
// defining "content" (and optionally "title"). It runs once, when New
// builds the server, not when the program starts: the CLI's commands that
// serve no pages do not pay for it.
var templates = sync.OnceValue(func() map[string]*template.Template {
	out := map[string]*template.Template{}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		out[base] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n))
	}
	return out
})

// funcs are the template helpers; "t" and "tm" are bound per request.
var funcs = template.FuncMap{
	"t":    func(key string, args ...any) string { return key },
	"time": func(t time.Time) string { return t.Format("2006-01-02 15:04") },
	"lang": func() string { return "ja" },
}

// render writes page name with data, in the request's language, times in
// the user's zone (Asia/Tokyo by default).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, pd *pageData) {
	s.renderBlock(w, r, status, name, "layout.html", pd)
}

// renderFragment writes one block of a page (an htmx swap) without the
// layout.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, status int, page, block string, pd *pageData) {
	s.renderBlock(w, r, status, page, block, pd)
}

// renderBlock executes block of page's template set with the request's
// template functions bound.
func (s *Server) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block string, pd *pageData) {
	tpl, ok := templates()[page]
	if !ok {
		s.log.Error("no such template", "name", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.fillPage(r, pd)
	tpl, err := boundTemplate(page, tpl, pd.Lang, pd.loc)
	var buf bytes.Buffer
	if err == nil {
		err = tpl.ExecuteTemplate(&buf, block, pd)
	}
	if err != nil {
		s.log.Error("render", "name", page, "block", block, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// boundTemplates holds page template sets with the request functions
// bound, by page, language and time zone, which is all those functions
// depend on. Binding clones the set, and html/template escapes a clone again
// on its first execution: done per request, that was a good part of a long
// page's cost (the portal's 153-question assessment). A bound set is safe to
// execute from several requests at once. The keys are bounded by the pages,
// the two languages and the time zones users may choose.
var boundTemplates sync.Map // boundKey → *template.Template

type boundKey struct{ page, lang, zone string }

// boundTemplate returns page's template set tpl with "t", "time" and "lang"
// bound to lang and loc.
func boundTemplate(page string, tpl *template.Template, lang string, loc *time.Location) (*template.Template, error) {
	key := boundKey{page, lang, loc.String()}
	if v, ok := boundTemplates.Load(key); ok {
		return v.(*template.Template), nil
	}
	c, err := tpl.Clone()
	if err != nil {
		return nil, err
	}
	c = c.Funcs(template.FuncMap{
		"t":    func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"time": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"lang": func() string { return lang },
	})
	v, _ := boundTemplates.LoadOrStore(key, c)
	return v.(*template.Template), nil
}

// fillPage adds what every page needs from the request.
func (s *Server) fillPage(r *http.Request, pd *pageData) {
	st := authOf(r)
	pd.Lang = langOf(r)
	pd.Version = s.cfg.Version
	pd.loc = renkei.Tokyo
	if st.Session != nil {
		pd.CSRF = st.Session.CSRFToken
	}
	if st.User != nil {
		pd.User = st.User
		pd.loc = st.User.Location()
	}
	if st.Actor != nil {
		pd.Actor = st.Actor
		if pd.Org == nil && st.Actor.OrgID != "" {
			if o, err := s.cfg.Store.OrganizationByID(r.Context(), st.Actor.OrgID); err == nil {
				pd.Org = o
				pd.Demo = o.Demo
			}
		}
	}
}

// errorPage shows an error as a page with the right status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	e := s.coded(r, err)
	s.render(w, r, statusOf(e.Code), "error", &pageData{Title: "page.error.title", Error: e})
}
