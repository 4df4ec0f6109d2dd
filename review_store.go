package renkei

import "context"

// ReviewStore keeps what the staff side of assessments adds to
// AssessmentStore: the support catalog, the residual risk's inputs, the
// remediation items' closure evidence and their reminders. Every method
// but the reminders' is scoped by the organization, with PermRead to read
// and PermWrite to write; partner users get not found.
type ReviewStore interface {
	// SupportPrograms lists the organization's catalog, in creation
	// order; the first read of an organization that never had one seeds
	// it with SeedSupportPrograms (so a catalog emptied on purpose stays
	// empty).
	SupportPrograms(ctx context.Context, orgID string) ([]SupportProgram, error)
	SupportProgram(ctx context.Context, orgID, id string) (*SupportProgram, error)
	CreateSupportProgram(ctx context.Context, p *SupportProgram) error
	UpdateSupportProgram(ctx context.Context, p *SupportProgram) error
	DeleteSupportProgram(ctx context.Context, orgID, id string) error

	// PartnerResidual reads the partner's latest assessment (reviewed,
	// else submitted or returned) and its findings and remediation items,
	// and applies Residual; today is the day overdue is judged on
	// (YYYY-MM-DD, Japan).
	PartnerResidual(ctx context.Context, orgID, partnerID, today string) (ResidualRisk, error)

	// SetRemediationEvidence records (key non-empty) or removes the closure
	// evidence file of a remediation item and returns the key it replaced.
	SetRemediationEvidence(ctx context.Context, orgID, id, key, name, contentType string, size int64) (string, error)

	// DueRemediationReminders lists, across organizations, the reminders
	// due on today that were not sent yet (RemediationReminder).
	DueRemediationReminders(ctx context.Context, today string) ([]RemediationReminder, error)
	// SendRemediationReminder records the reminder and queues its mail in
	// one transaction; false when it was already recorded (sent once).
	SendRemediationReminder(ctx context.Context, r RemediationReminder, m *Mail) (bool, error)
}
