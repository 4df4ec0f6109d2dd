package renkei

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// APIToken is a named credential for machines, scoped to one organization
// and acting as the user who made it. Only its hash is stored; the secret
// is shown once.
type APIToken struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"org_id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters, to recognize it
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// TokenPrefix starts every API token, so that leaked tokens are easy to
// find by secret scanners.
const TokenPrefix = "rk_"

// Validate checks the token's name.
func (t *APIToken) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return Invalid(map[string]string{"name": "field.required"})
	}
	if utf8.RuneCountInString(t.Name) > 100 {
		return Invalid(map[string]string{"name": "field.too_long"})
	}
	if hasControl(t.Name) {
		return Invalid(map[string]string{"name": "field.text"})
	}
	return nil
}

// TokenStore keeps API tokens.
type TokenStore interface {
	CreateToken(ctx context.Context, t *APIToken) error
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	ListTokens(ctx context.Context, orgID string, page Page) ([]APIToken, string, error)
	RevokeToken(ctx context.Context, orgID, id string) error
	TouchToken(ctx context.Context, id string, now time.Time) error
}
