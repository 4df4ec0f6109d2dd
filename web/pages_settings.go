package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/totp"
)

// The settings pages. Every member may read them (except the audit log,
// which is for admins); changes to the organization need the permission,
// and each member manages their own account.

func (s *Server) settingsIndex(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	s.render(w, r, http.StatusOK, "settings", &pageData{Title: "nav.settings", Section: "settings"})
	return nil
}

// ---- Organization ----

// orgView is the organization page; Name is what the rename form shows.
type orgView struct{ Name string }

func (s *Server) settingsOrg(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	pd := &pageData{Title: "page.org.title", Section: "settings", Flash: noticeOf(r)}
	s.fillPage(r, pd)
	if pd.Org == nil {
		return renkei.ErrNotFound("organization")
	}
	pd.Data = orgView{Name: pd.Org.Name}
	s.render(w, r, http.StatusOK, "settings_org", pd)
	return nil
}

func (s *Server) settingsOrgSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	org, err := s.cfg.Store.OrganizationByID(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	o := *org
	o.Name = strings.TrimSpace(r.PostFormValue("name"))
	fields := map[string]string{}
	checkText(fields, "name", o.Name)
	err = invalid(fields)
	if err == nil {
		err = s.cfg.Store.UpdateOrganization(r.Context(), &o)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		s.render(w, r, statusOf(e.Code), "settings_org", &pageData{Title: "page.org.title", Section: "settings", Org: org, Demo: org.Demo, Data: orgView{Name: o.Name}, Error: e})
		return nil
	}
	seeOther(w, r, "/settings/organization?notice=org_saved")
	return nil
}

// ---- Users and invitations ----

// usersView is the members page.
type usersView struct {
	Members     []renkei.Member
	Cursor      string // the page shown, kept through the row forms
	Next        string
	Invitations []renkei.Invitation
	MoreInvites bool
	Roles       []renkei.Role
	InviteEmail string
	InviteRole  renkei.Role
	SelfID      string
}

func (s *Server) loadUsers(r *http.Request, a *renkei.Actor, cursor string) (*usersView, error) {
	if _, err := renkei.DecodeCursor(cursor); err != nil {
		return nil, err
	}
	ctx := r.Context()
	v := &usersView{Cursor: cursor, Roles: renkei.StaffRoles, InviteRole: renkei.RoleViewer, SelfID: a.UserID}
	var err error
	v.Members, v.Next, err = s.cfg.Store.ListMembers(ctx, a.OrgID, renkei.Page{Limit: 100, Cursor: cursor})
	if err != nil {
		return nil, err
	}
	if a.Role.Can(renkei.PermManageUsers) {
		invs, next, err := s.cfg.Store.ListInvitations(ctx, a.OrgID, renkei.Page{Limit: renkei.MaxPageLimit})
		if err != nil {
			return nil, err
		}
		now := s.now()
		for _, inv := range invs {
			if now.Before(inv.ExpiresAt) {
				v.Invitations = append(v.Invitations, inv)
			}
		}
		v.MoreInvites = next != ""
	}
	return v, nil
}

