package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/mailtmpl"
)

// Partner sign-in pages: the mailed link (GET shows a Continue button, POST
// uses the link), sign-in by mail link or password, sign-out and the
// company switch. Sign-in is rate limited per address like the staff's.

// portalLoginView is the portal's sign-in form.
type portalLoginView struct {
	Email string
	Next  string
	Sent  bool // a sign-in link was asked for: say to look in the mailbox
}

// portalLoginPage shows the sign-in form; a signed-in partner goes on.
func (s *Server) portalLoginPage(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	next := safePortalNext(r.URL.Query().Get("next"))
	if st.Actor != nil && st.Actor.PartnerCompanyID != "" {
		seeOther(w, r, next)
		return
	}
	pd := &pageData{Title: "portal.login.title", Data: portalLoginView{Next: next}, Flash: noticeOf(r)}
	if st.Expired {
		pd.Flash = "page.notice.expired"
	}
	s.render(w, r, http.StatusOK, "portal_login", pd)
}

// portalLoginSubmit signs in with a password when one is given, and
// otherwise mails a sign-in link, saying the same whether or not the
// address is known.
func (s *Server) portalLoginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	view := portalLoginView{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safePortalNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	again := func(status int, e *renkei.Error) {
		s.render(w, r, status, "portal_login", &pageData{Title: "portal.login.title", Data: view, Error: e})
	}
	if fields := required(map[string]string{"email": view.Email}); fields != nil {
		again(http.StatusBadRequest, renkei.Invalid(fields))
		return
	}
	if strings.IndexFunc(view.Email, hostileRune) >= 0 {
		again(http.StatusBadRequest, renkei.Invalid(map[string]string{"email": "field.email"}))
		return
	}
	ip := clientIP(r)
	if !s.limiter.allow(ip) {
		again(http.StatusTooManyRequests, renkei.Errorf(renkei.ERATELIMITED, "error.rate_limited"))
		return
	}
	if password == "" {
		if err := s.requestPortalSignIn(r, view.Email); err != nil {
			if e := formError(err); e != nil {
				again(statusOf(e.Code), e)
				return
			}
			s.errorPage(w, r, err)
			return
		}
		view.Sent = true
		s.render(w, r, http.StatusOK, "portal_login", &pageData{Title: "portal.login.title", Data: view})
		return
	}
	res, err := s.cfg.Accounts.PortalLogin(r.Context(), view.Email, password, ip, r.UserAgent())
	if err != nil {
		if e := formError(err); e != nil {
			again(statusOf(e.Code), e)
			return
		}
		s.errorPage(w, r, err)
		return
	}
	s.startPartnerSession(w, r, res)
	http.Redirect(w, r, view.Next, http.StatusSeeOther)
}

// requestPortalSignIn queues the sign-in mail in the user's language (the
// request's for an address nobody has).
func (s *Server) requestPortalSignIn(r *http.Request, email string) error {
	base := s.baseURL(r)
	render := func(l *renkei.PortalLink, secret string, u *renkei.User) *renkei.Mail {
		locale := mailtmpl.Locale(u.Locale)
		data := mailtmpl.PortalSignIn{
			URL:       base + renkei.PortalLinkPath(secret),
			ExpiresAt: l.ExpiresAt.In(renkei.Tokyo).Format("2006-01-02 15:04"),
			Minutes:   int(renkei.PortalSignInTTL.Minutes()),
		}
		return s.portalMail(r, "portal_signin", locale, data, data.URL)
	}
	if err := s.cfg.Accounts.RequestPortalSignIn(r.Context(), email, clientIP(r), render); err != nil {
		return err
	}
	s.cfg.WakeJobs()
	return nil
}

// portalMail renders a portal mail; a template fault must not lose the
// link, so it falls back to a plain message with it (and logs the fault).
func (s *Server) portalMail(r *http.Request, name, locale string, data any, link string) *renkei.Mail {
	subject, text, html, err := mailtmpl.Render(name, locale, data)
	if err != nil {
		s.log.ErrorContext(r.Context(), "portal mail template", "name", name, "err", err, "locale", locale)
		subject, text, html = "Renkei", link+"\n", ""
	}
	return &renkei.Mail{Subject: subject, Text: text, HTML: html, Template: name, Locale: locale}
}

