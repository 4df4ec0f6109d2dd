package sqlstore

import (
	"context"
	"time"

	"github.com/renkei/renkei"
)

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *renkei.Session) error {
	s.ID = NewID()
	_, err := db.exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, org_id, company_id, csrf_token, mfa_pending, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.TokenHash, s.UserID, s.OrgID, s.CompanyID, s.CSRFToken, s.MFAPending, utc(s.CreatedAt), utc(s.LastSeenAt), utc(s.ExpiresAt), s.IP, s.UserAgent)
	return err
}

// SessionByTokenHash finds a session by the hash of its cookie secret.
func (db *DB) SessionByTokenHash(ctx context.Context, hash string) (*renkei.Session, error) {
	var s renkei.Session
	err := db.queryRow(ctx, `SELECT id, token_hash, user_id, org_id, company_id, csrf_token, mfa_pending, created_at, last_seen_at, expires_at, ip, user_agent
		FROM sessions WHERE token_hash = ?`, hash).
		Scan(&s.ID, &s.TokenHash, &s.UserID, &s.OrgID, &s.CompanyID, &s.CSRFToken, &s.MFAPending, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent)
	if err != nil {
		return nil, notFound(err, "session")
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

// TouchSession records use.
func (db *DB) TouchSession(ctx context.Context, id string, now time.Time) error {
	_, err := db.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, utc(now), id)
	return err
}

// UpdateSession changes the session's organization (or, for a partner
// session, company).
func (db *DB) UpdateSession(ctx context.Context, s *renkei.Session) error {
	_, err := db.exec(ctx, `UPDATE sessions SET org_id = ?, company_id = ?, mfa_pending = ? WHERE id = ?`, s.OrgID, s.CompanyID, s.MFAPending, s.ID)
	return err
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return err
}

// DeleteUserSessions ends all of a user's sessions but one.
func (db *DB) DeleteUserSessions(ctx context.Context, userID, exceptID string) error {
	_, err := db.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, exceptID)
	return err
}

// DeleteExpiredSessions removes sessions past their end; a periodic job
// calls it.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := db.now()
	res, err := db.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?`, now, now.Add(-renkei.SessionIdleTimeout))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
