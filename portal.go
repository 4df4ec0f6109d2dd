package renkei

import (
	"context"
	"strings"
	"time"
)

// The partner portal: how people of a partner company get in and work on
// the assessments sent to their company (docs/portal.md).
//
// A partner user is a row of users tied to one or more companies
// (partner_users); their session names the company they are working for and
// their actor has Role RolePartner, PartnerCompanyID set and no OrgID, so
// that no staff permission (role.go) and no organization's data reach them.

// Portal link purposes.
const (
	// PortalInvite is the link in a campaign's invitation mail.
	PortalInvite = "invite"
	// PortalSignIn is the link a partner asks for on /portal/login.
	PortalSignIn = "signin"
	// PortalHandoff hands one section to a colleague.
	PortalHandoff = "handoff"
)

// Portal link lifetimes. An invitation has to outlive the campaign's first
// reminders (14 days before the due date); a sign-in link is asked for
// and used at once; a handoff gives a colleague two working weeks.
const (
	PortalInviteTTL  = 30 * 24 * time.Hour
	PortalSignInTTL  = 30 * time.Minute
	PortalHandoffTTL = 14 * 24 * time.Hour
)

// PortalLinkTTL returns the lifetime of a link of the purpose, 0 for an
// unknown purpose.
func PortalLinkTTL(purpose string) time.Duration {
	switch purpose {
	case PortalInvite:
		return PortalInviteTTL
	case PortalSignIn:
		return PortalSignInTTL
	case PortalHandoff:
		return PortalHandoffTTL
	}
	return 0
}

// PortalLink is a signed, expiring, single-use link that lets the person at
// Email into the portal for one company. Only the SHA-256 of its secret is
// stored. OrgID and AssessmentID say which organization's assessment the
// link leads to (empty for a sign-in link); SectionRef, for a handoff, the
// section handed over.
type PortalLink struct {
	ID           string     `json:"id"`
	OrgID        string     `json:"org_id"`
	CompanyID    string     `json:"company_id"`
	AssessmentID string     `json:"assessment_id"`
	SectionRef   string     `json:"section_ref"`
	Email        string     `json:"email"`
	Purpose      string     `json:"purpose"`
	CreatedAt    time.Time  `json:"created_at"`
	ExpiresAt    time.Time  `json:"expires_at"`
	UsedAt       *time.Time `json:"used_at"`
	CreatedBy    string     `json:"created_by"` // the user who caused it, "" for the system
}

// portalSecretBytes is the randomness of a link's secret (256 bits).
const portalSecretBytes = 32

// PortalLinkPath is where a link's secret is opened.
func PortalLinkPath(secret string) string { return "/portal/link/" + secret }

// Prepare checks and completes a link before it is stored: the address is
// normalized, the purpose known, the company set, a handoff names its
// assessment and section; ExpiresAt defaults to CreatedAt plus the
// purpose's lifetime. It returns a fresh secret, whose hash the store
// keeps.
func (l *PortalLink) Prepare(now time.Time) (secret string, err error) {
	fields := map[string]string{}
	email, ok := NormalizeEmail(l.Email)
	l.Email = email
	if !ok {
		fields["email"] = "field.email"
	}
	ttl := PortalLinkTTL(l.Purpose)
	if ttl == 0 {
		fields["purpose"] = "field.purpose"
	}
	if l.CompanyID == "" {
		fields["company_id"] = "field.required"
	}
	if (l.AssessmentID == "") != (l.OrgID == "") {
		fields["assessment_id"] = "field.required"
	}
	if l.Purpose == PortalHandoff && (l.AssessmentID == "" || l.SectionRef == "") {
		fields["section_ref"] = "field.required"
	}
	if len(l.SectionRef) > 40 || hasControl(l.SectionRef) {
		fields["section_ref"] = "field.text"
	}
	if len(fields) > 0 {
		return "", Invalid(fields)
	}
	if l.CreatedAt.IsZero() {
		l.CreatedAt = now
	}
	l.CreatedAt = l.CreatedAt.UTC()
	if l.ExpiresAt.IsZero() {
		l.ExpiresAt = l.CreatedAt.Add(ttl)
	}
	l.ExpiresAt = l.ExpiresAt.UTC()
	return NewSecret(portalSecretBytes), nil
}

// PortalSecretFromPath returns the secret of a /portal/link/{secret}
// value, or "" when it cannot be one (wrong length or alphabet), so that a
// tampered link is refused before any lookup.
func PortalSecretFromPath(s string) string {
	s = strings.TrimSpace(s)
	if len(s) != portalSecretLen {
		return ""
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return ""
		}
	}
	return s
}

// portalSecretLen is the length of NewSecret(portalSecretBytes): base32
// without padding.
const portalSecretLen = (portalSecretBytes*8 + 4) / 5

// PortalStore is what the portal's pages need from storage besides the
// assessments (AssessmentStore scopes those by the partner actor).
type PortalStore interface {
	// IssuePortalLink stores a link and returns its secret.
	IssuePortalLink(ctx context.Context, l *PortalLink) (string, error)
	// PortalLink returns the link named by secret, used or not (ENOTFOUND
	// when there is none); it never uses it.
	PortalLink(ctx context.Context, secret string) (*PortalLink, error)
	// PartnerAssessment returns an assessment of the partner user's
	// company by ID alone, whichever organization sent it (ENOTFOUND for
	// another company's, and for anyone but a partner user).
	PartnerAssessment(ctx context.Context, id string) (*Assessment, error)
	// MarkOpened moves a sent assessment to opened when a partner user
	// first views it.
	MarkOpened(ctx context.Context, orgID, id string) error
}
