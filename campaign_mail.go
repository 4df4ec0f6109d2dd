package renkei

import "time"

// CampaignMail is what one campaign mail has to say; a CampaignMailer
// (mailtmpl) puts it into words in Locale. The store fills it in the
// transaction that queues the mail.
type CampaignMail struct {
	Kind   string // CampaignMailInvite, …Reminder, …Overdue, …Escalation
	Locale string // "ja" or "en"
	To     string
	// OrgName is who asks; AskedBy the person who started the campaign
	// ("" when unknown).
	OrgName  string
	AskedBy  string
	Campaign string    // the campaign's name, may be ""
	Template Bilingual // the checklist's title
	Partner  string    // the partner's name
	DueDate  string    // YYYY-MM-DD
	Days     int       // days left (reminder) or past the due date (overdue, escalation)
	// LinkPath is the portal link (renkei.PortalLinkPath), "" for an
	// escalation; LinkExpiresAt when it stops working.
	LinkPath      string
	LinkExpiresAt time.Time
	// Overdue lists, for an escalation, the partners still open.
	Overdue []string
	// CampaignID and AssessmentID name what the mail is about.
	CampaignID   string
	AssessmentID string
}

// CampaignMailer renders a campaign mail (subject, text and HTML; the
// store sets the addressing fields).
type CampaignMailer interface {
	RenderCampaignMail(m *CampaignMail) (*Mail, error)
}

// Mail locales: the language a contact reads mail in.
const (
	LocaleJA = "ja"
	LocaleEN = "en"
)

// AssessmentContact is who a partner's assessment mail goes to: the
// security contact, else the business contact; ok is false when neither
// has an address.
func (c Contacts) AssessmentContact() (Contact, bool) {
	for _, ct := range []Contact{c.Security, c.Business} {
		if ct.Email != "" {
			if ct.Locale == "" {
				ct.Locale = LocaleJA
			}
			return ct, true
		}
	}
	return Contact{}, false
}

// DepartmentRole is the staff role that answers for a partner's owning
// department (vocabulary list department): an escalation goes to the
// organization's members with it. "" for no department.
func DepartmentRole(department string) Role {
	switch department {
	case "business":
		return RoleBusiness
	case "procurement":
		return RoleProcurement
	case "it_security":
		return RoleSecurity
	case "legal":
		return RoleLegal
	}
	return ""
}

// ReminderLinkTTL is how long the sign-in link in a reminder or overdue
// notice works: longer than a sign-in link asked for on the portal (the
// mail may be read days later), shorter than an invitation.
const ReminderLinkTTL = 7 * 24 * time.Hour

// CampaignMailRun counts what one run of the campaign mail job queued.
type CampaignMailRun struct {
	Reminders   int `json:"reminders"`
	Overdue     int `json:"overdue"`
	Escalations int `json:"escalations"` // mails to staff
	// NoContact counts partner mails that were due but had no address;
	// they are tried again on the next run.
	NoContact int `json:"no_contact"`
}
