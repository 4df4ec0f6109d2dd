package renkei

import (
	"context"
	"strings"
	"time"
)

// AccountStore is what the account service needs from storage.
type AccountStore interface {
	OrganizationStore
	UserStore
	SessionStore
	TokenStore
	InvitationStore
	AuditStore
	PortalAccountStore
}

// Login policy: after MaxFailedLogins wrong passwords in a row the account
// is locked for LockoutDuration, whatever the password.
const (
	MaxFailedLogins = 5
	LockoutDuration = 15 * time.Minute
)

// Accounts signs people in and out and manages their credentials.
type Accounts struct {
	Store  AccountStore
	Hasher PasswordHasher
	TOTP   TOTP
	Now    func() time.Time
	Issuer string // shown in authenticator apps
}

func (a *Accounts) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// LoginResult is a new session and the cookie secret that names it.
type LoginResult struct {
	Session *Session
	Secret  string
	User    *User
}

// dummyHash makes a login for an unknown address cost as much as one for a
// known address, so that timing does not reveal which addresses exist.
var dummyHash string

// Login checks an email and password and starts a session. A user with
// TOTP gets a session with MFAPending set, usable only to enter the code.
// Wrong credentials all give the same EUNAUTHORIZED error.
func (a *Accounts) Login(ctx context.Context, email, password, ip, userAgent string) (*LoginResult, error) {
	u, err := a.checkPassword(ctx, email, password, ip)
	if err != nil {
		return nil, err
	}
	email = u.Email
	orgID := ""
	if ms, err := a.Store.Memberships(ctx, u.ID); err != nil {
		return nil, err
	} else if len(ms) > 0 {
		orgID = ms[0].OrgID
	}
	res, err := a.startSession(ctx, u, orgID, u.TOTPEnabled, ip, userAgent)
	if err != nil {
		return nil, err
	}
	if !u.TOTPEnabled {
		a.audit(ctx, orgID, u.ID, email, "login.success", ip, "")
	}
	return res, nil
}

