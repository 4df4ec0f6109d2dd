package sqlstore

import (
	"context"
	"database/sql"

	"github.com/renkei/renkei"
)

const invitationColumns = `id, org_id, email, role, token_hash, invited_by, created_at, expires_at, accepted_at`

func scanInvitation(s interface{ Scan(...any) error }) (*renkei.Invitation, error) {
	var inv renkei.Invitation
	var accepted sql.NullTime
	if err := s.Scan(&inv.ID, &inv.OrgID, &inv.Email, &inv.Role, &inv.TokenHash, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt, &accepted); err != nil {
		return nil, notFound(err, "invitation")
	}
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	inv.AcceptedAt = timePtr(accepted)
	return &inv, nil
}

// CreateInvitation stores the invitation and queues its mail together.
func (db *DB) CreateInvitation(ctx context.Context, inv *renkei.Invitation, m *renkei.Mail) error {
	inv.ID = NewID()
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO invitations (id, org_id, email, role, token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, inv.OrgID, inv.Email, string(inv.Role), inv.TokenHash, inv.InvitedBy, utc(inv.CreatedAt), utc(inv.ExpiresAt)); err != nil {
			return err
		}
		if err := t.queueMail(ctx, m); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: inv.OrgID, Action: "invitation.create", ObjectType: "invitation", ObjectID: inv.ID, Detail: map[string]any{"email": inv.Email, "role": inv.Role}})
	})
}

// InvitationByTokenHash finds an unrevoked invitation by its link's hash.
func (db *DB) InvitationByTokenHash(ctx context.Context, hash string) (*renkei.Invitation, error) {
	return scanInvitation(db.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ? AND revoked_at IS NULL`, hash))
}

// ListInvitations lists an organization's open invitations, newest first.
func (db *DB) ListInvitations(ctx context.Context, orgID string, page renkei.Page) ([]renkei.Invitation, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + invitationColumns + ` FROM invitations WHERE org_id = ? AND revoked_at IS NULL AND accepted_at IS NULL ORDER BY id DESC LIMIT ?`
	args := []any{orgID, page.Limit + 1}
	if after != "" {
		q = `SELECT ` + invitationColumns + ` FROM invitations WHERE org_id = ? AND revoked_at IS NULL AND accepted_at IS NULL AND id < ? ORDER BY id DESC LIMIT ?`
		args = []any{orgID, after, page.Limit + 1}
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := collect(rows, scanInvitation)
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, page.Limit, func(v *renkei.Invitation) string { return v.ID })
	return out, next, nil
}

// AcceptInvitation uses the invitation once: it marks it accepted (only if
// still open, so a link cannot be used twice) and adds the membership,
// creating the user first when newUser is given.
func (db *DB) AcceptInvitation(ctx context.Context, inv *renkei.Invitation, userID string, newUser *renkei.User) error {
	return db.write(ctx, func(t *tx) error {
		now := t.db.now()
		res, err := t.exec(ctx, `UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?`, now, inv.ID, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.Errorf(renkei.ENOTFOUND, "error.invitation_invalid")
		}
		if newUser != nil {
			if err := t.insertUser(ctx, newUser); err != nil {
				return err
			}
			userID = newUser.ID
		}
		if err := t.insertMember(ctx, &renkei.Membership{OrgID: inv.OrgID, UserID: userID, Role: inv.Role, CreatedAt: now}); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: inv.OrgID, Action: "invitation.accept", ObjectType: "invitation", ObjectID: inv.ID, Detail: map[string]any{"user_id": userID}})
	})
}

// RevokeInvitation withdraws an open invitation.
func (db *DB) RevokeInvitation(ctx context.Context, orgID, id string) error {
	if err := renkei.Require(ctx, orgID, renkei.PermManageUsers); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE invitations SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL AND accepted_at IS NULL`, t.db.now(), orgID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("invitation")
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "invitation.revoke", ObjectType: "invitation", ObjectID: id})
	})
}
