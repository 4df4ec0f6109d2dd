package renkei

import (
	"context"
	"time"
)

// PartnerFilter selects partners for lists, exports and campaigns.
type PartnerFilter struct {
	Query               string // matches company name, kana, corporate number, external ID
	Type                string
	Tier                string
	RequiredLevel       string
	Industry            string
	Department          string
	MissingAgreement    string // a requirement code the partner has no active agreement for
	MissingIncidentInfo bool   // no incident contact or procedure on file
	Archived            bool   // archived partners instead of active ones
	// Sort is one of name, -name, risk, -risk, created, -created (default -risk).
	Sort string
}

// PartnerSorts are the accepted Sort values.
var PartnerSorts = []string{"name", "-name", "risk", "-risk", "created", "-created"}

// RiskHistoryEntry is one past evaluation of a partner's risk.
type RiskHistoryEntry struct {
	At       time.Time    `json:"at"`
	Score    int          `json:"score"`
	Tier     string       `json:"tier"`
	Required string       `json:"required_level"`
	Reasons  []RiskReason `json:"reasons"`
	ActorID  string       `json:"actor_id"`
}

// CoverageCell is one cell of the coverage view: of the partners of a
// type, how many have an active agreement for a requirement kind.
type CoverageCell struct {
	PartnerType string  `json:"partner_type"`
	Requirement string  `json:"requirement_code"`
	Partners    int     `json:"partners"`
	Covered     int     `json:"covered"`
	Percent     float64 `json:"percent"`
}

// PartnerStore keeps partners, their companies, requirements, agreements
// and support records. Every method is scoped to orgID.
type PartnerStore interface {
	RiskPolicy(ctx context.Context, orgID string) (RiskPolicy, error)
	SetRiskPolicy(ctx context.Context, orgID string, rp RiskPolicy) error // re-evaluates every partner

	// CreatePartner finds or creates the company (by corporate number,
	// else new) and evaluates risk under the organization's policy.
	CreatePartner(ctx context.Context, p *Partner) error
	Partner(ctx context.Context, orgID, id string) (*Partner, error)
	UpdatePartner(ctx context.Context, p *Partner) error // re-evaluates risk, records history
	ArchivePartner(ctx context.Context, orgID, id string, archived bool) error
	ListPartners(ctx context.Context, orgID string, f PartnerFilter, page Page) ([]Partner, string, error)
	CountPartners(ctx context.Context, orgID string, f PartnerFilter) (int, error)
	RiskHistory(ctx context.Context, orgID, partnerID string) ([]RiskHistoryEntry, error)
	// PossibleDuplicates lists other companies with the same name key and
	// country but a different or missing corporate number.
	PossibleDuplicates(ctx context.Context, orgID, partnerID string) ([]Company, error)

	RequirementKinds(ctx context.Context, orgID string) ([]RequirementKind, error)
	CreateRequirementKind(ctx context.Context, k *RequirementKind) error

	Agreements(ctx context.Context, orgID, partnerID string) ([]Agreement, error)
	CreateAgreement(ctx context.Context, a *Agreement) error
	UpdateAgreement(ctx context.Context, a *Agreement) error
	DeleteAgreement(ctx context.Context, orgID, partnerID, id string) error
	// SetAgreementDocument records the signed document of one of the
	// partner's agreements (its FileStore key, file name, content type and
	// size), replacing the one before, and returns the replaced key ("" when
	// there was none): the caller stores the new file first and deletes the
	// old one after this succeeds. An empty key removes the document.
	// UpdateAgreement leaves the document as it is.
	SetAgreementDocument(ctx context.Context, orgID, partnerID, agreementID, key, name, contentType string, size int64) (old string, err error)
	ExpiringAgreements(ctx context.Context, orgID string, within time.Duration, page Page) ([]Agreement, string, error)
	Coverage(ctx context.Context, orgID string) ([]CoverageCell, error)

	SupportRecords(ctx context.Context, orgID, partnerID string) ([]SupportRecord, error)
	CreateSupportRecord(ctx context.Context, s *SupportRecord) error
}

// ImportRow is one partner read from an import file, with the line it came
// from (the header is line 1).
type ImportRow struct {
	Row     int
	Partner Partner
	// Columns lists the fields the file has a column for, as JSON paths
	// ("external_id", "company.name", "profile.provides",
	// "contacts.incident.email"; a prefix such as "contacts" or
	// "contacts.incident" covers every field under it). When the row
	// updates an existing partner only these fields change, so that a file
	// with a few columns does not blank the others. Nil means every field.
	Columns []string
}

// ImportError says what is wrong with one cell (or row) of an import file.
// Key names a message in the i18n catalog.
type ImportError struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	Key    string `json:"-"`
	Args   []any  `json:"-"`
}

// ImportResult counts what an import did (or, dry, would do).
type ImportResult struct {
	Created int           `json:"created"`
	Updated int           `json:"updated"`
	Errors  []ImportError `json:"errors"`
}

// Import modes.
const (
	ImportAllOrNothing = "all_or_nothing"
	ImportSkipInvalid  = "skip_invalid"
)

// PartnerImporter writes imported rows: each row updates the partner with
// the same external ID, else the one whose company has the same corporate
// number, else creates one, so importing the same file twice creates
// nothing the second time. With dryRun nothing is kept. In
// ImportAllOrNothing mode any row error keeps nothing; in
// ImportSkipInvalid the valid rows are kept.
type PartnerImporter interface {
	ImportPartners(ctx context.Context, orgID string, rows []ImportRow, mode string, dryRun bool) (ImportResult, error)
}

// RiskFactorReason returns the reason a risk factor gives, in Japanese
// and English, with the points it added. Stores keep reasons as factor
// codes and points and read the words back through it; ok is false for a
// factor the rules do not know.
func RiskFactorReason(code string, points int) (RiskReason, bool) {
	for _, f := range riskFactors {
		if f.Code == code {
			return RiskReason{Factor: f.Code, Points: points, JA: f.JA, EN: f.EN}, true
		}
	}
	return RiskReason{Factor: code, Points: points}, false
}