func (s *Server) settingsUsers(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v, err := s.loadUsers(r, a, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_users", &pageData{Title: "page.users.title", Section: "settings", Data: v, Flash: noticeOf(r)})
	return nil
}

// usersAgain shows the members page with an error: for htmx a notice, for
// a plain form the whole page with the error above (and by its fields).
func (s *Server) usersAgain(w http.ResponseWriter, r *http.Request, a *renkei.Actor, err error, fill func(*usersView)) error {
	e := formError(err)
	if e == nil || isHTMX(r) {
		return err
	}
	v, lerr := s.loadUsers(r, a, r.PostFormValue("cursor"))
	if lerr != nil {
		return lerr
	}
	if fill != nil {
		fill(v)
	}
	s.render(w, r, statusOf(e.Code), "settings_users", &pageData{Title: "page.users.title", Section: "settings", Data: v, Error: e})
	return nil
}

// usersDone answers a change on the members page: htmx gets the block it
// replaces and a notice; a plain form goes back to the page.
func (s *Server) usersDone(w http.ResponseWriter, r *http.Request, a *renkei.Actor, block, notice string) error {
	if !isHTMX(r) {
		back := "/settings/users"
		if c := r.PostFormValue("cursor"); c != "" {
			back += "?cursor=" + c
		}
		seeOther(w, r, withNotice(back, notice))
		return nil
	}
	v, err := s.loadUsers(r, a, r.PostFormValue("cursor"))
	if err != nil {
		return err
	}
	s.renderFragment(w, r, http.StatusOK, "settings_users", block+"_fragment", &pageData{Data: v, Flash: "page.notice." + notice})
	return nil
}

func (s *Server) settingsInvite(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	role := renkei.Role(r.PostFormValue("role"))
	fill := func(v *usersView) { v.InviteEmail, v.InviteRole = email, role }
	if _, err := s.invite(r.Context(), r, email, role); err != nil {
		if renkei.ErrorCode(err) == renkei.ECONFLICT {
			// Already a member: say so by the address.
			err = &renkei.Error{Code: renkei.ECONFLICT, Key: "error.already_member", Fields: map[string]string{"email": "error.already_member"}}
		}
		return s.usersAgain(w, r, a, err, fill)
	}
	seeOther(w, r, "/settings/users?notice=invited")
	return nil
}

func (s *Server) settingsMemberRole(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Store.SetMemberRole(r.Context(), a.OrgID, id, renkei.Role(r.PostFormValue("role"))); err != nil {
		return s.usersAgain(w, r, a, err, nil)
	}
	if id == a.UserID {
		// One's own role changed: reload the whole page, whose forms
		// depend on it.
		seeOther(w, r, "/settings/users?notice=role_changed")
		return nil
	}
	return s.usersDone(w, r, a, "members", "role_changed")
}

func (s *Server) settingsMemberRemove(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Store.RemoveMember(r.Context(), a.OrgID, id); err != nil {
		return s.usersAgain(w, r, a, err, nil)
	}
	if id == a.UserID {
		seeOther(w, r, "/")
		return nil
	}
	return s.usersDone(w, r, a, "members", "member_removed")
}

func (s *Server) settingsInvitationRevoke(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "invitation")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Store.RevokeInvitation(r.Context(), a.OrgID, id); err != nil {
		return s.usersAgain(w, r, a, err, nil)
	}
	return s.usersDone(w, r, a, "invitations", "invitation_revoked")
}

// ---- API tokens ----

// tokensView is the API tokens page.
type tokensView struct {
	Tokens  []tokenRow
	Cursor  string
	Next    string
	Name    string // the create form's value
	Secret  string // set once, on the page right after creating
	Created *renkei.APIToken
}

type tokenRow struct {
	renkei.APIToken
	Owner string // who made it, by name or address
}

func (s *Server) loadTokens(r *http.Request, a *renkei.Actor, cursor string) (*tokensView, error) {
	if _, err := renkei.DecodeCursor(cursor); err != nil {
		return nil, err
	}
	ctx := r.Context()
	list, next, err := s.cfg.Store.ListTokens(ctx, a.OrgID, renkei.Page{Limit: 100, Cursor: cursor})
	if err != nil {
		return nil, err
	}
	v := &tokensView{Cursor: cursor, Next: next}
	owners := map[string]string{}
	for _, t := range list {
		owner, ok := owners[t.UserID]
		if !ok {
			if m, err := s.cfg.Store.Member(ctx, a.OrgID, t.UserID); err == nil {
				owner = m.Name
				if owner == "" {
					owner = m.Email
				}
			} else if renkei.ErrorCode(err) != renkei.ENOTFOUND {
				return nil, err
			}
			owners[t.UserID] = owner
		}
		v.Tokens = append(v.Tokens, tokenRow{APIToken: t, Owner: owner})
	}
	return v, nil
}

func (s *Server) settingsTokens(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v, err := s.loadTokens(r, a, r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "settings_tokens", &pageData{Title: "page.tokens.title", Section: "settings", Data: v, Flash: noticeOf(r)})
	return nil
}

