package renkei

import (
	"context"
	"slices"
)

// Partner sign-in: by a mailed link (invite, sign-in, handoff) or, once the
// partner user has set one, by password. Both start a partner session: a
// session naming a company and no organization (portal.go).

// PartnerCompany is a company a partner user works for, with the name to
// show them.
type PartnerCompany struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PortalAccountStore is what partner sign-in needs from storage.
type PortalAccountStore interface {
	// PartnerCompanies returns the companies the user is tied to, by
	// name; none for a user who is no partner user.
	PartnerCompanies(ctx context.Context, userID string) ([]PartnerCompany, error)
	// ConsumePortalLink uses the open link named by secret, in one
	// transaction: it marks the link used (an unknown, used or expired link
	// is ENOTFOUND "error.portal_link_invalid"), finds the user with the
	// link's address or creates newUser with it, ties the user to the
	// link's company and stores s for them (UserID and CompanyID set here).
	ConsumePortalLink(ctx context.Context, secret string, newUser *User, s *Session) (*PortalLink, *User, error)
	// IssuePortalLinkMail stores l and the mail that carries it in one
	// transaction; render builds the mail from the link's secret.
	IssuePortalLinkMail(ctx context.Context, l *PortalLink, render func(secret string) *Mail) error
}

// UsePortalLink signs in with a mailed link: the link is used up, its
// person becomes (or already is) a partner user of its company, and a new
// partner session starts. locale is the language of a newly created user.
func (a *Accounts) UsePortalLink(ctx context.Context, secret, locale, ip, userAgent string) (*LoginResult, *PortalLink, error) {
	if PortalSecretFromPath(secret) == "" {
		return nil, nil, Errorf(ENOTFOUND, "error.portal_link_invalid")
	}
	s, cookie := a.newSession("", ip, userAgent)
	nu := &User{Locale: locale, TimeZone: DefaultTimeZone, CreatedAt: a.now()}
	l, u, err := a.Store.ConsumePortalLink(ctx, secret, nu, s)
	if err != nil {
		return nil, nil, err
	}
	a.audit(ctx, l.OrgID, u.ID, u.Email, "portal.login", ip, `{"via":"link","purpose":"`+l.Purpose+`"}`)
	return &LoginResult{Session: s, Secret: cookie, User: u}, l, nil
}

// RequestPortalSignIn mails a sign-in link to a partner user. It answers the
// same whether or not the address belongs to one (only a malformed address
// is an error), so that the form tells nobody who is a partner user.
func (a *Accounts) RequestPortalSignIn(ctx context.Context, email, ip string, render func(l *PortalLink, secret string, u *User) *Mail) error {
	email, ok := NormalizeEmail(email)
	if !ok {
		return Invalid(map[string]string{"email": "field.email"})
	}
	u, err := a.Store.UserByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND {
		a.audit(ctx, "", "", email, "portal.signin_request", ip, `{"known":false}`)
		return nil
	} else if err != nil {
		return err
	}
	cs, err := a.Store.PartnerCompanies(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		a.audit(ctx, "", u.ID, email, "portal.signin_request", ip, `{"known":false}`)
		return nil
	}
	l := &PortalLink{CompanyID: cs[0].ID, Email: email, Purpose: PortalSignIn, CreatedAt: a.now()}
	return a.Store.IssuePortalLinkMail(ctx, l, func(secret string) *Mail {
		m := render(l, secret, u)
		m.To, m.CreatedAt = email, a.now()
		return m
	})
}

// PortalLogin signs a partner user in with a password they set on their
// account page; the session works for their first company (they may switch).
// The lockout and the answers are those of the staff sign-in.
func (a *Accounts) PortalLogin(ctx context.Context, email, password, ip, userAgent string) (*LoginResult, error) {
	u, err := a.checkPassword(ctx, email, password, ip)
	if err != nil {
		return nil, err
	}
	cs, err := a.Store.PartnerCompanies(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		a.audit(ctx, "", u.ID, u.Email, "login.failure", ip, `{"reason":"not_partner"}`)
		return nil, Errorf(EUNAUTHORIZED, "error.bad_credentials")
	}
	s, secret := a.newSession(u.ID, ip, userAgent)
	s.CompanyID = cs[0].ID
	if err := a.Store.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	a.audit(ctx, "", u.ID, u.Email, "portal.login", ip, `{"via":"password"}`)
	return &LoginResult{Session: s, Secret: secret, User: u}, nil
}

// SwitchPartnerCompany makes a partner session work for another company of
// the same user.
func (a *Accounts) SwitchPartnerCompany(ctx context.Context, s *Session, companyID string) error {
	if s.CompanyID == "" {
		return Errorf(EFORBIDDEN, "error.forbidden")
	}
	cs, err := a.Store.PartnerCompanies(ctx, s.UserID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(cs, func(c PartnerCompany) bool { return c.ID == companyID }) {
		return ErrNotFound("company")
	}
	s.CompanyID = companyID
	return a.Store.UpdateSession(ctx, s)
}

// SetPortalPassword lets a partner user set a password (none is needed:
// links work) or change it (then the current one is asked), and ends their
// other sessions.
func (a *Accounts) SetPortalPassword(ctx context.Context, s *Session, current, next string) error {
	u, err := a.Store.UserByID(ctx, s.UserID)
	if err != nil {
		return err
	}
	if u.PasswordHash != "" {
		return a.ChangePassword(ctx, s, current, next)
	}
	if err := ValidatePassword(next); err != nil {
		return Invalid(map[string]string{"new_password": err.(*Error).Fields["password"]})
	}
	h, err := a.Hasher.Hash(next)
	if err != nil {
		return err
	}
	if err := a.Store.SetPasswordHash(ctx, u.ID, h); err != nil {
		return err
	}
	return a.Store.DeleteUserSessions(ctx, u.ID, s.ID)
}

// partnerActor is the actor of a partner session: Role RolePartner, the
// session's company, no organization, so that no staff permission and no
// organization's data reach it. A user no longer tied to the company has
// no session.
func (a *Accounts) partnerActor(ctx context.Context, s *Session, u *User, act *Actor) (*Actor, *User, error) {
	cs, err := a.Store.PartnerCompanies(ctx, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if !slices.ContainsFunc(cs, func(c PartnerCompany) bool { return c.ID == s.CompanyID }) {
		return nil, nil, Errorf(EUNAUTHORIZED, "error.session_expired")
	}
	act.OrgID, act.Role, act.PartnerCompanyID = "", RolePartner, s.CompanyID
	return act, u, nil
}
