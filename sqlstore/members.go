package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// Member returns one user with their role in orgID; a user who is not a
// member of orgID is not found.
func (db *DB) Member(ctx context.Context, orgID, userID string) (*renkei.Member, error) {
	var role renkei.Role
	u, err := scanUser(db.queryRow(ctx, `SELECT u.id, u.email, u.name, u.locale, u.time_zone, u.password_hash, u.totp_secret, u.totp_enabled, u.failed_logins, u.locked_until, u.created_at, m.role
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? AND m.user_id = ?`, orgID, userID), &role)
	if err != nil {
		return nil, err
	}
	return &renkei.Member{User: *u, Role: role}, nil
}