// checkPassword is the password step of every sign-in (staff and portal):
// unknown address, locked account, no password set and a wrong password
// all fail alike, and failures count towards the lockout.
func (a *Accounts) checkPassword(ctx context.Context, email, password, ip string) (*User, error) {
	now := a.now()
	email, _ = NormalizeEmail(email)
	u, err := a.Store.UserByEmail(ctx, email)
	if ErrorCode(err) == ENOTFOUND {
		a.burnHash(password)
		a.audit(ctx, "", "", email, "login.failure", ip, `{"reason":"unknown_user"}`)
		return nil, Errorf(EUNAUTHORIZED, "error.bad_credentials")
	} else if err != nil {
		return nil, err
	}
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		a.audit(ctx, "", u.ID, email, "login.failure", ip, `{"reason":"locked"}`)
		return nil, Errorf(ELOCKED, "error.account_locked", u.LockedUntil.In(u.Location()).Format("2006-01-02 15:04"))
	}
	if u.PasswordHash == "" {
		// A partner user who signs in by mail link only.
		a.burnHash(password)
		a.audit(ctx, "", u.ID, email, "login.failure", ip, `{"reason":"no_password"}`)
		return nil, Errorf(EUNAUTHORIZED, "error.bad_credentials")
	}
	ok, err := a.Hasher.Verify(u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		n, err := a.Store.RecordLoginFailure(ctx, u.ID, MaxFailedLogins, now.Add(LockoutDuration))
		if err != nil {
			return nil, err
		}
		a.audit(ctx, "", u.ID, email, "login.failure", ip, `{"reason":"password"}`)
		if n >= MaxFailedLogins {
			return nil, Errorf(ELOCKED, "error.account_locked", now.Add(LockoutDuration).In(u.Location()).Format("2006-01-02 15:04"))
		}
		return nil, Errorf(EUNAUTHORIZED, "error.bad_credentials")
	}
	if err := a.Store.ResetLoginFailures(ctx, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// VerifyTOTP completes a sign-in that is waiting for a code. On success the
// session is replaced by a new one (new secret), as after any sign-in.
func (a *Accounts) VerifyTOTP(ctx context.Context, s *Session, code, ip, userAgent string) (*LoginResult, error) {
	if !s.MFAPending {
		return nil, Errorf(EINVALID, "error.totp_not_pending")
	}
	u, err := a.Store.UserByID(ctx, s.UserID)
	if err != nil {
		return nil, err
	}
	if u.LockedUntil != nil && a.now().Before(*u.LockedUntil) {
		return nil, Errorf(ELOCKED, "error.account_locked", u.LockedUntil.In(u.Location()).Format("2006-01-02 15:04"))
	}
	if !a.TOTP.Validate(strings.TrimSpace(code), u.TOTPSecret) {
		if _, err := a.Store.RecordLoginFailure(ctx, u.ID, MaxFailedLogins, a.now().Add(LockoutDuration)); err != nil {
			return nil, err
		}
		a.audit(ctx, s.OrgID, u.ID, u.Email, "login.failure", ip, `{"reason":"totp"}`)
		return nil, Invalid(map[string]string{"code": "field.totp_code"})
	}
	if err := a.Store.ResetLoginFailures(ctx, u.ID); err != nil {
		return nil, err
	}
	if err := a.Store.DeleteSession(ctx, s.ID); err != nil {
		return nil, err
	}
	res, err := a.startSession(ctx, u, s.OrgID, false, ip, userAgent)
	if err != nil {
		return nil, err
	}
	a.audit(ctx, s.OrgID, u.ID, u.Email, "login.success", ip, `{"mfa":"totp"}`)
	return res, nil
}

func (a *Accounts) startSession(ctx context.Context, u *User, orgID string, mfaPending bool, ip, ua string) (*LoginResult, error) {
	s, secret := a.newSession(u.ID, ip, ua)
	s.OrgID, s.MFAPending = orgID, mfaPending
	if err := a.Store.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	return &LoginResult{Session: s, Secret: secret, User: u}, nil
}

// newSession returns an unsaved session with a fresh secret.
func (a *Accounts) newSession(userID, ip, ua string) (*Session, string) {
	now := a.now()
	secret := NewSecret(32)
	return &Session{
		TokenHash:  HashSecret(secret),
		UserID:     userID,
		CSRFToken:  NewSecret(20),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(SessionAbsoluteTimeout),
		IP:         ip,
		UserAgent:  truncate(ua, 300),
	}, secret
}

// Logout ends a session.
func (a *Accounts) Logout(ctx context.Context, s *Session, ip string) error {
	if err := a.Store.DeleteSession(ctx, s.ID); err != nil {
		return err
	}
	a.audit(ctx, s.OrgID, s.UserID, "", "logout", ip, "")
	return nil
}

// SessionFor returns the live session named by a cookie secret, refreshing
// its last use. An unknown or expired session is EUNAUTHORIZED.
func (a *Accounts) SessionFor(ctx context.Context, secret string) (*Session, error) {
	if secret == "" {
		return nil, Errorf(EUNAUTHORIZED, "error.session_expired")
	}
	s, err := a.Store.SessionByTokenHash(ctx, HashSecret(secret))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "error.session_expired")
	} else if err != nil {
		return nil, err
	}
	now := a.now()
	if s.Expired(now) {
		_ = a.Store.DeleteSession(ctx, s.ID)
		return nil, Errorf(EUNAUTHORIZED, "error.session_expired")
	}
	// Refresh at most once a minute to keep writes off the hot path.
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := a.Store.TouchSession(ctx, s.ID, now); err != nil {
			return nil, err
		}
		s.LastSeenAt = now
	}
	return s, nil
}

