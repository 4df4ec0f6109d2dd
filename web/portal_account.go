package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
)

// The partner user's own account: name and language (mail follows the
// language too), and an optional password for signing in without a mailed
// link.

// portalAccountView is the account page.
type portalAccountView struct {
	Email       string
	Name        string
	Locale      string
	HasPassword bool
}

// portalAccount is GET /portal/account.
func (s *Server) portalAccount(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.portalAccountAgain(w, r, http.StatusOK, nil)
}

// portalAccountAgain shows the account page, with e by its fields.
func (s *Server) portalAccountAgain(w http.ResponseWriter, r *http.Request, status int, e *renkei.Error) error {
	u, err := s.cfg.Store.UserByID(r.Context(), authOf(r).User.ID)
	if err != nil {
		return err
	}
	v := portalAccountView{Email: u.Email, Name: u.Name, Locale: u.Locale, HasPassword: u.PasswordHash != ""}
	s.render(w, r, status, "portal_account", &pageData{Title: "portal.account.title", Data: v, Error: e, Flash: portalNotice(r)})
	return nil
}

// portalAccountFailed shows a form's refusal, or returns an error no form
// can show.
func (s *Server) portalAccountFailed(w http.ResponseWriter, r *http.Request, err error) error {
	e := formError(err)
	if e == nil {
		return err
	}
	return s.portalAccountAgain(w, r, statusOf(e.Code), e)
}

// portalProfile is POST /portal/account/profile.
func (s *Server) portalProfile(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	u := *authOf(r).User
	u.Name = strings.TrimSpace(r.PostFormValue("name"))
	u.Locale = r.PostFormValue("locale")
	fields := map[string]string{}
	checkText(fields, "name", u.Name)
	err := invalid(fields)
	if err == nil {
		err = s.cfg.Store.UpdateUserProfile(r.Context(), &u)
	}
	if err != nil {
		return s.portalAccountFailed(w, r, err)
	}
	s.setLangCookie(w, u.Locale)
	seeOther(w, r, "/portal/account?notice=profile_saved")
	return nil
}

// portalPassword is POST /portal/account/password: set a first password
// (no current one is asked) or change it.
func (s *Server) portalPassword(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	current, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	fields := required(map[string]string{"new_password": next})
	if fields == nil && next != r.PostFormValue("confirm_password") {
		fields = map[string]string{"confirm_password": "page.field.password_mismatch"}
	}
	err := invalid(fields)
	if err == nil {
		err = s.cfg.Accounts.SetPortalPassword(r.Context(), authOf(r).Session, current, next)
	}
	if err != nil {
		return s.portalAccountFailed(w, r, err)
	}
	seeOther(w, r, "/portal/account?notice=password_saved")
	return nil
}
