package renkei

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Partner types (vocabulary list partner_type).
const (
	PartnerSupplier = "supplier"
	PartnerGroup    = "group"
	PartnerOverseas = "overseas"
)

// What a partner provides.
var ProvidesCodes = []string{
	"direct_materials", "production_supplies", "it_systems", "embedded_software",
	"it_operations", "saas", "bpo", "logistics", "other",
}

// How a partner reaches our systems.
var NetworkAccessCodes = []string{"none", "remote_maintenance", "site_to_site", "onsite_devices"}

// Partner is an organization's tie to a company.
type Partner struct {
	ID         string  `json:"id"`
	OrgID      string  `json:"org_id"`
	ExternalID string  `json:"external_id"` // the organization's own code (e.g. vendor number)
	Type       string  `json:"type"`
	Department string  `json:"department"`
	Company    Company `json:"company"`
	Profile    Profile `json:"profile"`
	Risk       Risk    `json:"inherent_risk"`
	Required   string  `json:"required_level"`
	// RequiredReason says in words why that level is required.
	RequiredReason RiskReason `json:"required_level_reason"`
	Contacts       Contacts   `json:"contacts"`
	Notes          string     `json:"notes"`
	ArchivedAt     *time.Time `json:"archived_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Profile is how the partner is tied in: what it provides, what we hand
// over, how it reaches us and what depends on it. The three METI questions
// are explicit.
type Profile struct {
	Provides               []string `json:"provides"`
	PersonalData           bool     `json:"personal_data"`
	PersonalDataCount      int      `json:"personal_data_count"`
	SensitivePersonalData  bool     `json:"sensitive_personal_data"`
	ConfidentialTechnical  bool     `json:"confidential_technical"`
	FinancialData          bool     `json:"financial_data"`
	NetworkAccess          []string `json:"network_access"`
	OutageStopsBusiness    bool     `json:"outage_stops_business"`
	HasAlternative         bool     `json:"has_alternative"`
	CriticalInfrastructure bool     `json:"critical_infrastructure"`
	Subcontracts           bool     `json:"subcontracts"`
	Region                 string   `json:"region"`

	HandlesConfidentialOnOwnIT bool `json:"handles_confidential_on_own_it"`
	OutageUnacceptable         bool `json:"outage_unacceptable"`
	ReachesInternalNetwork     bool `json:"reaches_internal_network"`
}

// Contact is a person at the partner.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	// Locale is the language mail to the contact is written in: "ja"
	// (the default) or "en".
	Locale string `json:"locale"`
}

// Contacts are the partner's people by purpose, and its incident
// reporting procedure: who tells whom, by what means, how fast.
type Contacts struct {
	Business          Contact `json:"business"`
	Security          Contact `json:"security"`
	Incident          Contact `json:"incident"`
	IncidentProcedure string  `json:"incident_procedure"`
}

// HasIncidentContact reports whether the partner has a designated way to
// report incidents to us: a contact that can be reached and a procedure.
func (c Contacts) HasIncidentContact() bool {
	return (c.Incident.Email != "" || c.Incident.Phone != "") && strings.TrimSpace(c.IncidentProcedure) != ""
}

// Validate normalizes and checks the partner's own fields, its company and
// profile, returning field errors keyed by JSON path.
func (p *Partner) Validate() error {
	fields := p.Company.Validate("company.")
	if !ValidTerm(ListPartnerType, p.Type) {
		fields["type"] = "field.partner_type"
	}
	if p.Department != "" && !ValidTerm(ListDepartment, p.Department) {
		fields["department"] = "field.department"
	}
	p.ExternalID = strings.TrimSpace(p.ExternalID)
	if utf8.RuneCountInString(p.ExternalID) > 100 || hasControl(p.ExternalID) {
		fields["external_id"] = "field.text"
	}
	if utf8.RuneCountInString(p.Notes) > 10000 {
		fields["notes"] = "field.too_long"
	}
	for k, v := range p.Profile.validate() {
		fields["profile."+k] = v
	}
	for k, v := range p.Contacts.validate() {
		fields["contacts."+k] = v
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

func (pr *Profile) validate() map[string]string {
	fields := map[string]string{}
	pr.Provides = dedupe(pr.Provides)
	for _, c := range pr.Provides {
		if !contains(ProvidesCodes, c) {
			fields["provides"] = "field.code"
		}
	}
	pr.NetworkAccess = dedupe(pr.NetworkAccess)
	for _, c := range pr.NetworkAccess {
		if !contains(NetworkAccessCodes, c) {
			fields["network_access"] = "field.code"
		}
	}
	if contains(pr.NetworkAccess, "none") && len(pr.NetworkAccess) > 1 {
		fields["network_access"] = "field.network_none_alone"
	}
	if pr.PersonalDataCount < 0 || pr.PersonalDataCount > 1_000_000_000 {
		fields["personal_data_count"] = "field.number"
	}
	if pr.PersonalDataCount > 0 {
		pr.PersonalData = true
	}
	if pr.SensitivePersonalData {
		pr.PersonalData = true
	}
	pr.Region = strings.TrimSpace(pr.Region)
	if utf8.RuneCountInString(pr.Region) > 100 || hasControl(pr.Region) {
		fields["region"] = "field.text"
	}
	return fields
}

func (c *Contacts) validate() map[string]string {
	fields := map[string]string{}
	for name, ct := range map[string]*Contact{"business": &c.Business, "security": &c.Security, "incident": &c.Incident} {
		ct.Name = strings.TrimSpace(ct.Name)
		ct.Phone = strings.TrimSpace(ct.Phone)
		if ct.Email != "" {
			e, ok := NormalizeEmail(ct.Email)
			ct.Email = e
			if !ok {
				fields[name+".email"] = "field.email"
			}
		}
		if utf8.RuneCountInString(ct.Name) > 200 || hasControl(ct.Name) {
			fields[name+".name"] = "field.text"
		}
		if len(ct.Phone) > 40 || hasControl(ct.Phone) {
			fields[name+".phone"] = "field.text"
		}
		switch ct.Locale {
		case "":
			ct.Locale = LocaleJA
		case LocaleJA, LocaleEN:
		default:
			fields[name+".locale"] = "field.locale"
		}
	}
	if utf8.RuneCountInString(c.IncidentProcedure) > 4000 {
		fields["incident_procedure"] = "field.too_long"
	}
	return fields
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0:0]
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
