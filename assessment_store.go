package renkei

import "context"

// AssessmentStore keeps campaigns, assessments and their answers.
//
// Every method takes the organization; staff need PermRead to read and
// PermWrite to write in it. A partner user (Actor.PartnerCompanyID set) may
// read and answer assessments whose company is theirs, in any organization
// that sent them, and nothing else: no campaign, no internal note.
type AssessmentStore interface {
	// CreateCampaign creates the campaign and one assessment per partner
	// (each of the organization's; those c.Filter chooses when it is set,
	// else partnerIDs), in one transaction, with the template snapshotted
	// and prefilled from the company's latest answers to the same
	// controls, and an invitation mail with a portal link queued for each
	// partner with a contact address (rendered by mail; nil queues none).
	CreateCampaign(ctx context.Context, c *Campaign, partnerIDs []string, mail CampaignMailer) (CampaignResult, error)
	// CountCampaignPartners counts the organization's non-archived
	// partners f chooses.
	CountCampaignPartners(ctx context.Context, orgID string, f CampaignFilter) (int, error)
	// CampaignNoContact lists the partners of the campaign that had no
	// contact address to invite, by ID.
	CampaignNoContact(ctx context.Context, orgID, id string) ([]string, error)
	Campaign(ctx context.Context, orgID, id string) (*Campaign, error)
	ListCampaigns(ctx context.Context, orgID string, page Page) ([]Campaign, string, error)
	CampaignProgress(ctx context.Context, orgID, id string) (CampaignProgress, error)
	Assessment(ctx context.Context, orgID, id string) (*Assessment, error)
	ListAssessments(ctx context.Context, orgID string, f AssessmentFilter, page Page) ([]Assessment, string, error)
	// PartnerAssessments lists, for a partner user, their company's
	// assessments across every organization that sent one (the portal's
	// list); anyone else gets EFORBIDDEN.
	PartnerAssessments(ctx context.Context, page Page) ([]Assessment, string, error)
	// AssessmentTemplate returns the template snapshot the assessment was sent with.
	AssessmentTemplate(ctx context.Context, orgID, id string) (*Template, error)
	// Answers returns the assessment's answers; for a partner user without
	// internal notes.
	Answers(ctx context.Context, orgID, id string) ([]AnswerRecord, error)
	// SaveAnswers checks every answer against the template (errors keyed
	// by question ref; nothing saved when one is wrong) and saves them.
	// onBehalf marks staff answering for the partner. Refused once
	// submitted unless returned.
	SaveAnswers(ctx context.Context, orgID, id string, answers []AnswerInput, onBehalf bool) error
	// Submit requires complete answers, computes and stores the score and
	// records the answers against the company's controls.
	Submit(ctx context.Context, orgID, id string) (*Assessment, error)
	// Review accepts or returns answers of a submitted assessment (or of a
	// returned one the partner has not touched since: ReviewOpen). Any
	// returned answer makes the assessment returned; all accepted, reviewed.
	Review(ctx context.Context, orgID, id string, reviews []AnswerReview) (*Assessment, error)
	// RecomputeScores scores again every scored assessment of the
	// organization against its snapshot and returns how many it scored.
	RecomputeScores(ctx context.Context, orgID string) (int, error)

	// Findings returns the weak answers of a submitted, returned or
	// reviewed assessment (staff only).
	Findings(ctx context.Context, orgID, assessmentID string) ([]Finding, error)
	// CreateRemediation records the work on one finding of the assessment;
	// PartnerID, Severity and (when empty) Title come from it.
	CreateRemediation(ctx context.Context, r *Remediation) error
	// UpdateRemediation changes owner, due date, status, evidence, title
	// and notes.
	UpdateRemediation(ctx context.Context, r *Remediation) error
	Remediation(ctx context.Context, orgID, id string) (*Remediation, error)
	ListRemediations(ctx context.Context, orgID string, f RemediationFilter, page Page) ([]Remediation, string, error)
}

// TemplateStore keeps organizations' own templates.
type TemplateStore interface {
	// SaveTemplate validates t (Kind is set to TemplateOrg, Version to the
	// next of its slug) and stores it as a new version.
	SaveTemplate(ctx context.Context, orgID string, t *Template) (*StoredTemplate, error)
	// OrgTemplate returns a version of the organization's template, the
	// latest when version is 0.
	OrgTemplate(ctx context.Context, orgID, slug string, version int) (*StoredTemplate, error)
	// ListOrgTemplates returns the latest version of each of the
	// organization's templates, by slug.
	ListOrgTemplates(ctx context.Context, orgID string) ([]StoredTemplate, error)
}
