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

	// AddEvidence records a file already put in the FileStore as evidence
	// of e.QuestionRef (a question that takes evidence, at most
	// MaxEvidenceFiles per answer) and counts it in the answer's Files.
	// Refused once the assessment is submitted (unless returned).
	AddEvidence(ctx context.Context, e *Evidence) error
	// ListEvidence returns the assessment's evidence, by question and age.
	ListEvidence(ctx context.Context, orgID, assessmentID string) ([]Evidence, error)
	// Evidence returns one evidence file of the assessment.
	Evidence(ctx context.Context, orgID, assessmentID, id string) (*Evidence, error)
	// DeleteEvidence removes the record (the caller then deletes the file)
	// and recounts the answer's Files; refused once submitted.
	DeleteEvidence(ctx context.Context, orgID, assessmentID, id string) (*Evidence, error)

	// HandOff records that the partner user hands a section to a colleague
	// and issues the handoff link in one transaction; render builds its
	// mail from the link's secret.
	HandOff(ctx context.Context, h *Handoff, render func(l *PortalLink, secret string) *Mail) error
	// Handoffs lists the assessment's handoffs, oldest first.
	Handoffs(ctx context.Context, orgID, assessmentID string) ([]Handoff, error)
}

// Evidence is a file attached to one answer of an assessment, kept in the
// FileStore under Key (made by the application, never from Name). It is
// scoped like its assessment: its organization, and the partner company
// the assessment was sent to.
type Evidence struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	AssessmentID string    `json:"assessment_id"`
	QuestionRef  string    `json:"question"`
	Key          string    `json:"-"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	UploadedBy   string    `json:"uploaded_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// EvidenceKey is where an evidence file's bytes are kept.
func EvidenceKey(orgID, assessmentID, fileID string) string {
	return "orgs/" + orgID + "/assessments/" + assessmentID + "/" + fileID
}

// MaxEvidenceFiles bounds the files of one answer.
const MaxEvidenceFiles = 10

// TakesEvidence reports whether files may be attached to answers of q: a
// file question, or one that asks for evidence.
func (q *Question) TakesEvidence() bool { return q.Kind == QuestionFile || q.Evidence }

// Handoff records that a partner user handed one section of an assessment
// to a colleague (by a handoff link), shown on the assessment's page.
type Handoff struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	AssessmentID string    `json:"assessment_id"`
	SectionRef   string    `json:"section"`
	FromUserID   string    `json:"from_user_id"`
	FromEmail    string    `json:"from_email"`
	ToEmail      string    `json:"to_email"`
	LinkID       string    `json:"link_id"`
	CreatedAt    time.Time `json:"created_at"`
}

// UnconfirmedReused returns, in question order, the refs of the shown
// questions whose answer was prefilled from an earlier assessment and not
// yet confirmed or changed: submitting waits for them. A prefilled answer
// to a question its conditions hide does not count.
func UnconfirmedReused(t *Template, recs []AnswerRecord) []string {
	reused := map[string]bool{}
	answers := make(map[string]Answer, len(recs))
	for _, r := range recs {
		answers[r.QuestionRef] = r.Answer
		if r.Reused {
			reused[r.QuestionRef] = true
		}
	}
	if len(reused) == 0 {
		return nil
	}
	var out []string
	for _, q := range VisibleQuestions(t, answers) {
		if reused[q.Ref] {
			out = append(out, q.Ref)
		}
	}
	return out
}