// startPartnerSession ends the browser's previous session, if any (a
// session fixed before sign-in is never the one signed in), and hands it
// the new one, with the same cookie rules as staff sessions.
func (s *Server) startPartnerSession(w http.ResponseWriter, r *http.Request, res *renkei.LoginResult) {
	if st := authOf(r); st.Session != nil {
		if err := s.cfg.Store.DeleteSession(r.Context(), st.Session.ID); err != nil {
			s.log.ErrorContext(r.Context(), "end previous session", "err", err)
		}
	}
	s.setSessionCookie(w, res.Secret)
	if res.User != nil && res.User.Locale != "" {
		s.setLangCookie(w, res.User.Locale)
	}
}

// portalLinkView is the page a mailed link opens.
type portalLinkView struct {
	Secret string
	Link   *renkei.PortalLink // nil when the link cannot be used
	Email  string             // to ask for a new sign-in link
}

// openPortalLink finds the link of the path; an unknown, tampered, used or
// expired link is the same error.
func (s *Server) openPortalLink(r *http.Request) (*renkei.PortalLink, string, error) {
	secret := renkei.PortalSecretFromPath(r.PathValue("secret"))
	invalid := renkei.Errorf(renkei.ENOTFOUND, "error.portal_link_invalid")
	if secret == "" {
		return nil, "", invalid
	}
	l, err := s.cfg.Store.PortalLink(r.Context(), secret)
	if renkei.ErrorCode(err) == renkei.ENOTFOUND {
		return nil, "", invalid
	} else if err != nil {
		return nil, "", err
	}
	if l.UsedAt != nil || !s.now().Before(l.ExpiresAt) {
		return l, "", invalid
	}
	return l, secret, nil
}

// portalLinkPage shows one "Continue" button: mail scanners fetch links
// with GET, so only the POST uses the link up.
func (s *Server) portalLinkPage(w http.ResponseWriter, r *http.Request) {
	l, secret, err := s.openPortalLink(r)
	if err != nil {
		s.portalLinkFailed(w, r, l, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_link", &pageData{Title: "portal.link.title", Data: portalLinkView{Secret: secret, Link: l}})
}

// portalLinkUse uses the link and starts a partner session, then goes to
// the assessment (at the handed-over section) or the portal's list.
func (s *Server) portalLinkUse(w http.ResponseWriter, r *http.Request) {
	secret := renkei.PortalSecretFromPath(r.PathValue("secret"))
	res, l, err := s.cfg.Accounts.UsePortalLink(r.Context(), secret, langOf(r), clientIP(r), r.UserAgent())
	if err != nil {
		old, _ := s.cfg.Store.PortalLink(r.Context(), secret)
		s.portalLinkFailed(w, r, old, err)
		return
	}
	s.startPartnerSession(w, r, res)
	http.Redirect(w, r, portalLinkTarget(l), http.StatusSeeOther)
}

// portalLinkTarget is where a used link leads.
func portalLinkTarget(l *renkei.PortalLink) string {
	if l.AssessmentID == "" {
		return "/portal"
	}
	target := "/portal/assessments/" + l.AssessmentID
	if l.SectionRef != "" {
		target += "?section=" + l.SectionRef + "#section-" + l.SectionRef
	}
	return target
}

// portalLinkFailed shows the link page with the error and a form asking
// for a new sign-in link (the address prefilled when the link was real).
func (s *Server) portalLinkFailed(w http.ResponseWriter, r *http.Request, l *renkei.PortalLink, err error) {
	if renkei.ErrorCode(err) != renkei.ENOTFOUND {
		s.errorPage(w, r, err)
		return
	}
	v := portalLinkView{}
	if l != nil {
		v.Email = l.Email
	}
	s.render(w, r, http.StatusGone, "portal_link", &pageData{Title: "portal.link.title", Data: v, Error: s.coded(r, err)})
}

// portalLogout ends the partner session and returns to the portal's
// sign-in page.
func (s *Server) portalLogout(w http.ResponseWriter, r *http.Request) {
	st := authOf(r)
	if st.Session != nil {
		if err := s.cfg.Accounts.Logout(r.Context(), st.Session, clientIP(r)); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	seeOther(w, r, "/portal/login?notice=signed_out")
}

// portalSwitchCompany makes the session work for another company of the
// partner user.
func (s *Server) portalSwitchCompany(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Accounts.SwitchPartnerCompany(r.Context(), authOf(r).Session, r.PostFormValue("company_id")); err != nil {
		return err
	}
	seeOther(w, r, "/portal")
	return nil
}