// ActorForSession builds the actor of a fully signed-in session.
func (a *Accounts) ActorForSession(ctx context.Context, s *Session, ip string) (*Actor, *User, error) {
	if s.MFAPending {
		return nil, nil, Errorf(EUNAUTHORIZED, "error.totp_required")
	}
	u, err := a.Store.UserByID(ctx, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	act := &Actor{UserID: u.ID, Email: u.Email, OrgID: s.OrgID, IP: ip, Label: u.Email}
	if s.CompanyID != "" {
		return a.partnerActor(ctx, s, u, act)
	}
	if s.OrgID != "" {
		m, err := a.Store.Membership(ctx, s.OrgID, u.ID)
		if err != nil {
			return nil, nil, Errorf(EUNAUTHORIZED, "error.session_expired")
		}
		act.Role = m.Role
	}
	return act, u, nil
}

// ActorForToken resolves a bearer token to its actor. Unknown, revoked or
// malformed tokens are EUNAUTHORIZED; so is a token whose user has left the
// organization.
func (a *Accounts) ActorForToken(ctx context.Context, bearer, ip string) (*Actor, error) {
	if !strings.HasPrefix(bearer, TokenPrefix) || len(bearer) > 200 {
		return nil, Errorf(EUNAUTHORIZED, "error.bad_token")
	}
	t, err := a.Store.TokenByHash(ctx, HashSecret(bearer))
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "error.bad_token")
	} else if err != nil {
		return nil, err
	}
	if t.RevokedAt != nil {
		return nil, Errorf(EUNAUTHORIZED, "error.bad_token")
	}
	m, err := a.Store.Membership(ctx, t.OrgID, t.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "error.bad_token")
	} else if err != nil {
		return nil, err
	}
	u, err := a.Store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := a.Store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return &Actor{UserID: u.ID, Email: u.Email, OrgID: t.OrgID, Role: m.Role, TokenID: t.ID, IP: ip, Label: u.Email + " (token " + t.Name + ")"}, nil
}

