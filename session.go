package renkei

import (
	"context"
	"time"
)

// Session is a browser sign-in, stored in the database so that every
// replica shares it. Only a hash of the cookie value is stored.
type Session struct {
	ID        string
	TokenHash string
	UserID    string
	OrgID     string // the organization the user is working in
	// CompanyID is set for a partner session (OrgID is then empty): the
	// partner company the user is working for (portal.go).
	CompanyID  string
	CSRFToken  string
	MFAPending bool // password accepted, TOTP code still to come
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// Session lifetimes: a session ends after IdleTimeout without use, and in
// any case AbsoluteTimeout after sign-in.
const (
	SessionIdleTimeout     = 8 * time.Hour
	SessionAbsoluteTimeout = 7 * 24 * time.Hour
)

// Expired reports whether the session may no longer be used at now.
func (s *Session) Expired(now time.Time) bool {
	return !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= SessionIdleTimeout
}

// SessionStore keeps sessions.
type SessionStore interface {
	CreateSession(ctx context.Context, s *Session) error
	SessionByTokenHash(ctx context.Context, hash string) (*Session, error)
	TouchSession(ctx context.Context, id string, now time.Time) error
	UpdateSession(ctx context.Context, s *Session) error
	DeleteSession(ctx context.Context, id string) error
	DeleteUserSessions(ctx context.Context, userID, exceptID string) error
}
