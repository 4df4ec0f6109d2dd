package sqlstore

import (
	"context"
	"database/sql"

	"github.com/renkei/renkei"
)

// Portal links (renkei.PortalLink): issued inside the transaction that
// causes them (a campaign's invitation, a handoff) so that the link, its
// mail and its audit entry land together; consumed once, atomically.

const portalLinkColumns = `id, org_id, company_id, assessment_id, section_ref, email, purpose, created_by, created_at, expires_at, used_at`

func scanPortalLink(r interface{ Scan(...any) error }) (*renkei.PortalLink, error) {
	var l renkei.PortalLink
	var used sql.NullTime
	if err := r.Scan(&l.ID, &l.OrgID, &l.CompanyID, &l.AssessmentID, &l.SectionRef, &l.Email, &l.Purpose, &l.CreatedBy, &l.CreatedAt, &l.ExpiresAt, &used); err != nil {
		return nil, notFound(err, "portal_link")
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt = l.CreatedAt.UTC(), l.ExpiresAt.UTC(), timePtr(used)
	return &l, nil
}

// IssuePortalLink stores a new link in its own transaction and returns its
// secret (the URL is renkei.PortalLinkPath(secret)).
func (db *DB) IssuePortalLink(ctx context.Context, l *renkei.PortalLink) (string, error) {
	var secret string
	err := db.write(ctx, func(t *tx) error {
		var err error
		secret, err = t.issuePortalLink(ctx, l)
		return err
	})
	return secret, err
}

// issuePortalLink stores l inside the caller's write transaction (for
// example with the invitation mail that carries it) and returns the secret.
// CreatedAt defaults to the store's clock, ExpiresAt to the purpose's
// lifetime after it; CreatedBy to the actor.
func (t *tx) issuePortalLink(ctx context.Context, l *renkei.PortalLink) (string, error) {
	if l.CreatedBy == "" {
		if a := renkei.ActorFrom(ctx); a != nil {
			l.CreatedBy = a.UserID
		}
	}
	secret, err := l.Prepare(t.db.now())
	if err != nil {
		return "", err
	}
	l.ID, l.UsedAt = NewID(), nil
	if _, err := t.exec(ctx, `INSERT INTO portal_links (id, token_hash, org_id, company_id, assessment_id, section_ref, email, purpose, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, renkei.HashSecret(secret), l.OrgID, l.CompanyID, l.AssessmentID, l.SectionRef, l.Email, l.Purpose, l.CreatedBy, utc(l.CreatedAt), utc(l.ExpiresAt)); err != nil {
		return "", err
	}
	// The address is personal data of the partner: the audit names the
	// link, its purpose and its assessment, not who it went to.
	return secret, t.audit(ctx, change{OrgID: l.OrgID, Action: "portal_link.issue", ObjectType: "portal_link", ObjectID: l.ID,
		Detail: map[string]any{"purpose": l.Purpose, "assessment_id": l.AssessmentID, "section": l.SectionRef}})
}

// PortalLink returns the link named by secret, used or not, for the page
// that asks to continue; an unknown secret is ENOTFOUND. It never consumes.
func (db *DB) PortalLink(ctx context.Context, secret string) (*renkei.PortalLink, error) {
	return scanPortalLink(db.queryRow(ctx, `SELECT `+portalLinkColumns+` FROM portal_links WHERE token_hash = ?`, renkei.HashSecret(secret)))
}

// errLinkInvalid is what every unusable link gives: unknown, used or
// expired alike, so that the answer tells nothing about which.
func errLinkInvalid() error { return renkei.Errorf(renkei.ENOTFOUND, "error.portal_link_invalid") }

// consumePortalLink marks the link used if it is still open (one UPDATE,
// so two requests racing with one link cannot both win) and returns it.
func (t *tx) consumePortalLink(ctx context.Context, secret string) (*renkei.PortalLink, error) {
	now := t.db.now()
	hash := renkei.HashSecret(secret)
	res, err := t.exec(ctx, `UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, now, hash, now)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, errLinkInvalid()
	}
	return scanPortalLink(t.queryRow(ctx, `SELECT `+portalLinkColumns+` FROM portal_links WHERE token_hash = ?`, hash))
}