// settingsTokenCreate makes a token and shows its secret on this one
// response only: it is stored as a hash and cannot be shown again.
func (s *Server) settingsTokenCreate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	fields := map[string]string{}
	checkText(fields, "name", name)
	err := invalid(fields)
	var tok *renkei.APIToken
	var secret string
	if err == nil {
		tok, secret, err = s.cfg.Accounts.CreateToken(r.Context(), a.OrgID, a.UserID, name)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		v, lerr := s.loadTokens(r, a, "")
		if lerr != nil {
			return lerr
		}
		v.Name = name
		s.render(w, r, statusOf(e.Code), "settings_tokens", &pageData{Title: "page.tokens.title", Section: "settings", Data: v, Error: e})
		return nil
	}
	s.render(w, r, http.StatusCreated, "token_created", &pageData{Title: "page.token_created.title", Section: "settings",
		Data: &tokensView{Secret: secret, Created: tok}})
	return nil
}

func (s *Server) settingsTokenRevoke(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	id, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Store.RevokeToken(r.Context(), a.OrgID, id); err != nil {
		return err
	}
	if !isHTMX(r) {
		seeOther(w, r, "/settings/tokens?notice=token_revoked")
		return nil
	}
	v, err := s.loadTokens(r, a, r.PostFormValue("cursor"))
	if err != nil {
		return err
	}
	s.renderFragment(w, r, http.StatusOK, "settings_tokens", "tokens_fragment", &pageData{Data: v, Flash: "page.notice.token_revoked"})
	return nil
}

// ---- Own account ----

// zones are the time zones the account page offers, each with the key of
// its label; a user's other valid zone (set through the API) is kept.
var zones = []string{
	"Asia/Tokyo", "UTC", "Asia/Seoul", "Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong",
	"Asia/Singapore", "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Jakarta", "Asia/Manila",
	"Asia/Kolkata", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
	"America/Los_Angeles",
}

type zoneOption struct {
	ID    string
	Label string // message key, "" for a zone outside the list
}

// accountView is the account page.
type accountView struct {
	Name, Email, Locale, TimeZone string
	Zones                         []zoneOption
	TOTPEnabled                   bool
	TOTPPending                   bool
}

func (s *Server) accountView(u *renkei.User) *accountView {
	v := &accountView{Name: u.Name, Email: u.Email, Locale: u.Locale, TimeZone: u.TimeZone, TOTPEnabled: u.TOTPEnabled, TOTPPending: u.TOTPSecret != "" && !u.TOTPEnabled}
	if v.TimeZone == "" {
		v.TimeZone = renkei.DefaultTimeZone
	}
	known := false
	for _, z := range zones {
		v.Zones = append(v.Zones, zoneOption{ID: z, Label: "page.zone." + strings.ToLower(strings.NewReplacer("/", "_").Replace(z))})
		known = known || z == v.TimeZone
	}
	if !known {
		v.Zones = append(v.Zones, zoneOption{ID: v.TimeZone})
	}
	return v
}

func (s *Server) settingsAccount(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	s.render(w, r, http.StatusOK, "settings_account", &pageData{Title: "page.account.title", Section: "settings", Data: s.accountView(authOf(r).User), Flash: noticeOf(r)})
	return nil
}

// accountAgain shows the account page with a form's error; fill keeps
// what was typed.
func (s *Server) accountAgain(w http.ResponseWriter, r *http.Request, err error, fill func(*accountView)) error {
	e := formError(err)
	if e == nil {
		return err
	}
	v := s.accountView(authOf(r).User)
	if fill != nil {
		fill(v)
	}
	s.render(w, r, statusOf(e.Code), "settings_account", &pageData{Title: "page.account.title", Section: "settings", Data: v, Error: e})
	return nil
}

func (s *Server) settingsProfile(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	u := *authOf(r).User
	u.Name = strings.TrimSpace(r.PostFormValue("name"))
	u.Locale = r.PostFormValue("locale")
	u.TimeZone = r.PostFormValue("time_zone")
	fields := map[string]string{}
	checkText(fields, "name", u.Name)
	err := invalid(fields)
	if err == nil {
		err = s.cfg.Store.UpdateUserProfile(r.Context(), &u)
	}
	if err != nil {
		return s.accountAgain(w, r, err, func(v *accountView) { v.Name, v.Locale, v.TimeZone = u.Name, u.Locale, u.TimeZone })
	}
	s.setLangCookie(w, u.Locale)
	seeOther(w, r, "/settings/account?notice=profile_saved")
	return nil
}

