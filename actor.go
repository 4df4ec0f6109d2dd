package renkei

import "context"

// Actor is who is acting: a signed-in user, an API token, or the system
// (CLI and background jobs). It travels in the context, and every store
// method takes the organization from it or from an explicit argument.
type Actor struct {
	UserID  string
	Email   string
	OrgID   string
	Role    Role
	TokenID string // set when acting through an API token
	// PartnerCompanyID is set for partner users: they see only this company.
	PartnerCompanyID string
	// System marks work done by the CLI or a background job.
	System bool
	Label  string // who, in words, for the audit log ("cli", "job:mail.send")
	IP     string
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// SystemActor is the actor for CLI commands and jobs.
func SystemActor(label string) *Actor {
	return &Actor{System: true, Label: label}
}

// Require returns EFORBIDDEN unless the actor in ctx holds p in orgID.
// System actors hold every permission.
func Require(ctx context.Context, orgID string, p Permission) error {
	a := ActorFrom(ctx)
	switch {
	case a == nil:
		return Errorf(EUNAUTHORIZED, "error.unauthorized")
	case a.System:
		return nil
	case a.OrgID != orgID || !a.Role.Can(p):
		return Errorf(EFORBIDDEN, "error.forbidden")
	}
	return nil
}
