package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// This file holds what the server-rendered pages share: the sign-in
// guard, redirects that also work for htmx requests, form parsing, field
// errors and fragments.

// pageFunc serves a page to a signed-in member of an organization.
type pageFunc func(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error

// member guards a page: anonymous visitors go to the sign-in page (with
// next set to where they were going), people halfway through TOTP to the
// code page, people in no organization see a page that says so, and a
// member without perm gets the 403 page. perm "" lets any member in.
func (s *Server) member(perm renkei.Permission, h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := authOf(r)
		if st.Actor == nil {
			s.toLogin(w, r, st)
			return
		}
		if st.Actor.PartnerCompanyID != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			// A partner user's pages are the portal's (docs/portal.md).
			seeOther(w, r, "/portal")
			return
		}
		if st.Actor.OrgID == "" {
			s.render(w, r, http.StatusForbidden, "no_org", &pageData{Title: "page.no_org.title"})
			return
		}
		if perm != "" && !st.Actor.Role.Can(perm) {
			s.pageError(w, r, renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden"))
			return
		}
		if err := h(w, r, st.Actor); err != nil {
			s.pageError(w, r, err)
		}
	}
}

// toLogin sends a visitor without a usable session to sign in.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request, st *authState) {
	next := "/"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next = safeNext(r.URL.RequestURI())
	}
	q := url.Values{}
	if next != "/" {
		q.Set("next", next)
	}
	target := "/login"
	if st.Session != nil && st.Session.MFAPending {
		target = "/login/totp"
	} else if st.Expired {
		q.Set("notice", "expired")
	}
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	seeOther(w, r, target)
}

// isHTMX reports whether htmx sent the request (it swaps a fragment of the
// page instead of loading a new one).
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// seeOther redirects after a form post. htmx follows redirects inside its
// request, so it gets HX-Redirect instead and loads the page itself.
func seeOther(w http.ResponseWriter, r *http.Request, loc string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", loc)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// withNotice appends a notice to a local path.
func withNotice(path, notice string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "notice=" + url.QueryEscape(notice)
}

// notices are the short confirmations a redirect may ask a page to show
// (?notice=NAME); anything else in the query is ignored.
var notices = map[string]bool{
	"signed_out": true, "expired": true, "password_changed": true, "profile_saved": true,
	"totp_on": true, "totp_off": true, "org_saved": true, "invited": true, "role_changed": true,
	"member_removed": true, "token_revoked": true, "invitation_revoked": true, "saved": true, "reported": true,
	"sbom_registered": true,
}

// noticeOf returns the message key of the request's notice, or "".
func noticeOf(r *http.Request) string {
	if n := r.URL.Query().Get("notice"); notices[n] {
		return "page.notice." + n
	}
	return ""
}

// safeNext returns next when it is a path on this site, and "/" otherwise:
// never another host, scheme, protocol-relative or backslash trick, and
// never back to the sign-in pages.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, c := range next {
		if c == '\\' || unicode.IsControl(c) || unicode.IsSpace(c) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if u.Path == "/login" || strings.HasPrefix(u.Path, "/login/") || u.Path == "/logout" {
		return "/"
	}
	return next
}

// parseForm reads a form body within the size limit.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return renkei.Errorf(renkei.ETOOLARGE, "error.too_large", humanBytes(tooBig.Limit))
		}
		return renkei.Errorf(renkei.EINVALID, "error.invalid_fields")
	}
	return nil
}

// pageError shows an error: a whole page, or for htmx a notice swapped
// into the page's notice area (renkei.js lets htmx swap it).
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	if !isHTMX(r) {
		s.errorPage(w, r, err)
		return
	}
	e := s.coded(r, err)
	w.Header().Set("HX-Retarget", "#flash")
	w.Header().Set("HX-Reswap", "innerHTML")
	s.renderFragment(w, r, statusOf(e.Code), "error", "flash_error", &pageData{Error: e})
}

// FieldError returns the message key saying what is wrong with a form
// field, or "" when nothing is.
func (pd *pageData) FieldError(name string) string {
	if pd.Error == nil {
		return ""
	}
	return pd.Error.Fields[name]
}

// Can reports whether the signed-in member holds a permission, for
// showing or hiding the forms of actions.
func (pd *pageData) Can(perm string) bool {
	return pd.Actor != nil && pd.Actor.Role.Can(renkei.Permission(perm))
}

// fieldView is one labelled input, drawn by the "field" template of the
// layout with its hint and error tied to it by aria-describedby.
type fieldView struct {
	Name, Type, Label, Value, Autocomplete, Hint, Error string
	Required                                            bool
}

// Field describes an input for the "field" template: name (also its id),
// type, the message key of its label, its value and autocomplete token.
func (pd *pageData) Field(name, typ, label, value, autocomplete string) fieldView {
	return fieldView{Name: name, Type: typ, Label: label, Value: value, Autocomplete: autocomplete, Error: pd.FieldError(name), Required: true}
}

// WithHint adds the message key of a hint shown under the label.
func (f fieldView) WithHint(key string) fieldView { f.Hint = key; return f }

// Optional marks the field as not required.
func (f fieldView) Optional() fieldView { f.Required = false; return f }

// Describedby lists the ids of the hint and error of the field.
func (f fieldView) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// renameFields moves field errors to the names a page's form uses (one
// page may hold several forms with a "password" field).
func renameFields(err error, names map[string]string) error {
	var e *renkei.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &renkei.Error{Code: e.Code, Key: e.Key, Args: e.Args, Fields: map[string]string{}}
	for f, key := range e.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		out.Fields[f] = key
	}
	return out
}

// formError returns err as a coded error when it is one a form shows next
// to its fields or above them (invalid input, conflicts, lockouts), and nil
// when it should become an error page instead.
func formError(err error) *renkei.Error {
	var e *renkei.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code {
	case renkei.EINVALID, renkei.ECONFLICT, renkei.EUNAUTHORIZED, renkei.ELOCKED, renkei.ERATELIMITED, renkei.ETOOLARGE:
		return e
	}
	return nil
}

// ErrorMessage is the page's error in its language, placeholders filled.
func (pd *pageData) ErrorMessage() string {
	if pd.Error == nil {
		return ""
	}
	return i18n.T(pd.Lang, pd.Error.Key, pd.Error.Args...)
}

// Zone names the time zone the page shows times in.
func (pd *pageData) Zone() string {
	if pd.loc == nil {
		return renkei.DefaultTimeZone
	}
	return pd.loc.String()
}
