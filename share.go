package renkei

import (
	"context"
	"time"
)

// Answer once, share many — sharing with consent. An organization asks one
// of its partners for an assessment the partner's company has already
// answered (a share request); a user of that company grants one of the
// company's submitted or reviewed assessments, from whichever organization
// sent it, until an expiry date, or declines; the company can revoke a
// grant at any time. The asking organization then sees a read-only copy:
// the questions, the answers and the score, never the sending
// organization's review comments, internal notes or findings, and not
// which organization sent it. The rules are here; sqlstore keeps them.

// Share statuses, as stored.
const (
	ShareRequested = "requested"
	ShareGranted   = "granted"
	ShareDeclined  = "declined"
	ShareRevoked   = "revoked"
	// ShareExpired is never stored: a granted share past its expiry date
	// is expired (Share.State).
	ShareExpired = "expired"
)

// EGONE is the code of a share that was granted and is no longer: revoked
// or expired (HTTP 410).
const EGONE = "gone"

// Limits of sharing.
const (
	// MaxShareDays is how far ahead a grant may expire.
	MaxShareDays = 731
	// MaxShareMessageRunes bounds a request's message.
	MaxShareMessageRunes = 2000
)

// Share is one request for an assessment and, once granted, the grant.
// OrgID is the asking organization, PartnerID its partner and CompanyID
// that partner's company (whose users decide). AssessmentID, ExpiresOn,
// DecidedAt and DecidedBy are set when the company decides.
type Share struct {
	ID           string     `json:"id"`
	OrgID        string     `json:"org_id"`
	OrgName      string     `json:"org_name,omitempty"` // the asking organization, for the partner's list
	PartnerID    string     `json:"partner_id"`
	CompanyID    string     `json:"company_id"`
	Message      string     `json:"message"`
	Status       string     `json:"status"`
	AssessmentID string     `json:"assessment_id,omitempty"`
	ExpiresOn    string     `json:"expires_on,omitempty"` // YYYY-MM-DD, shared through that day (Tokyo)
	RequestedBy  string     `json:"requested_by"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	DecidedAt    *time.Time `json:"decided_at"`
	RevokedAt    *time.Time `json:"revoked_at"`
}

// State is the share's status at now: a granted share whose expiry date
// has passed in Tokyo is ShareExpired.
func (s *Share) State(now time.Time) string {
	if s.Status == ShareGranted && s.ExpiresOn != "" && s.ExpiresOn < now.In(Tokyo).Format(time.DateOnly) {
		return ShareExpired
	}
	return s.Status
}

// CheckViewable says whether the asking organization may see the shared
// copy at now: only a granted, unexpired share. A share never granted is
// not found (as one that does not exist); a revoked or expired one is
// EGONE with its own message.
func (s *Share) CheckViewable(now time.Time) error {
	switch s.State(now) {
	case ShareGranted:
		return nil
	case ShareRevoked:
		return Errorf(EGONE, "share.revoked")
	case ShareExpired:
		return Errorf(EGONE, "share.expired", s.ExpiresOn)
	}
	return ErrNotFound("shared_assessment")
}

// CheckShareRequest validates a new request's message.
func CheckShareRequest(message string) error {
	if len([]rune(message)) > MaxShareMessageRunes || unsafeText(message, true) {
		return Invalid(map[string]string{"message": "share.field.message"})
	}
	return nil
}

// CheckGrant decides whether the company may grant share s with the
// assessment a (already known to be of the company) until expiresOn, at
// now. Only a request still open can be granted; only a submitted or
// reviewed assessment (an answered one, not one returned for changes);
// the expiry date must be a date from today (Tokyo) up to MaxShareDays
// ahead.
func CheckGrant(s *Share, a *Assessment, expiresOn string, now time.Time) error {
	if s.Status != ShareRequested {
		return Errorf(ECONFLICT, "share.not_open")
	}
	fields := map[string]string{}
	if a == nil || a.CompanyID != s.CompanyID {
		fields["assessment_id"] = "share.field.assessment"
	} else if a.Status != AssessmentSubmitted && a.Status != AssessmentReviewed {
		fields["assessment_id"] = "share.field.assessment_status"
	}
	today := now.In(Tokyo)
	if d, err := time.ParseInLocation(time.DateOnly, expiresOn, Tokyo); err != nil || len(expiresOn) != 10 {
		fields["expires_on"] = "field.date"
	} else if expiresOn < today.Format(time.DateOnly) || d.After(today.AddDate(0, 0, MaxShareDays)) {
		fields["expires_on"] = "share.field.expires_on"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// CheckDecline: only an open request can be declined.
func CheckDecline(s *Share) error {
	if s.Status != ShareRequested {
		return Errorf(ECONFLICT, "share.not_open")
	}
	return nil
}

// CheckRevoke: a grant can be revoked at any time, expired or not; a
// request not granted cannot (declining is its answer), and a revoked one
// stays revoked.
func CheckRevoke(s *Share) error {
	if s.Status != ShareGranted {
		return Errorf(ECONFLICT, "share.not_granted")
	}
	return nil
}

// SharedAnswer is one answer as the asking organization sees it: the
// question and the answer, nothing of its review.
type SharedAnswer struct {
	QuestionRef string `json:"question"`
	Answer
}

// SharedAnswers strips the records of everything but question and answer:
// review status, review comments, internal notes, who answered and whether
// it was on the partner's behalf stay with the organization that asked.
func SharedAnswers(recs []AnswerRecord) []SharedAnswer {
	out := make([]SharedAnswer, 0, len(recs))
	for _, r := range recs {
		out = append(out, SharedAnswer{QuestionRef: r.QuestionRef, Answer: r.Answer})
	}
	return out
}

// SharedCopy is the read-only copy the asking organization sees of a
// granted share: the template the assessment was answered on, the
// answers, and the score with its sections and levels. It does not say
// which organization sent the assessment.
type SharedCopy struct {
	Share       Share
	Template    *Template
	Status      string // the assessment's: submitted or reviewed
	SubmittedAt *time.Time
	Score       *Result
	Answers     []SharedAnswer
}

// ShareMail is what the mail telling a partner's contact about a request
// says; the web adapter puts it into words (mailtmpl) in Locale. It carries
// no sign-in link: the partner signs in on the portal and decides there.
type ShareMail struct {
	Locale  string // the contact's language
	To      string
	OrgName string // who asks
	Partner string // the partner's name, as the organization knows it
	Message string
}

// ShareStore keeps share requests and grants. Staff of the asking
// organization request and read; a partner user (Actor.PartnerCompanyID)
// decides on their company's requests, whatever organization made them.
// Every change is audited.
type ShareStore interface {
	// RequestShare asks the organization's partner for an assessment
	// (PermWrite). When render is not nil and the partner has a security
	// or business contact address, the mail render makes of the ShareMail
	// is queued in the same transaction.
	RequestShare(ctx context.Context, orgID, partnerID, message string, render func(ShareMail) *Mail) (*Share, error)
	// PartnerShares lists, for a partner user, their company's requests
	// and grants from every organization, newest first, with OrgName set.
	PartnerShares(ctx context.Context) ([]Share, error)
	// GrantShare, DeclineShare and RevokeShare are the partner user's
	// decisions (CheckGrant, CheckDecline, CheckRevoke).
	GrantShare(ctx context.Context, shareID, assessmentID, expiresOn string) (*Share, error)
	DeclineShare(ctx context.Context, shareID string) (*Share, error)
	RevokeShare(ctx context.Context, shareID string) (*Share, error)
	// SharedAssessments lists the organization's shares that were granted
	// (expired and revoked ones included, so that it sees what ended).
	SharedAssessments(ctx context.Context, orgID string, page Page) ([]Share, string, error)
	// ShareRequests lists every request the organization made, whatever
	// became of it (requested, granted, declined, revoked), oldest first.
	ShareRequests(ctx context.Context, orgID string, page Page) ([]Share, string, error)
	// SharedAssessment is the read-only copy of a granted share
	// (CheckViewable).
	SharedAssessment(ctx context.Context, orgID, shareID string) (*SharedCopy, error)
}
