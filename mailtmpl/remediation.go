package mailtmpl

// RemediationReminder is the data of the "remediation_reminder" template:
// the owner of a remediation item is reminded before its due date, or told
// that it is overdue.
type RemediationReminder struct {
	OrgName     string
	PartnerName string
	Title       string // the item's title (the finding's question by default)
	DueDate     string // YYYY-MM-DD, a day in Japan
	Overdue     bool
	URL         string // the item's edit page
}
