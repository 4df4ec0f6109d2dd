package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/renkei/renkei"
)

const userColumns = `id, email, name, locale, time_zone, password_hash, totp_secret, totp_enabled, failed_logins, locked_until, created_at`

func scanUser(s interface{ Scan(...any) error }, extra ...any) (*renkei.User, error) {
	var u renkei.User
	var locked sql.NullTime
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Locale, &u.TimeZone, &u.PasswordHash, &u.TOTPSecret, &u.TOTPEnabled, &u.FailedLogins, &locked, &u.CreatedAt}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, notFound(err, "user")
	}
	u.LockedUntil = timePtr(locked)
	u.CreatedAt = u.CreatedAt.UTC()
	return &u, nil
}

// CreateUser adds a person. The email is unique across the installation.
func (db *DB) CreateUser(ctx context.Context, u *renkei.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.ID = NewID()
	if u.CreatedAt.IsZero() {
		u.CreatedAt = db.now()
	}
	return db.write(ctx, func(t *tx) error { return t.insertUser(ctx, u) })
}

func (t *tx) insertUser(ctx context.Context, u *renkei.User) error {
	if u.ID == "" {
		u.ID = NewID()
	}
	_, err := t.exec(ctx, `INSERT INTO users (id, email, name, locale, time_zone, password_hash, totp_secret, totp_enabled, failed_logins, created_at)
		VALUES (?, ?, ?, ?, ?, ?, '', FALSE, 0, ?)`, u.ID, u.Email, u.Name, u.Locale, u.TimeZone, u.PasswordHash, utc(u.CreatedAt))
	if renkei.ErrorCode(err) == renkei.ECONFLICT {
		return &renkei.Error{Code: renkei.ECONFLICT, Key: "error.email_taken", Fields: map[string]string{"email": "field.email_taken"}}
	} else if err != nil {
		return err
	}
	return t.audit(ctx, change{Action: "user.create", ObjectType: "user", ObjectID: u.ID, Detail: map[string]any{"email": u.Email}})
}

// UserByID returns one user.
func (db *DB) UserByID(ctx context.Context, id string) (*renkei.User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns one user by normalized address.
func (db *DB) UserByEmail(ctx context.Context, email string) (*renkei.User, error) {
	return scanUser(db.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// UpdateUserProfile changes name, language and time zone.
func (db *DB) UpdateUserProfile(ctx context.Context, u *renkei.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET name = ?, locale = ?, time_zone = ? WHERE id = ?`, u.Name, u.Locale, u.TimeZone, u.ID); err != nil {
			return err
		}
		return t.audit(ctx, change{Action: "user.update_profile", ObjectType: "user", ObjectID: u.ID, Detail: map[string]any{"locale": u.Locale, "time_zone": u.TimeZone}})
	})
}

// SetPasswordHash replaces a user's password.
func (db *DB) SetPasswordHash(ctx context.Context, userID, hash string) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?`, hash, userID); err != nil {
			return err
		}
		return t.audit(ctx, change{Action: "user.change_password", ObjectType: "user", ObjectID: userID})
	})
}

// SetTOTP stores a second-factor secret and whether it is on.
func (db *DB) SetTOTP(ctx context.Context, userID, secret string, enabled bool) error {
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE users SET totp_secret = ?, totp_enabled = ? WHERE id = ?`, secret, enabled, userID); err != nil {
			return err
		}
		action := "user.totp_pending"
		if enabled {
			action = "user.totp_enable"
		} else if secret == "" {
			action = "user.totp_disable"
		}
		return t.audit(ctx, change{Action: action, ObjectType: "user", ObjectID: userID})
	})
}

// RecordLoginFailure counts a failed sign-in in one statement, so that
// replicas counting at once do not lose failures, and locks the account at
// the limit.
func (db *DB) RecordLoginFailure(ctx context.Context, userID string, limit int, lockUntil time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(t *tx) error {
		if err := t.queryRow(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins`, userID).Scan(&n); err != nil {
			return notFound(err, "user")
		}
		if n >= limit {
			if _, err := t.exec(ctx, `UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?`, utc(lockUntil), userID); err != nil {
				return err
			}
			return t.audit(ctx, change{Action: "user.lock", ObjectType: "user", ObjectID: userID, Detail: map[string]any{"until": utc(lockUntil)}})
		}
		return nil
	})
	return n, err
}

