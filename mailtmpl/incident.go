package mailtmpl

// IncidentDutyReminder is the data of the "incident_duty_reminder"
// template: a duty of an incident falls due soon, or is overdue.
type IncidentDutyReminder struct {
	OrgName string
	Ref     string // the case's receipt number
	Title   string // the case's title or kind
	Duty    string // the duty, in the mail's language
	DueAt   string // formatted in Japan time
	Overdue bool
	URL     string // the case page
}
