package renkei

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// IncidentStore keeps incidents and everything done about them.
//
// Every method takes the organization; staff need PermRead to read and
// PermWrite to write. A partner user (Actor.PartnerCompanyID) sees only
// incidents of partners that are their company, and of those only the
// messages shared with them.
type IncidentStore interface {
	// CreateIncident validates the report, gives it a receipt number,
	// evaluates its duties under the organization's current rules and
	// records the first timeline event, in one transaction.
	CreateIncident(ctx context.Context, in *Incident) error
	Incident(ctx context.Context, orgID, id string) (*Incident, error)
	// PartnerIncidents lists, for a partner user, their company's cases
	// in every organization, newest first; PartnerIncident finds one of
	// them by ID alone; PartnerTies lists the organizations the company
	// is a partner of, where it may report. Anyone else gets ENOTFOUND.
	PartnerIncidents(ctx context.Context, page Page) ([]Incident, string, error)
	PartnerIncident(ctx context.Context, id string) (*Incident, error)
	PartnerTies(ctx context.Context) ([]PartnerTie, error)
	// SameServiceCases lists the organization's cases at other partners
	// about the same compromised shared service as case id (staff only).
	SameServiceCases(ctx context.Context, orgID, id string) ([]Incident, error)
	ListIncidents(ctx context.Context, orgID string, f IncidentFilter, page Page) ([]Incident, string, error)
	// UpdateIncident saves triage and facts; duties are evaluated again
	// (a duty already done or waived keeps its status); closing requires
	// the root cause and prevention. Every change lands on the timeline.
	UpdateIncident(ctx context.Context, in *Incident) error

	Obligations(ctx context.Context, orgID, id string) ([]Obligation, error)
	// Measures computes the time figures over the cases we became aware
	// of since the given moment, and the duties overdue now (staff only).
	Measures(ctx context.Context, orgID string, since time.Time) (IncidentMeasures, error)
	// Clocks gives, for each of the cases named, its nearest open
	// deadline and how many duties are overdue (staff only).
	Clocks(ctx context.Context, orgID string, ids []string) (map[string]IncidentClock, error)
	// SetObligationStatus marks a duty done, waived (with a note) or open.
	SetObligationStatus(ctx context.Context, orgID, id, code, status, note string) error

	// Tasks lists the case's tasks; a partner user gets the ones for the
	// partner. SaveTask creates or replaces one (staff).
	Tasks(ctx context.Context, orgID, id string) ([]IncidentTask, error)
	SaveTask(ctx context.Context, t *IncidentTask) error
	// PartnerTaskDone is the partner's answer to a task for it: done or
	// not, and how (note).
	PartnerTaskDone(ctx context.Context, orgID, id, taskID string, done bool, note string) error
	Timeline(ctx context.Context, orgID, id string) ([]IncidentEvent, error)
	Messages(ctx context.Context, orgID, id string) ([]IncidentMessage, error)
	AddMessage(ctx context.Context, m *IncidentMessage) error

	// AddIncidentFile records a file already in the file store (staff
	// choose Shared; a partner's own files are always shared).
	// IncidentFiles lists them (a partner user gets the shared ones);
	// IncidentFile finds one.
	AddIncidentFile(ctx context.Context, f *IncidentFile) error
	IncidentFiles(ctx context.Context, orgID, id string) ([]IncidentFile, error)
	IncidentFile(ctx context.Context, orgID, id, fileID string) (*IncidentFile, error)

	Decision(ctx context.Context, orgID, id string) (*DisclosureDecision, error)
	// Recommendation applies the organization's disclosure policy to the
	// case as it stands.
	Recommendation(ctx context.Context, orgID, id string) (DisclosureRecommendation, error)
	// DecideDisclosure records the decision with the recommendation the
	// organization's policy gives at that moment.
	DecideDisclosure(ctx context.Context, orgID, id string, d *DisclosureDecision) error

	// RotateReportLink makes a new secret for the organization's report
	// link (the old one stops working) and returns it; only its hash is
	// kept. ReportLinkCreated says when the current one was made (nil:
	// none yet).
	RotateReportLink(ctx context.Context, orgID string) (string, error)
	ReportLinkCreated(ctx context.Context, orgID string) (*time.Time, error)
	// ReportLinkOrg finds the organization a report link's secret belongs
	// to, and how many reports came through report links in the last day.
	ReportLinkOrg(ctx context.Context, secret string) (*Organization, int, error)

	IncidentSettings(ctx context.Context, orgID string) (*IncidentSettings, error)
	// SaveIncidentSettings stores the settings; changed rules or policy
	// become a new version.
	SaveIncidentSettings(ctx context.Context, orgID string, s *IncidentSettings) error
}

// PartnerTie is one organization a partner company works for.
type PartnerTie struct {
	OrgID     string `json:"org_id"`
	OrgName   string `json:"org_name"`
	PartnerID string `json:"partner_id"`
}

