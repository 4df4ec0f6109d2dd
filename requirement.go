package renkei

import (
	"strings"
	"time"
	"unicode/utf8"
)

// RequirementKind is one kind of requirement the organization asks of
// partners. The catalog is seeded from the survey's kinds (vocabulary list
// "requirement") and the organization can add its own.
type RequirementKind struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Code      string    `json:"code"` // vocabulary code, or org-<slug> for the organization's own
	NameJA    string    `json:"name_ja"`
	NameEN    string    `json:"name_en"`
	Builtin   bool      `json:"builtin"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks an organization's own requirement kind.
func (k *RequirementKind) Validate() error {
	fields := map[string]string{}
	k.NameJA, k.NameEN, k.Code = strings.TrimSpace(k.NameJA), strings.TrimSpace(k.NameEN), strings.TrimSpace(k.Code)
	if k.NameJA == "" && k.NameEN == "" {
		fields["name_ja"] = "field.required"
	}
	if utf8.RuneCountInString(k.NameJA) > 200 || utf8.RuneCountInString(k.NameEN) > 200 || hasControl(k.NameJA+k.NameEN) {
		fields["name_ja"] = "field.text"
	}
	if !slugPattern.MatchString(k.Code) {
		fields["code"] = "field.slug"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// Agreement records that a partner agreed to a requirement: in which
// contract, from when to when, with the signed document in blob storage.
type Agreement struct {
	ID            string     `json:"id"`
	OrgID         string     `json:"org_id"`
	PartnerID     string     `json:"partner_id"`
	RequirementID string     `json:"requirement_id"`
	Requirement   string     `json:"requirement_code"`
	Contract      string     `json:"contract"` // contract name or number
	ValidFrom     *time.Time `json:"valid_from"`
	ValidUntil    *time.Time `json:"valid_until"` // nil = open-ended
	// The signed document: its key in the FileStore (made by the
	// application, never from the file's name), the name it was uploaded
	// under, its content type (decided by CheckDocument) and size. All
	// empty when none is attached. Only SetAgreementDocument changes them.
	DocumentKey         string `json:"document_key,omitempty"`
	DocumentName        string `json:"document_name,omitempty"`
	DocumentContentType string `json:"document_content_type,omitempty"`
	DocumentSize        int64  `json:"document_size,omitempty"`
	Notes               string `json:"notes"`
	// ReportingHours is, for an incident-handling agreement, the time the
	// partner has to report an incident to us from its discovery (0: not
	// set). The partner_contract_report duty counts it.
	ReportingHours int       `json:"reporting_hours"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// HasDocument reports whether a signed document is attached.
func (a *Agreement) HasDocument() bool { return a.DocumentKey != "" }

// Validate checks the agreement's own fields.
func (a *Agreement) Validate() error {
	fields := map[string]string{}
	a.Contract = strings.TrimSpace(a.Contract)
	if utf8.RuneCountInString(a.Contract) > 200 || hasControl(a.Contract) {
		fields["contract"] = "field.text"
	}
	if a.RequirementID == "" {
		fields["requirement_id"] = "field.required"
	}
	if a.ValidFrom != nil && a.ValidUntil != nil && a.ValidUntil.Before(*a.ValidFrom) {
		fields["valid_until"] = "field.date_order"
	}
	if a.ReportingHours < 0 || a.ReportingHours > 24*366 {
		fields["reporting_hours"] = "field.reporting_hours"
	}
	if utf8.RuneCountInString(a.Notes) > 4000 {
		fields["notes"] = "field.too_long"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}

// ActiveAt reports whether the agreement is in force at t.
func (a *Agreement) ActiveAt(t time.Time) bool {
	return (a.ValidFrom == nil || !t.Before(*a.ValidFrom)) && (a.ValidUntil == nil || t.Before(*a.ValidUntil))
}

// ExpiresWithin reports whether the agreement is in force at t and ends
// within d of it.
func (a *Agreement) ExpiresWithin(t time.Time, d time.Duration) bool {
	return a.ActiveAt(t) && a.ValidUntil != nil && a.ValidUntil.Sub(t) <= d
}

// SupportRecord is support given to a partner, in the survey's kinds
// (vocabulary list "support").
type SupportRecord struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	PartnerID   string    `json:"partner_id"`
	Kind        string    `json:"kind"`
	Date        time.Time `json:"date"`
	Description string    `json:"description"`
	AmountYen   int64     `json:"amount_yen"`
	CreatedAt   time.Time `json:"created_at"`
}

// Validate checks the record.
func (s *SupportRecord) Validate() error {
	fields := map[string]string{}
	if !ValidTerm(ListSupport, s.Kind) {
		fields["kind"] = "field.code"
	}
	if s.Date.IsZero() {
		fields["date"] = "field.required"
	}
	if utf8.RuneCountInString(s.Description) > 4000 || hasControl(strings.ReplaceAll(strings.ReplaceAll(s.Description, "\n", ""), "\r", "")) {
		fields["description"] = "field.text"
	}
	if s.AmountYen < 0 {
		fields["amount_yen"] = "field.number"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}