// CreateUser makes a user with a password and adds them to an organization.
func (a *Accounts) CreateUser(ctx context.Context, orgID string, u *User, role Role, password string) error {
	if err := Require(ctx, orgID, PermManageUsers); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if !role.Valid() || role == RolePartner {
		return Invalid(map[string]string{"role": "field.role"})
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	h, err := a.Hasher.Hash(password)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	u.CreatedAt = a.now()
	if existing, err := a.Store.UserByEmail(ctx, u.Email); err == nil {
		*u = *existing
	} else if ErrorCode(err) != ENOTFOUND {
		return err
	} else if err := a.Store.CreateUser(ctx, u); err != nil {
		return err
	}
	return a.Store.AddMember(ctx, &Membership{OrgID: orgID, UserID: u.ID, Role: role, CreatedAt: a.now()})
}

// ChangePassword replaces the signed-in user's password after checking the
// current one, and ends their other sessions.
func (a *Accounts) ChangePassword(ctx context.Context, s *Session, current, next string) error {
	u, err := a.Store.UserByID(ctx, s.UserID)
	if err != nil {
		return err
	}
	ok, err := a.Hasher.Verify(u.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return Invalid(map[string]string{"current_password": "field.password_wrong"})
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

// BeginTOTP makes a new secret for the user to scan; it is not active until
// ConfirmTOTP sees a valid code from it.
func (a *Accounts) BeginTOTP(ctx context.Context, userID string) (secret, uri string, err error) {
	u, err := a.Store.UserByID(ctx, userID)
	if err != nil {
		return "", "", err
	}
	if u.TOTPEnabled {
		return "", "", Errorf(ECONFLICT, "error.totp_already_on")
	}
	secret, uri, err = a.TOTP.NewKey(a.Issuer, u.Email)
	if err != nil {
		return "", "", err
	}
	return secret, uri, a.Store.SetTOTP(ctx, u.ID, secret, false)
}

// ConfirmTOTP turns the second factor on once a code from the new secret
// checks out.
func (a *Accounts) ConfirmTOTP(ctx context.Context, userID, code string) error {
	u, err := a.Store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.TOTPSecret == "" || u.TOTPEnabled {
		return Errorf(ECONFLICT, "error.totp_not_pending")
	}
	if !a.TOTP.Validate(strings.TrimSpace(code), u.TOTPSecret) {
		return Invalid(map[string]string{"code": "field.totp_code"})
	}
	return a.Store.SetTOTP(ctx, u.ID, u.TOTPSecret, true)
}

// DisableTOTP turns the second factor off after checking the password.
func (a *Accounts) DisableTOTP(ctx context.Context, userID, password string) error {
	u, err := a.Store.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	ok, err := a.Hasher.Verify(u.PasswordHash, password)
	if err != nil {
		return err
	}
	if !ok {
		return Invalid(map[string]string{"password": "field.password_wrong"})
	}
	return a.Store.SetTOTP(ctx, u.ID, "", false)
}

// CreateToken makes an API token for the user in ctx's organization and
// returns the secret, which is never shown again.
func (a *Accounts) CreateToken(ctx context.Context, orgID, userID, name string) (*APIToken, string, error) {
	if err := Require(ctx, orgID, PermManageTokens); err != nil {
		return nil, "", err
	}
	if _, err := a.Store.Membership(ctx, orgID, userID); err != nil {
		return nil, "", err
	}
	secret := TokenPrefix + strings.ToLower(NewSecret(30))
	t := &APIToken{OrgID: orgID, UserID: userID, Name: name, Prefix: secret[:9], Hash: HashSecret(secret), CreatedAt: a.now()}
	if err := t.Validate(); err != nil {
		return nil, "", err
	}
	if err := a.Store.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// Invite records an invitation and queues its mail, built by render from
// the link's secret.
func (a *Accounts) Invite(ctx context.Context, orgID, email string, role Role, render func(inv *Invitation, secret string) *Mail) (*Invitation, error) {
	if err := Require(ctx, orgID, PermManageUsers); err != nil {
		return nil, err
	}
	email, ok := NormalizeEmail(email)
	fields := map[string]string{}
	if !ok {
		fields["email"] = "field.email"
	}
	if !role.Valid() || role == RolePartner {
		fields["role"] = "field.role"
	}
	if len(fields) > 0 {
		return nil, Invalid(fields)
	}
	if u, err := a.Store.UserByEmail(ctx, email); err == nil {
		if _, err := a.Store.Membership(ctx, orgID, u.ID); err == nil {
			return nil, Errorf(ECONFLICT, "error.already_member")
		}
	}
	now := a.now()
	secret := NewSecret(32)
	inv := &Invitation{OrgID: orgID, Email: email, Role: role, TokenHash: HashSecret(secret), CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
	if act := ActorFrom(ctx); act != nil {
		inv.InvitedBy = act.UserID
	}
	m := render(inv, secret)
	m.OrgID, m.To, m.CreatedAt = orgID, email, now
	if err := a.Store.CreateInvitation(ctx, inv, m); err != nil {
		return nil, err
	}
	return inv, nil
}

// OpenInvitation returns the live invitation named by a link secret.
func (a *Accounts) OpenInvitation(ctx context.Context, secret string) (*Invitation, error) {
	inv, err := a.Store.InvitationByTokenHash(ctx, HashSecret(secret))
	if err != nil {
		return nil, Errorf(ENOTFOUND, "error.invitation_invalid")
	}
	if inv.AcceptedAt != nil || !a.now().Before(inv.ExpiresAt) {
		return nil, Errorf(ENOTFOUND, "error.invitation_invalid")
	}
	return inv, nil
}

// AcceptInvitation adds the invited person to the organization. A person
// without an account sets a password and name here.
func (a *Accounts) AcceptInvitation(ctx context.Context, secret, name, password string) (*Invitation, error) {
	inv, err := a.OpenInvitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	if u, err := a.Store.UserByEmail(ctx, inv.Email); err == nil {
		return inv, a.Store.AcceptInvitation(ctx, inv, u.ID, nil)
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	u := &User{Email: inv.Email, Name: name, CreatedAt: a.now()}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	h, err := a.Hasher.Hash(password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = h
	return inv, a.Store.AcceptInvitation(ctx, inv, "", u)
}

func (a *Accounts) burnHash(password string) {
	if dummyHash == "" {
		dummyHash, _ = a.Hasher.Hash("renkei-dummy-password")
	}
	_, _ = a.Hasher.Verify(dummyHash, password)
}

// audit records sign-in events; a failure to record is not a reason to
// refuse the sign-in, but it is logged by the store.
func (a *Accounts) audit(ctx context.Context, orgID, userID, label, action, ip, detail string) {
	_ = a.Store.AppendAudit(ctx, &AuditEntry{OrgID: orgID, ActorID: userID, ActorLabel: label, Action: action, ObjectType: "user", ObjectID: userID, IP: ip, Detail: detail, At: a.now()})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