func (s *Server) settingsPassword(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	current, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	fields := required(map[string]string{"current_password": current, "new_password": next})
	if fields == nil && next != r.PostFormValue("confirm_password") {
		fields = map[string]string{"confirm_password": "page.field.password_mismatch"}
	}
	err := invalid(fields)
	if err == nil {
		err = s.cfg.Accounts.ChangePassword(r.Context(), authOf(r).Session, current, next)
	}
	if err != nil {
		return s.accountAgain(w, r, err, nil)
	}
	seeOther(w, r, "/settings/account?notice=password_changed")
	return nil
}

func (s *Server) settingsTOTPBegin(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if _, _, err := s.cfg.Accounts.BeginTOTP(r.Context(), a.UserID); err != nil {
		return s.accountAgain(w, r, err, nil)
	}
	seeOther(w, r, "/settings/account/totp")
	return nil
}

// totpView is the page that shows a new second-factor key.
type totpView struct {
	QR     template.URL // data: URL of the PNG
	Secret string       // for typing in by hand, in groups of four
}

// settingsTOTPSetup shows the QR code of the pending key and asks for a
// code from it. Without a pending key it goes back to the account page.
func (s *Server) settingsTOTPSetup(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.totpSetupPage(w, r, http.StatusOK, nil)
}

func (s *Server) totpSetupPage(w http.ResponseWriter, r *http.Request, status int, e *renkei.Error) error {
	u := authOf(r).User
	if u.TOTPEnabled || u.TOTPSecret == "" {
		seeOther(w, r, "/settings/account")
		return nil
	}
	png, err := totp.QRPNG(totp.KeyURI(s.cfg.Accounts.Issuer, u.Email, u.TOTPSecret), 240)
	if err != nil {
		return err
	}
	v := totpView{
		QR:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Secret: groupsOf4(u.TOTPSecret),
	}
	s.render(w, r, status, "totp_setup", &pageData{Title: "page.totp_setup.title", Section: "settings", Data: v, Error: e})
	return nil
}

func groupsOf4(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *Server) settingsTOTPConfirm(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	code := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("code")), " ", "")
	if err := s.cfg.Accounts.ConfirmTOTP(r.Context(), a.UserID, code); err != nil {
		if renkei.ErrorCode(err) == renkei.EINVALID {
			return s.totpSetupPage(w, r, http.StatusBadRequest, formError(err))
		}
		if renkei.ErrorCode(err) == renkei.ECONFLICT {
			seeOther(w, r, "/settings/account")
			return nil
		}
		return err
	}
	seeOther(w, r, "/settings/account?notice=totp_on")
	return nil
}

func (s *Server) settingsTOTPDisable(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.cfg.Accounts.DisableTOTP(r.Context(), a.UserID, r.PostFormValue("totp_password")); err != nil {
		return s.accountAgain(w, r, renameFields(err, map[string]string{"password": "totp_password"}), nil)
	}
	seeOther(w, r, "/settings/account?notice=totp_off")
	return nil
}

// ---- Audit log ----

// auditView is one page of the organization's audit log.
type auditView struct {
	Entries []auditRow
	Next    string
	First   bool // the newest page
}

type auditRow struct {
	At       time.Time
	Actor    string
	Action   string // in words when the catalog knows it
	Code     string
	Object   string
	ObjectID string
	IP       string
}

func (s *Server) settingsAudit(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	if p.Limit == 0 {
		p.Limit = 50
	}
	entries, next, err := s.cfg.Store.ListAudit(r.Context(), a.OrgID, p)
	if err != nil {
		return err
	}
	lang := langOf(r)
	v := auditView{Next: next, First: p.Cursor == ""}
	for _, e := range entries {
		row := auditRow{At: e.At, Actor: e.ActorLabel, Action: e.Action, Code: e.Action, Object: e.ObjectType, ObjectID: e.ObjectID, IP: e.IP}
		if k := "page.audit.action." + e.Action; i18n.Has(lang, k) {
			row.Action = i18n.T(lang, k)
		}
		if k := "page.audit.object." + e.ObjectType; e.ObjectType != "" && i18n.Has(lang, k) {
			row.Object = i18n.T(lang, k)
		}
		if row.Actor == "" {
			row.Actor = i18n.T(lang, "page.audit.system")
		}
		v.Entries = append(v.Entries, row)
	}
	s.render(w, r, http.StatusOK, "settings_audit", &pageData{Title: "page.audit.title", Section: "settings", Data: v})
	return nil
}
