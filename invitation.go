package renkei

import (
	"context"
	"time"
)

// Invitation asks a person by mail to join an organization with a role.
// Only the hash of the link's secret is stored.
type Invitation struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"org_id"`
	Email      string     `json:"email"`
	Role       Role       `json:"role"`
	TokenHash  string     `json:"-"`
	InvitedBy  string     `json:"invited_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at"`
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// InvitationStore keeps invitations. CreateInvitation writes the invitation
// and its mail to the outbox in one transaction.
type InvitationStore interface {
	CreateInvitation(ctx context.Context, inv *Invitation, m *Mail) error
	InvitationByTokenHash(ctx context.Context, hash string) (*Invitation, error)
	ListInvitations(ctx context.Context, orgID string, page Page) ([]Invitation, string, error)
	// AcceptInvitation marks the invitation used and adds the membership,
	// creating the user when newUser is not nil.
	AcceptInvitation(ctx context.Context, inv *Invitation, userID string, newUser *User) error
	RevokeInvitation(ctx context.Context, orgID, id string) error
}
