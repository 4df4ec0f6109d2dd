package renkei

import "time"

// Assessment statuses, in the order an assessment normally goes through.
const (
	AssessmentSent       = "sent"
	AssessmentOpened     = "opened"
	AssessmentInProgress = "in_progress"
	AssessmentSubmitted  = "submitted"
	AssessmentReturned   = "returned"
	AssessmentReviewed   = "reviewed"
)

// Review statuses of one answer.
const (
	ReviewPending  = "pending"
	ReviewAccepted = "accepted"
	ReviewReturned = "returned"
)

// Assessment is one template sent to one partner. The template it was
// sent with is snapshotted (TemplateSlug@TemplateVersion); later versions
// of the template do not change it.
type Assessment struct {
	ID              string     `json:"id"`
	OrgID           string     `json:"org_id"`
	CampaignID      string     `json:"campaign_id"`
	PartnerID       string     `json:"partner_id"`
	CompanyID       string     `json:"company_id"`
	TemplateSlug    string     `json:"template"`
	TemplateVersion int        `json:"template_version"`
	Status          string     `json:"status"`
	DueDate         string     `json:"due_date"`
	Prefilled       int        `json:"prefilled"`
	Score           *Result    `json:"score"` // computed on submit
	SubmittedAt     *time.Time `json:"submitted_at"`
	ReviewedAt      *time.Time `json:"reviewed_at"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// AnswerRecord is a stored answer to one question of an assessment.
// InternalNote is the reviewers' own: it must never reach a partner user
// (PartnerView clears it).
type AnswerRecord struct {
	AssessmentID string `json:"assessment_id"`
	QuestionRef  string `json:"question"`
	Answer
	Controls      []string  `json:"controls"`
	AnsweredBy    string    `json:"answered_by"`
	OnBehalf      bool      `json:"on_behalf"` // staff answered for the partner
	Reused        bool      `json:"reused"`    // prefilled; the partner is to confirm it
	ReviewStatus  string    `json:"review_status"`
	ReviewComment string    `json:"review_comment"` // shown to the partner
	InternalNote  string    `json:"internal_note,omitempty"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// PartnerView returns the record as a partner user may see it.
func (r AnswerRecord) PartnerView() AnswerRecord {
	r.InternalNote = ""
	return r
}

// AnswerInput is one answer to save.
type AnswerInput struct {
	QuestionRef string `json:"question"`
	Answer
}

// AnswerReview is a reviewer's decision on one answer.
type AnswerReview struct {
	QuestionRef  string `json:"question"`
	Status       string `json:"status"`        // ReviewAccepted or ReviewReturned
	Comment      string `json:"comment"`       // shown to the partner
	InternalNote string `json:"internal_note"` // never shown to the partner
}

// ReviewOpen reports whether reviewers may still decide on the answers of
// an assessment in status: a submitted one, or a returned one the partner
// has not touched since (no pending answer saved after the latest
// decision). A reviewer can so return several answers one by one and
// accept the rest; once the partner starts answering again, the next
// decisions wait for the resubmission (a decision on an answer the
// reviewer has not seen would be a guess).
func ReviewOpen(status string, answers []AnswerRecord) bool {
	switch status {
	case AssessmentSubmitted:
		return true
	case AssessmentReturned:
	default:
		return false
	}
	var lastDecision time.Time
	for _, a := range answers {
		if a.ReviewStatus != ReviewPending && a.UpdatedAt.After(lastDecision) {
			lastDecision = a.UpdatedAt
		}
	}
	for _, a := range answers {
		if a.ReviewStatus == ReviewPending && a.UpdatedAt.After(lastDecision) {
			return false
		}
	}
	return true
}

// AssessmentFilter narrows ListAssessments.
type AssessmentFilter struct {
	CampaignID string
	PartnerID  string
	Status     string
}

// ValidDate reports whether s is a YYYY-MM-DD date.
func ValidDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

// Finding severities.
const (
	SeverityHigh   = "high"   // no, or unknown
	SeverityMedium = "medium" // partly
)

// Finding is a weak answer: no, partly or unknown to a scored yes/no
// question that is shown.
type Finding struct {
	QuestionRef string    `json:"question"`
	Severity    string    `json:"severity"`
	Answer      string    `json:"answer"`
	Level       string    `json:"level,omitempty"`
	Text        Bilingual `json:"text"` // the question
	Controls    []string  `json:"controls"`
	Groups      []string  `json:"groups"` // the controls' groups: the gap support is chosen by
}

// Findings returns the findings of answers to t, in question order.
func Findings(t *Template, answers map[string]Answer) []Finding {
	var out []Finding
	for _, q := range VisibleQuestions(t, answers) {
		if q.Kind != QuestionYesNo {
			continue
		}
		a, ok := answers[q.Ref]
		if !ok {
			continue
		}
		sev := ""
		switch a.Value {
		case AnswerNo, AnswerUnknown:
			sev = SeverityHigh
		case AnswerPartly:
			sev = SeverityMedium
		}
		if sev != "" {
			out = append(out, Finding{QuestionRef: q.Ref, Severity: sev, Answer: a.Value, Level: q.Level, Text: q.Text,
				Controls: append([]string{}, q.Controls...), Groups: FindingGroups(q.Controls)})
		}
	}
	return out
}

// Remediation statuses.
const (
	RemediationOpen         = "open"
	RemediationInProgress   = "in_progress"
	RemediationDone         = "done"
	RemediationAcceptedRisk = "accepted_risk"
)

// ValidRemediationStatus reports whether s is a remediation status.
func ValidRemediationStatus(s string) bool {
	switch s {
	case RemediationOpen, RemediationInProgress, RemediationDone, RemediationAcceptedRisk:
		return true
	}
	return false
}

// Remediation is the work to close one finding of an assessment.
// ClosureEvidence says in words what shows it is closed;
// ClosureEvidenceKey names the file (in the file store) that shows it,
// EvidenceName, EvidenceContentType and EvidenceSize describe that file.
// Owner is who does the work: a member's e-mail address or any e-mail
// address gets the reminders (RemediationReminder), other text none.
type Remediation struct {
	ID                 string     `json:"id"`
	OrgID              string     `json:"org_id"`
	AssessmentID       string     `json:"assessment_id"`
	PartnerID          string     `json:"partner_id"` // from the assessment
	QuestionRef        string     `json:"question"`   // the finding
	Severity           string     `json:"severity"`   // from the finding when created
	Title              string     `json:"title"`      // the question's text when empty
	Owner              string     `json:"owner"`
	DueDate            string     `json:"due_date"` // YYYY-MM-DD or ""
	Status             string     `json:"status"`
	ClosureEvidenceKey string     `json:"closure_evidence_key"`
	ClosureEvidence    string     `json:"closure_evidence"`
	EvidenceName       string     `json:"evidence_name"`
	EvidenceType       string     `json:"evidence_content_type"`
	EvidenceSize       int64      `json:"evidence_size"`
	Notes              string     `json:"notes"`
	ClosedAt           *time.Time `json:"closed_at"` // set on done or accepted_risk
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// Closed reports whether the item is done or its risk accepted.
func (r *Remediation) Closed() bool {
	return r.Status == RemediationDone || r.Status == RemediationAcceptedRisk
}

// Overdue reports whether the item is open past its due date on the day
// today (YYYY-MM-DD, in Japan).
func (r *Remediation) Overdue(today string) bool {
	return !r.Closed() && r.DueDate != "" && r.DueDate < today
}

// RemediationFilter narrows ListRemediations. Owner matches exactly;
// OverdueOn (a YYYY-MM-DD day) keeps the items open past their due date
// on that day.
type RemediationFilter struct {
	AssessmentID string
	PartnerID    string
	Status       string
	Owner        string
	OverdueOn    string
}

// Validate checks the fields a user sets.
func (r *Remediation) Validate() error {
	f := map[string]string{}
	if r.Status == "" {
		r.Status = RemediationOpen
	}
	if !ValidRemediationStatus(r.Status) {
		f["status"] = "field.status"
	}
	if r.DueDate != "" && !ValidDate(r.DueDate) {
		f["due_date"] = "field.date"
	}
	if len(r.Title) > 1000 || unsafeText(r.Title, false) {
		f["title"] = "field.text"
	}
	if len(r.Owner) > 200 || unsafeText(r.Owner, false) {
		f["owner"] = "field.text"
	}
	if len(r.Notes) > 4000 || unsafeText(r.Notes, true) {
		f["notes"] = "field.text"
	}
	if len(r.ClosureEvidenceKey) > 500 {
		f["closure_evidence_key"] = "field.text"
	}
	if len(r.ClosureEvidence) > 4000 || unsafeText(r.ClosureEvidence, true) {
		f["closure_evidence"] = "field.text"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// StoredTemplate is one version of an organization's own template. Each
// save of a slug adds a version; sent assessments keep theirs (they hold a
// snapshot). Built-in templates are not stored: they come from
// BuiltinTemplates, and an organization's slug may not take a built-in's.
type StoredTemplate struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Slug      string    `json:"slug"`
	Version   int       `json:"version"`
	Template  *Template `json:"template"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}