// ResetLoginFailures clears the count after a good sign-in.
func (db *DB) ResetLoginFailures(ctx context.Context, userID string) error {
	_, err := db.exec(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)`, userID)
	return err
}

// AddMember gives a user a role in an organization.
func (db *DB) AddMember(ctx context.Context, m *renkei.Membership) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = db.now()
	}
	return db.write(ctx, func(t *tx) error { return t.insertMember(ctx, m) })
}

func (t *tx) insertMember(ctx context.Context, m *renkei.Membership) error {
	if !m.Role.Valid() {
		return renkei.Invalid(map[string]string{"role": "field.role"})
	}
	_, err := t.exec(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`, m.OrgID, m.UserID, string(m.Role), utc(m.CreatedAt))
	if renkei.ErrorCode(err) == renkei.ECONFLICT {
		return renkei.Errorf(renkei.ECONFLICT, "error.already_member")
	} else if err != nil {
		return err
	}
	return t.audit(ctx, change{OrgID: m.OrgID, Action: "member.add", ObjectType: "user", ObjectID: m.UserID, Detail: map[string]any{"role": m.Role}})
}

// Membership returns a user's role in an organization.
func (db *DB) Membership(ctx context.Context, orgID, userID string) (*renkei.Membership, error) {
	var m renkei.Membership
	err := db.queryRow(ctx, `SELECT org_id, user_id, role, created_at FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID).
		Scan(&m.OrgID, &m.UserID, &m.Role, &m.CreatedAt)
	if err != nil {
		return nil, notFound(err, "membership")
	}
	return &m, nil
}

// Memberships lists a user's organizations, oldest first.
func (db *DB) Memberships(ctx context.Context, userID string) ([]renkei.Membership, error) {
	rows, err := db.query(ctx, `SELECT org_id, user_id, role, created_at FROM memberships WHERE user_id = ? ORDER BY created_at, org_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []renkei.Membership
	for rows.Next() {
		var m renkei.Membership
		if err := rows.Scan(&m.OrgID, &m.UserID, &m.Role, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ListMembers lists an organization's people by user ID.
func (db *DB) ListMembers(ctx context.Context, orgID string, page renkei.Page) ([]renkei.Member, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := db.query(ctx, `SELECT u.id, u.email, u.name, u.locale, u.time_zone, u.password_hash, u.totp_secret, u.totp_enabled, u.failed_logins, u.locked_until, u.created_at, m.role
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? AND u.id > ? ORDER BY u.id LIMIT ?`, orgID, after, page.Limit+1)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []renkei.Member
	for rows.Next() {
		var role renkei.Role
		u, err := scanUser(rows, &role)
		if err != nil {
			return nil, "", err
		}
		out = append(out, renkei.Member{User: *u, Role: role})
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		next = renkei.EncodeCursor(out[len(out)-1].ID)
	}
	return out, next, nil
}

// SetMemberRole changes a member's role. The last admin cannot be demoted.
func (db *DB) SetMemberRole(ctx context.Context, orgID, userID string, role renkei.Role) error {
	if err := renkei.Require(ctx, orgID, renkei.PermManageUsers); err != nil {
		return err
	}
	if !role.Valid() || role == renkei.RolePartner {
		return renkei.Invalid(map[string]string{"role": "field.role"})
	}
	return db.write(ctx, func(t *tx) error {
		if role != renkei.RoleAdmin {
			if err := t.keepAnAdmin(ctx, orgID, userID); err != nil {
				return err
			}
		}
		res, err := t.exec(ctx, `UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?`, string(role), orgID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("user")
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "member.role", ObjectType: "user", ObjectID: userID, Detail: map[string]any{"role": role}})
	})
}

// RemoveMember takes a user out of an organization and ends their sessions
// and tokens there. The last admin cannot be removed.
func (db *DB) RemoveMember(ctx context.Context, orgID, userID string) error {
	if err := renkei.Require(ctx, orgID, renkei.PermManageUsers); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := t.keepAnAdmin(ctx, orgID, userID); err != nil {
			return err
		}
		res, err := t.exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("user")
		}
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE org_id = ? AND user_id = ?`, orgID, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND user_id = ? AND revoked_at IS NULL`, t.db.now(), orgID, userID); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "member.remove", ObjectType: "user", ObjectID: userID})
	})
}

// keepAnAdmin refuses a change that would leave the organization with no
// admin other than userID.
func (t *tx) keepAnAdmin(ctx context.Context, orgID, userID string) error {
	var others int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'admin' AND user_id <> ?`, orgID, userID).Scan(&others); err != nil {
		return err
	}
	var isAdmin int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'admin' AND user_id = ?`, orgID, userID).Scan(&isAdmin); err != nil {
		return err
	}
	if isAdmin > 0 && others == 0 {
		return renkei.Errorf(renkei.ECONFLICT, "error.last_admin")
	}
	return nil
}
