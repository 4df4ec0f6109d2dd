package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/renkei/renkei"
)

const tokenColumns = `id, org_id, user_id, name, prefix, hash, created_at, last_used_at, revoked_at`

func scanToken(s interface{ Scan(...any) error }) (*renkei.APIToken, error) {
	var t renkei.APIToken
	var used, revoked sql.NullTime
	if err := s.Scan(&t.ID, &t.OrgID, &t.UserID, &t.Name, &t.Prefix, &t.Hash, &t.CreatedAt, &used, &revoked); err != nil {
		return nil, notFound(err, "token")
	}
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.RevokedAt = timePtr(used), timePtr(revoked)
	return &t, nil
}

// CreateToken stores a new API token's hash.
func (db *DB) CreateToken(ctx context.Context, tk *renkei.APIToken) error {
	tk.ID = NewID()
	if tk.CreatedAt.IsZero() {
		tk.CreatedAt = db.now()
	}
	return db.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `INSERT INTO api_tokens (id, org_id, user_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			tk.ID, tk.OrgID, tk.UserID, tk.Name, tk.Prefix, tk.Hash, utc(tk.CreatedAt)); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: tk.OrgID, Action: "token.create", ObjectType: "token", ObjectID: tk.ID, Detail: map[string]any{"name": tk.Name, "user_id": tk.UserID}})
	})
}

// TokenByHash finds a token by the hash of its secret.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*renkei.APIToken, error) {
	return scanToken(db.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash))
}

// TokenByID returns one of an organization's tokens.
func (db *DB) TokenByID(ctx context.Context, orgID, id string) (*renkei.APIToken, error) {
	return scanToken(db.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE org_id = ? AND id = ?`, orgID, id))
}

// ListTokens lists an organization's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, orgID string, page renkei.Page) ([]renkei.APIToken, string, error) {
	page = page.Normalize()
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	q := `SELECT ` + tokenColumns + ` FROM api_tokens WHERE org_id = ? ORDER BY id DESC LIMIT ?`
	args := []any{orgID, page.Limit + 1}
	if after != "" {
		q = `SELECT ` + tokenColumns + ` FROM api_tokens WHERE org_id = ? AND id < ? ORDER BY id DESC LIMIT ?`
		args = []any{orgID, after, page.Limit + 1}
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	out, err := collect(rows, scanToken)
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, page.Limit, func(v *renkei.APIToken) string { return v.ID })
	return out, next, nil
}

// RevokeToken revokes one of an organization's tokens.
func (db *DB) RevokeToken(ctx context.Context, orgID, id string) error {
	if err := renkei.Require(ctx, orgID, renkei.PermManageTokens); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL`, t.db.now(), orgID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return renkei.ErrNotFound("token")
		}
		return t.audit(ctx, change{OrgID: orgID, Action: "token.revoke", ObjectType: "token", ObjectID: id})
	})
}

// TouchToken records use.
func (db *DB) TouchToken(ctx context.Context, id string, now time.Time) error {
	_, err := db.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, utc(now), id)
	return err
}
