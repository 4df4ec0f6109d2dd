package renkei

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Incident kinds: the attacks and accidents the METI survey asked about
// (2-3), in its words turned into codes.
var IncidentTypes = []string{
	"emotet", "ransomware", "unauthorized_access", "ddos", "bec", "shared_service",
	"defacement", "payment_abuse", "vpn", "lost_device", "other",
}

// IncidentTypeLabels name the kinds in both languages, for the reasons
// the duty rules give (the pages have fuller words in the catalog).
var IncidentTypeLabels = map[string]Bilingual{
	"emotet": {"Emotetなどの不審なメール", "Emotet or other malicious mail"}, "ransomware": {"ランサムウェア", "ransomware"},
	"unauthorized_access": {"不正アクセス", "unauthorized access"}, "ddos": {"DDoS攻撃", "DDoS"},
	"bec": {"ビジネスメール詐欺", "business email compromise"}, "shared_service": {"共有サービスの侵害", "a compromised shared service"},
	"defacement": {"Webサイトの改ざん", "website defacement"}, "payment_abuse": {"決済サービスの悪用", "abuse of a payment service"},
	"vpn": {"VPN・リモート接続の侵害", "VPN or remote-access compromise"}, "lost_device": {"機器・書類の紛失", "a lost device"},
	"other": {"その他", "other"},
}

// Incident statuses, in the order a case normally goes through.
const (
	IncidentReported      = "reported"
	IncidentTriaged       = "triaged"
	IncidentInvestigating = "investigating"
	IncidentContained     = "contained"
	IncidentClosed        = "closed"
)

// IncidentStatuses lists the statuses in order.
var IncidentStatuses = []string{IncidentReported, IncidentTriaged, IncidentInvestigating, IncidentContained, IncidentClosed}

// Severities of an incident.
var IncidentSeverities = []string{"", "low", "medium", "high", "critical"}

// Containment states as the reporter describes them.
var ContainmentStates = []string{"", "not_started", "in_progress", "contained", "recovered"}

// Service impact: how much the incident touches our services or
// production. "major" is the survey's "a large effect" reason to disclose.
var ServiceImpacts = []string{"", "none", "minor", "major"}

// Where a report came from.
const (
	IncidentSourceStaff  = "staff"       // recorded by staff (phone, mail)
	IncidentSourcePortal = "portal"      // a partner user in the portal
	IncidentSourceLink   = "public_link" // the organization's report link, no account
)

// PersonalData is what the incident did, or may have done, to personal
// data: the facts the APPI reporting duty turns on.
type PersonalData struct {
	Persons             int  `json:"persons"`              // persons whose data leaked or may have leaked
	Sensitive           bool `json:"sensitive"`            // 要配慮個人情報
	Financial           bool `json:"financial"`            // misuse may cause financial harm
	UnauthorizedPurpose bool `json:"unauthorized_purpose"` // done for an unauthorized purpose (theft, skimming)
	// Confirmed is false while the leak is only possible: the duty
	// applies to a possible leak too, so it changes no obligation.
	Confirmed bool `json:"confirmed"`
}

// Involved reports whether any personal data is involved.
func (p PersonalData) Involved() bool {
	return p.Persons > 0 || p.Sensitive || p.Financial || p.UnauthorizedPurpose
}

// Affects says what of ours the incident may reach.
type Affects struct {
	OurData     bool `json:"our_data"`
	OurNetwork  bool `json:"our_network"`
	OurProducts bool `json:"our_products"`
}

