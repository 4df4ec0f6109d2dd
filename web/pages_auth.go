package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// loginView is the sign-in form.
type loginView struct {
	Email string
	Next  string
}

// loginPage shows the sign-in form; a signed-in visitor goes on to next.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	next := safeNext(r.URL.Query().Get("next"))
	if st.Actor != nil {
		seeOther(w, r, next)
		return
	}
	pd := &pageData{Title: "page.login.title", Data: loginView{Next: next}, Flash: noticeOf(r)}
	if st.Expired {
		pd.Flash = "page.notice.expired"
	}
	s.render(w, r, http.StatusOK, "login", pd)
}

// loginSubmit checks the email and password. Every success starts a new
// session (a new cookie secret), so a session fixed before sign-in is
// never the one that is signed in; the visitor's previous session ends.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	st := authOf(r)
	view := loginView{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	again := func(status int, e *renkei.Error) {
		s.render(w, r, status, "login", &pageData{Title: "page.login.title", Data: view, Error: e})
	}
	if fields := required(map[string]string{"email": view.Email, "password": password}); fields != nil {
		again(http.StatusBadRequest, renkei.Invalid(fields))
		return
	}
	ip := clientIP(r)
	if !s.limiter.allow(ip) {
		again(http.StatusTooManyRequests, renkei.Errorf(renkei.ERATELIMITED, "error.rate_limited"))
		return
	}
	res, err := s.cfg.Accounts.Login(r.Context(), view.Email, password, ip, r.UserAgent())
	if err != nil {
		if e := formError(err); e != nil {
			again(statusOf(e.Code), e)
			return
		}
		s.errorPage(w, r, err)
		return
	}
	if st.Session != nil {
		if err := s.cfg.Store.DeleteSession(r.Context(), st.Session.ID); err != nil {
			s.log.ErrorContext(r.Context(), "end previous session", "err", err)
		}
	}
	s.setSessionCookie(w, res.Secret)
	if res.Session.MFAPending {
		target := "/login/totp"
		if view.Next != "/" {
			target += "?next=" + url.QueryEscape(view.Next)
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// required returns the "required" error of each empty value, or nil.
func required(values map[string]string) map[string]string {
	var out map[string]string
	for name, v := range values {
		if strings.TrimSpace(v) == "" {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = "field.required"
		}
	}
	return out
}

// totpPage asks for the code of a sign-in waiting for it.
func (s *Server) totpPage(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	next := safeNext(r.URL.Query().Get("next"))
	if st.Actor != nil {
		seeOther(w, r, next)
		return
	}
	if st.Session == nil || !st.Session.MFAPending {
		s.toLogin(w, r, st)
		return
	}
	s.render(w, r, http.StatusOK, "login_totp", &pageData{Title: "page.totp.title", Data: loginView{Next: next}})
}

// totpSubmit checks the code and, when it is right, replaces the waiting
// session with a full one (a new cookie secret again).
func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	if st.Session == nil || !st.Session.MFAPending {
		s.toLogin(w, r, st)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	view := loginView{Next: safeNext(r.PostFormValue("next"))}
	again := func(status int, e *renkei.Error) {
		s.render(w, r, status, "login_totp", &pageData{Title: "page.totp.title", Data: view, Error: e})
	}
	ip := clientIP(r)
	if !s.limiter.allow(ip) {
		again(http.StatusTooManyRequests, renkei.Errorf(renkei.ERATELIMITED, "error.rate_limited"))
		return
	}
	code := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("code")), " ", "")
	res, err := s.cfg.Accounts.VerifyTOTP(r.Context(), st.Session, code, ip, r.UserAgent())
	if err != nil {
		if e := formError(err); e != nil {
			again(statusOf(e.Code), e)
			return
		}
		s.errorPage(w, r, err)
		return
	}
	s.setSessionCookie(w, res.Secret)
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// logout ends the session, also one still waiting for its code.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	if st.Session != nil {
		if err := s.cfg.Accounts.Logout(r.Context(), st.Session, clientIP(r)); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	seeOther(w, r, "/login?notice=signed_out")
}

// langCookieMaxAge keeps the language choice for a year.
const langCookieMaxAge = 365 * 24 * time.Hour

// setLangCookie remembers a language choice in the browser.
func (s *Server) setLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: int(langCookieMaxAge / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// switchLanguage keeps the chosen language in a cookie and, for a signed-in
// user, in their profile (mail follows it too), then returns to the page
// the switch was pressed on.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	lang := r.PostFormValue("lang")
	if !i18n.Valid(lang) {
		s.pageError(w, r, renkei.Invalid(map[string]string{"lang": "field.locale"}))
		return
	}
	s.setLangCookie(w, lang)
	if u := authOf(r).User; u != nil && u.Locale != lang {
		p := *u
		p.Locale = lang
		if err := s.cfg.Store.UpdateUserProfile(r.Context(), &p); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	seeOther(w, r, backTo(r))
}

// backTo is the local page a form was sent from (the Referer, which the
// Referrer-Policy keeps to our own origin), or "/".
func backTo(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return "/"
	}
	p := ref.EscapedPath()
	if ref.RawQuery != "" {
		p += "?" + ref.RawQuery
	}
	if strings.HasPrefix(ref.Path, "/login") {
		// Keep where the sign-in was going, not its notices.
		if n := ref.Query().Get("next"); n != "" {
			return "/login?next=" + url.QueryEscape(safeNext(n))
		}
		return "/login"
	}
	return safeNext(p)
}

// inviteView is the page of an invitation link.
type inviteView struct {
	Invitation *renkei.Invitation
	OrgName    string
	HasAccount bool // the invited address already signs in: no password to set
	Name       string
	Joined     bool
}

// openInvite loads the invitation of the link and what the page shows.
func (s *Server) openInvite(r *http.Request) (*inviteView, error) {
	inv, err := s.cfg.Accounts.OpenInvitation(r.Context(), r.PathValue("secret"))
	if err != nil {
		return nil, err
	}
	org, err := s.cfg.Store.OrganizationByID(r.Context(), inv.OrgID)
	if err != nil {
		return nil, err
	}
	v := &inviteView{Invitation: inv, OrgName: org.Name}
	if _, err := s.cfg.Store.UserByEmail(r.Context(), inv.Email); err == nil {
		v.HasAccount = true
	} else if renkei.ErrorCode(err) != renkei.ENOTFOUND {
		return nil, err
	}
	return v, nil
}

// invitePage shows whom the invitation is from and for, and the form to
// accept it.
func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.openInvite(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "invite", &pageData{Title: "page.invite.title", Data: v})
}

// inviteAccept joins the organization, creating the account when the
// address has none, then asks the person to sign in.
func (s *Server) inviteAccept(w http.ResponseWriter, r *http.Request) {
	v, err := s.openInvite(r)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	if err := s.parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Name = strings.TrimSpace(r.PostFormValue("name"))
	again := func(err error) {
		e := formError(err)
		if e == nil {
			s.errorPage(w, r, err)
			return
		}
		s.render(w, r, statusOf(e.Code), "invite", &pageData{Title: "page.invite.title", Data: v, Error: e})
	}
	password := r.PostFormValue("password")
	if !v.HasAccount {
		fields := required(map[string]string{"name": v.Name})
		if password != r.PostFormValue("password_confirm") {
			if fields == nil {
				fields = map[string]string{}
			}
			fields["password_confirm"] = "page.field.password_mismatch"
		}
		if fields != nil {
			again(renkei.Invalid(fields))
			return
		}
	}
	if _, err := s.cfg.Accounts.AcceptInvitation(r.Context(), r.PathValue("secret"), v.Name, password); err != nil {
		again(err)
		return
	}
	v.Joined = true
	s.render(w, r, http.StatusOK, "invite", &pageData{Title: "page.invite.joined_title", Data: v})
}