// IncidentClock is a case's state of its duties at a glance.
type IncidentClock struct {
	NextDue  *time.Time `json:"next_due"`
	NextCode string     `json:"next_code"`
	Overdue  int        `json:"overdue"`
}

// IncidentFilter narrows ListIncidents.
type IncidentFilter struct {
	Status    string
	PartnerID string
	Type      string
	Open      bool // every status but closed
}

// IncidentSettings are what an organization fixes in peacetime: the facts
// about itself the duty rules need, the rules and the disclosure policy.
type IncidentSettings struct {
	Industry string           `json:"industry"`
	Flags    []string         `json:"flags"` // isac_member, cyber_insurance, group_company
	Rules    ObligationRules  `json:"obligation_rules"`
	Policy   DisclosurePolicy `json:"disclosure_policy"`
}

// OrgIncidentFlags are the circumstances the default rules know.
var OrgIncidentFlags = []string{"isac_member", "cyber_insurance", "group_company"}

// Validate checks the settings.
func (s *IncidentSettings) Validate() error {
	f := map[string]string{}
	if s.Industry != "" && !ValidTerm("industry", s.Industry) {
		f["industry"] = "field.industry"
	}
	for _, fl := range s.Flags {
		if !contains(OrgIncidentFlags, fl) {
			f["flags"] = "field.code"
		}
	}
	if err := s.Rules.Validate(); err != nil {
		for k, v := range err.(*Error).Fields {
			f["obligation_rules."+k] = v
		}
	}
	if err := s.Policy.Validate(); err != nil {
		for k, v := range err.(*Error).Fields {
			f["disclosure_policy."+k] = v
		}
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// IncidentTask is a piece of work on a case.
type IncidentTask struct {
	ID         string     `json:"id"`
	OrgID      string     `json:"org_id"`
	IncidentID string     `json:"incident_id"`
	Title      string     `json:"title"`
	Owner      string     `json:"owner"`
	DueDate    string     `json:"due_date"` // YYYY-MM-DD or ""
	Done       bool       `json:"done"`
	DoneAt     *time.Time `json:"done_at"`
	// ForPartner makes the task a remediation item for the reporting
	// partner: shown in its portal, where it marks it done with a note.
	ForPartner  bool      `json:"for_partner"`
	PartnerNote string    `json:"partner_note"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks the task.
func (t *IncidentTask) Validate() error {
	f := map[string]string{}
	t.Title, t.Owner = strings.TrimSpace(t.Title), strings.TrimSpace(t.Owner)
	if t.Title == "" {
		f["title"] = "incident.task_title_required"
	} else {
		checkText(f, "title", t.Title, incidentTitleMax, false)
	}
	checkText(f, "owner", t.Owner, 200, false)
	if t.DueDate != "" && !ValidDate(t.DueDate) {
		f["due_date"] = "field.date"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// IncidentEvent is one line of a case's timeline.
type IncidentEvent struct {
	ID         string    `json:"id"`
	IncidentID string    `json:"incident_id"`
	Kind       string    `json:"kind"` // reported, updated, status, obligation, task, message, decision, closed
	Actor      string    `json:"actor"`
	Detail     string    `json:"detail"` // JSON of what changed
	At         time.Time `json:"at"`
}

// IncidentFile is a file on a case: a log, a screenshot, a report.
type IncidentFile struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	IncidentID  string    `json:"incident_id"`
	Key         string    `json:"-"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Shared      bool      `json:"shared"`
	FromParty   string    `json:"from"` // staff or partner
	UploadedBy  string    `json:"uploaded_by"`
	At          time.Time `json:"at"`
}

// IncidentFileKey is where a case's file lives in the file store: made by
// the application, never from the file's name.
func IncidentFileKey(orgID, incidentID, fileID string) string {
	return "orgs/" + orgID + "/incidents/" + incidentID + "/" + fileID
}

// IncidentMessage is a message inside a case. Shared messages are seen by
// the reporting partner; the others stay with the organization's staff.
type IncidentMessage struct {
	ID         string    `json:"id"`
	OrgID      string    `json:"org_id"`
	IncidentID string    `json:"incident_id"`
	Author     string    `json:"author"`
	FromParty  string    `json:"from"` // staff or partner
	Body       string    `json:"body"`
	Shared     bool      `json:"shared"`
	At         time.Time `json:"at"`
}

// Validate checks the message body.
func (m *IncidentMessage) Validate() error {
	m.Body = strings.TrimSpace(strings.ReplaceAll(m.Body, "\r\n", "\n"))
	f := map[string]string{}
	if m.Body == "" {
		f["body"] = "incident.message_required"
	} else if !utf8.ValidString(m.Body) || utf8.RuneCountInString(m.Body) > incidentTextMax || unsafeText(m.Body, true) {
		f["body"] = "incident.text_control"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}
