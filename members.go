package renkei

import "context"

// MemberStore reads one person as seen from one organization. A user who
// is not a member of orgID is ENOTFOUND, exactly as an unknown user is, so
// that no organization learns of another's people.
type MemberStore interface {
	Member(ctx context.Context, orgID, userID string) (*Member, error)
}