// Incident is one case: an attack or accident at a partner (or at us)
// that may reach us. Times are UTC; the duty clocks count from AwareAt.
type Incident struct {
	ID           string     `json:"id"`
	OrgID        string     `json:"org_id"`
	Ref          string     `json:"ref"` // the receipt number shown to the reporter
	PartnerID    string     `json:"partner_id"`
	Type         string     `json:"type"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	OccurredAt   *time.Time `json:"occurred_at"`
	DiscoveredAt *time.Time `json:"discovered_at"`
	AwareAt      time.Time  `json:"aware_at"`
	Systems      string     `json:"systems"`
	// Service names a compromised shared service (file transfer, cloud,
	// payment): other partners' cases about the same service are flagged.
	Service      string       `json:"service"`
	Affects      Affects      `json:"affects"`
	PersonalData PersonalData `json:"personal_data"`
	Containment  string       `json:"containment"`
	// ServiceImpact and SecondaryHarmRisk feed the disclosure policy.
	ServiceImpact     string     `json:"service_impact"`
	SecondaryHarmRisk bool       `json:"secondary_harm_risk"`
	Severity          string     `json:"severity"`
	Status            string     `json:"status"`
	Owner             string     `json:"owner"`
	Source            string     `json:"source"`
	Contact           Contact    `json:"contact"`
	RootCause         string     `json:"root_cause"`
	Prevention        string     `json:"prevention"`
	TriagedAt         *time.Time `json:"triaged_at"`
	ClosedAt          *time.Time `json:"closed_at"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Text limits keep hostile or accidental walls of text out.
const (
	incidentTitleMax = 200
	incidentTextMax  = 20000
	incidentPersons  = 1_000_000_000
)

// Validate normalizes and checks the incident as reported, against now:
// field errors keyed by JSON path.
func (in *Incident) Validate(now time.Time) error {
	f := map[string]string{}
	in.Title = strings.TrimSpace(in.Title)
	if !contains(IncidentTypes, in.Type) {
		f["type"] = "incident.type_unknown"
	}
	in.Service = strings.TrimSpace(in.Service)
	checkText(f, "title", in.Title, incidentTitleMax, false)
	checkText(f, "service", in.Service, incidentTitleMax, false)
	for field, s := range map[string]*string{
		"description": &in.Description, "systems": &in.Systems,
		"root_cause": &in.RootCause, "prevention": &in.Prevention,
	} {
		*s = strings.ReplaceAll(*s, "\r\n", "\n")
		checkText(f, field, *s, incidentTextMax, true)
	}
	in.validateTimes(f, now)
	if p := in.PersonalData.Persons; p < 0 || p > incidentPersons {
		f["personal_data.persons"] = "incident.persons_range"
	}
	if !contains(ContainmentStates, in.Containment) {
		f["containment"] = "incident.containment_unknown"
	}
	if !contains(ServiceImpacts, in.ServiceImpact) {
		f["service_impact"] = "incident.service_impact_unknown"
	}
	if !contains(IncidentSeverities, in.Severity) {
		f["severity"] = "incident.severity_unknown"
	}
	if in.Status == "" {
		in.Status = IncidentReported
	}
	if !contains(IncidentStatuses, in.Status) {
		f["status"] = "incident.status_unknown"
	}
	switch in.Contact.Locale {
	case "":
		in.Contact.Locale = LocaleJA
	case LocaleJA, LocaleEN:
	default:
		f["contact.locale"] = "field.locale"
	}
	checkText(f, "contact.name", in.Contact.Name, 200, false)
	checkText(f, "contact.phone", in.Contact.Phone, 40, false)
	if in.Contact.Email != "" && (!strings.Contains(in.Contact.Email, "@") || len(in.Contact.Email) > 254 || unsafeText(in.Contact.Email, false)) {
		f["contact.email"] = "incident.contact_email"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// validateTimes checks the order of the three moments: it happened, then
// someone found it, then we learned of it; none in the future. A clock
// skew of a few minutes is allowed.
func (in *Incident) validateTimes(f map[string]string, now time.Time) {
	limit := now.Add(5 * time.Minute)
	if in.AwareAt.IsZero() {
		f["aware_at"] = "incident.aware_required"
	} else if in.AwareAt.After(limit) {
		f["aware_at"] = "incident.time_future"
	}
	if in.OccurredAt != nil && in.OccurredAt.After(limit) {
		f["occurred_at"] = "incident.time_future"
	}
	if in.DiscoveredAt != nil && in.DiscoveredAt.After(limit) {
		f["discovered_at"] = "incident.time_future"
	}
	if in.OccurredAt != nil && in.DiscoveredAt != nil && in.DiscoveredAt.Before(*in.OccurredAt) {
		f["discovered_at"] = "incident.discovered_before_occurred"
	}
	if in.DiscoveredAt != nil && !in.AwareAt.IsZero() && in.AwareAt.Before(*in.DiscoveredAt) {
		f["aware_at"] = "incident.aware_before_discovered"
	}
}

// CanClose says what closing needs: the root cause and the measures that
// prevent a recurrence (the survey's "report, investigate the cause,
// prevent recurrence").
func (in *Incident) CanClose() error {
	f := map[string]string{}
	if strings.TrimSpace(in.RootCause) == "" {
		f["root_cause"] = "incident.root_cause_required"
	}
	if strings.TrimSpace(in.Prevention) == "" {
		f["prevention"] = "incident.prevention_required"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// checkText refuses invalid UTF-8, over-long text and control or
// direction-changing characters (line breaks and tabs only where the
// field holds several lines).
func checkText(f map[string]string, field, s string, max int, multiline bool) {
	switch {
	case !utf8.ValidString(s):
		f[field] = "incident.text_encoding"
	case utf8.RuneCountInString(s) > max:
		f[field] = "incident.text_too_long"
	case unsafeText(s, multiline):
		f[field] = "incident.text_control"
	}
}
