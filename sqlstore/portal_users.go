package sqlstore

import (
	"context"

	"github.com/renkei/renkei"
)

// Partner users (renkei.PortalAccountStore): users tied to companies by
// partner_users, signed in by portal links.

// PartnerCompanies implements renkei.PortalAccountStore. A company has no
// name of its own (each organization keeps its own copy, company.go); the
// partner user sees the first name any organization gave it.
func (db *DB) PartnerCompanies(ctx context.Context, userID string) ([]renkei.PartnerCompany, error) {
	rows, err := db.query(ctx, `SELECT pu.company_id, COALESCE((SELECT MIN(p.name) FROM partners p WHERE p.company_id = pu.company_id), '')
		FROM partner_users pu WHERE pu.user_id = ? ORDER BY pu.created_at, pu.company_id`, userID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*renkei.PartnerCompany, error) {
		var c renkei.PartnerCompany
		return &c, r.Scan(&c.ID, &c.Name)
	})
}

// ConsumePortalLink implements renkei.PortalAccountStore.
func (db *DB) ConsumePortalLink(ctx context.Context, secret string, newUser *renkei.User, s *renkei.Session) (*renkei.PortalLink, *renkei.User, error) {
	var link *renkei.PortalLink
	var user *renkei.User
	err := db.write(ctx, func(t *tx) error {
		l, err := t.consumePortalLink(ctx, secret)
		if err != nil {
			return err
		}
		u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, l.Email))
		if renkei.ErrorCode(err) == renkei.ENOTFOUND {
			u = newUser
			u.Email = l.Email
			if err := u.Validate(); err != nil {
				return err
			}
			err = t.insertUser(ctx, u)
		}
		if err != nil {
			return err
		}
		if err := t.tiePartnerUser(ctx, u.ID, l.CompanyID, l.OrgID); err != nil {
			return err
		}
		s.UserID, s.CompanyID, s.OrgID = u.ID, l.CompanyID, ""
		s.ID = NewID()
		if _, err := t.exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, org_id, company_id, csrf_token, mfa_pending, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, '', ?, ?, FALSE, ?, ?, ?, ?, ?)`,
			s.ID, s.TokenHash, s.UserID, s.CompanyID, s.CSRFToken, utc(s.CreatedAt), utc(s.LastSeenAt), utc(s.ExpiresAt), s.IP, s.UserAgent); err != nil {
			return err
		}
		link, user = l, u
		return t.audit(ctx, change{OrgID: l.OrgID, Action: "portal_link.use", ObjectType: "portal_link", ObjectID: l.ID,
			Detail: map[string]any{"purpose": l.Purpose, "user_id": u.ID}})
	})
	return link, user, err
}

// tiePartnerUser makes the user a partner user of the company (once).
func (t *tx) tiePartnerUser(ctx context.Context, userID, companyID, orgID string) error {
	res, err := t.exec(ctx, `INSERT INTO partner_users (user_id, company_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, company_id) DO NOTHING`,
		userID, companyID, t.db.now())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return t.audit(ctx, change{OrgID: orgID, Action: "partner_user.tie", ObjectType: "user", ObjectID: userID, Detail: map[string]any{"company_id": companyID}})
}

// IssuePortalLinkMail implements renkei.PortalAccountStore.
func (db *DB) IssuePortalLinkMail(ctx context.Context, l *renkei.PortalLink, render func(secret string) *renkei.Mail) error {
	return db.write(ctx, func(t *tx) error {
		secret, err := t.issuePortalLink(ctx, l)
		if err != nil {
			return err
		}
		return t.queueMail(ctx, render(secret))
	})
}
