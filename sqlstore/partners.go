package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/width"

	"github.com/renkei/renkei"
)

var (
	_ renkei.PartnerStore    = (*DB)(nil)
	_ renkei.PartnerImporter = (*DB)(nil)
)

const partnerColumns = `p.id, p.org_id, p.company_id, p.external_id, p.type, p.department,
	p.name, p.name_kana, p.name_key, p.corporate_number, p.country, p.industry, p.employees, p.revenue_band, p.listed, p.web_domain, p.mail_domain,
	p.profile, p.contacts, p.risk_score, p.risk_tier, p.risk_reasons, p.required_level, p.notes, p.archived_at, p.created_at, p.updated_at`

// storedProfile is a Profile as stored: only what is set, so that the
// rows stay short (a Profile converts to it and back).
type storedProfile struct {
	Provides               []string `json:"provides,omitempty"`
	PersonalData           bool     `json:"personal_data,omitempty"`
	PersonalDataCount      int      `json:"personal_data_count,omitempty"`
	SensitivePersonalData  bool     `json:"sensitive_personal_data,omitempty"`
	ConfidentialTechnical  bool     `json:"confidential_technical,omitempty"`
	FinancialData          bool     `json:"financial_data,omitempty"`
	NetworkAccess          []string `json:"network_access,omitempty"`
	OutageStopsBusiness    bool     `json:"outage_stops_business,omitempty"`
	HasAlternative         bool     `json:"has_alternative,omitempty"`
	CriticalInfrastructure bool     `json:"critical_infrastructure,omitempty"`
	Subcontracts           bool     `json:"subcontracts,omitempty"`
	Region                 string   `json:"region,omitempty"`

	HandlesConfidentialOnOwnIT bool `json:"handles_confidential_on_own_it,omitempty"`
	OutageUnacceptable         bool `json:"outage_unacceptable,omitempty"`
	ReachesInternalNetwork     bool `json:"reaches_internal_network,omitempty"`
}

func profileJSON(pr renkei.Profile) string {
	b, _ := json.Marshal(storedProfile(pr))
	return string(b)
}

func parseProfile(s string) (renkei.Profile, error) {
	var sp storedProfile
	if err := json.Unmarshal([]byte(s), &sp); err != nil {
		return renkei.Profile{}, err
	}
	pr := renkei.Profile(sp)
	pr.Provides, pr.NetworkAccess = nonNil(pr.Provides), nonNil(pr.NetworkAccess)
	return pr, nil
}

// storedContact and storedContacts are Contacts as stored: only what is
// set.
type storedContact struct {
	Name   string `json:"name,omitempty"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Locale string `json:"locale,omitempty"` // "" for the default, Japanese
}

type storedContacts struct {
	Business          *storedContact `json:"business,omitempty"`
	Security          *storedContact `json:"security,omitempty"`
	Incident          *storedContact `json:"incident,omitempty"`
	IncidentProcedure string         `json:"incident_procedure,omitempty"`
}

func contactsJSON(c renkei.Contacts) string {
	one := func(c renkei.Contact) *storedContact {
		if c.Locale == renkei.LocaleJA {
			c.Locale = ""
		}
		if c == (renkei.Contact{}) {
			return nil
		}
		sc := storedContact(c)
		return &sc
	}
	b, _ := json.Marshal(storedContacts{one(c.Business), one(c.Security), one(c.Incident), c.IncidentProcedure})
	return string(b)
}

func parseContacts(s string) (renkei.Contacts, error) {
	var sc storedContacts
	if err := json.Unmarshal([]byte(s), &sc); err != nil {
		return renkei.Contacts{}, err
	}
	one := func(c *storedContact) renkei.Contact {
		if c == nil {
			return renkei.Contact{Locale: renkei.LocaleJA}
		}
		ct := renkei.Contact(*c)
		if ct.Locale == "" {
			ct.Locale = renkei.LocaleJA
		}
		return ct
	}
	return renkei.Contacts{Business: one(sc.Business), Security: one(sc.Security), Incident: one(sc.Incident), IncidentProcedure: sc.IncidentProcedure}, nil
}

// storedReason is a risk reason as stored: the factor and its points. The
// words are the rules' (renkei.RiskFactorReason), so that they are not
// copied into every row and every history entry.
type storedReason struct {
	Factor string `json:"factor"`
	Points int    `json:"points"`
}

func reasonsJSON(rs []renkei.RiskReason) string {
	out := make([]storedReason, len(rs))
	for i, r := range rs {
		out[i] = storedReason{r.Factor, r.Points}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func parseReasons(s string) ([]renkei.RiskReason, error) {
	var in []storedReason
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]renkei.RiskReason, len(in))
	for i, r := range in {
		out[i], _ = renkei.RiskFactorReason(r.Factor, r.Points)
	}
	return out, nil
}

// scanPartner reads one partner row. RequiredReason is filled by the
// caller from the organization's policy (withReason).
func scanPartner(s interface{ Scan(...any) error }) (*renkei.Partner, error) {
	var p renkei.Partner
	var profile, contacts, reasons string
	var archived sql.NullTime
	c := &p.Company
	if err := s.Scan(&p.ID, &p.OrgID, &c.ID, &p.ExternalID, &p.Type, &p.Department,
		&c.Name, &c.NameKana, &c.NameKey, &c.CorporateNumber, &c.Country, &c.Industry, &c.Employees, &c.RevenueBand, &c.Listed, &c.WebDomain, &c.MailDomain,
		&profile, &contacts, &p.Risk.Score, &p.Risk.Tier, &reasons, &p.Required, &p.Notes, &archived, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, notFound(err, "partner")
	}
	var err error
	if p.Profile, err = parseProfile(profile); err != nil {
		return nil, err
	}
	if p.Contacts, err = parseContacts(contacts); err != nil {
		return nil, err
	}
	if p.Risk.Reasons, err = parseReasons(reasons); err != nil {
		return nil, err
	}
	p.ArchivedAt = timePtr(archived)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	c.CreatedAt, c.UpdatedAt = p.CreatedAt, p.UpdatedAt
	return &p, nil
}

// withReason fills in the words of the required level's reason, which
// follow from the partner and the policy it was evaluated under.
func withReason(p *renkei.Partner, rp renkei.RiskPolicy) {
	_, p.RequiredReason = rp.RequiredLevel(p, p.Risk.Tier)
}

// validPartner validates and normalizes the partner as stored: empty
// lists are empty, not nil, as they are when read back.
func validPartner(p *renkei.Partner) error {
	err := p.Validate()
	p.Profile.Provides, p.Profile.NetworkAccess = nonNil(p.Profile.Provides), nonNil(p.Profile.NetworkAccess)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// partnerRow is what a partner row stores, as comparable values: two
// equal partnerRows store the same thing.
type partnerRow struct {
	CompanyID, ExternalID, Type, Department                     string
	Name, NameKana, NameKey, CorporateNumber, Country, Industry string
	Employees                                                   int
	RevenueBand                                                 string
	Listed                                                      bool
	WebDomain, MailDomain                                       string
	Profile, Contacts                                           string
	RiskScore                                                   int
	RiskTier, RiskReasons, RequiredLevel                        string
	HasIncidentContact                                          bool
	Notes, Search                                               string
}

func rowOf(p *renkei.Partner) partnerRow {
	c := &p.Company
	return partnerRow{
		CompanyID: c.ID, ExternalID: p.ExternalID, Type: p.Type, Department: p.Department,
		Name: c.Name, NameKana: c.NameKana, NameKey: c.NameKey, CorporateNumber: c.CorporateNumber, Country: c.Country, Industry: c.Industry,
		Employees: c.Employees, RevenueBand: c.RevenueBand, Listed: c.Listed, WebDomain: c.WebDomain, MailDomain: c.MailDomain,
		Profile: profileJSON(p.Profile), Contacts: contactsJSON(p.Contacts),
		RiskScore: p.Risk.Score, RiskTier: p.Risk.Tier, RiskReasons: reasonsJSON(p.Risk.Reasons), RequiredLevel: p.Required,
		HasIncidentContact: p.Contacts.HasIncidentContact(), Notes: p.Notes,
		Search: searchText(p),
	}
}

// riskInputs is what the risk rules read from a partner.
func (r partnerRow) riskInputs() [4]string {
	return [4]string{r.Type, r.Country, strconv.Itoa(r.Employees), r.Profile}
}

func (r partnerRow) riskResult() [4]string {
	return [4]string{strconv.Itoa(r.RiskScore), r.RiskTier, r.RequiredLevel, r.RiskReasons}
}

const partnerInsertColumns = `id, org_id, company_id, external_id, type, department,
	name, name_kana, name_key, corporate_number, country, industry, employees, revenue_band, listed, web_domain, mail_domain,
	profile, contacts, risk_score, risk_tier, risk_reasons, required_level, has_incident_contact, notes, search, archived, archived_at, created_at, updated_at`

const partnerInsertArity = 30

func partnerInsertArgs(p *renkei.Partner, r partnerRow) []any {
	return []any{p.ID, p.OrgID, r.CompanyID, r.ExternalID, r.Type, r.Department,
		r.Name, r.NameKana, r.NameKey, r.CorporateNumber, r.Country, r.Industry, r.Employees, r.RevenueBand, r.Listed, r.WebDomain, r.MailDomain,
		r.Profile, r.Contacts, r.RiskScore, r.RiskTier, r.RiskReasons, r.RequiredLevel, r.HasIncidentContact, r.Notes, r.Search,
		p.ArchivedAt != nil, nullTime(p.ArchivedAt), utc(p.CreatedAt), utc(p.UpdatedAt)}
}

const partnerUpdateSQL = `UPDATE partners SET company_id = ?, external_id = ?, type = ?, department = ?,
	name = ?, name_kana = ?, name_key = ?, corporate_number = ?, country = ?, industry = ?, employees = ?, revenue_band = ?, listed = ?, web_domain = ?, mail_domain = ?,
	profile = ?, contacts = ?, risk_score = ?, risk_tier = ?, risk_reasons = ?, required_level = ?, has_incident_contact = ?, notes = ?, search = ?, updated_at = ?
	WHERE org_id = ? AND id = ?`

func partnerUpdateArgs(p *renkei.Partner, r partnerRow) []any {
	return []any{r.CompanyID, r.ExternalID, r.Type, r.Department,
		r.Name, r.NameKana, r.NameKey, r.CorporateNumber, r.Country, r.Industry, r.Employees, r.RevenueBand, r.Listed, r.WebDomain, r.MailDomain,
		r.Profile, r.Contacts, r.RiskScore, r.RiskTier, r.RiskReasons, r.RequiredLevel, r.HasIncidentContact, r.Notes, r.Search, utc(p.UpdatedAt),
		p.OrgID, p.ID}
}

// fold makes text comparable for search: full-width letters and digits
// become ASCII, half-width katakana full-width, and case is folded.
func fold(s string) string { return strings.ToLower(width.Fold.String(s)) }

// searchText is what the list's query matches: the name and the kana
// (folded, so that 「株式会社ＡＢＣ」 is found by "abc"), the Corporate
// Number and the external ID, one per line. It is kept short: a query that
// matches few partners reads it from every index entry.
func searchText(p *renkei.Partner) string {
	return strings.Join([]string{fold(p.Company.Name), fold(p.Company.NameKana), p.Company.CorporateNumber, fold(p.ExternalID)}, "\n")
}

// likeEscape escapes LIKE's wildcards (and the escape character itself)
// for use with ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// actorID is the user acting in ctx, or "" for the system.
func actorID(ctx context.Context) string {
	if a := renkei.ActorFrom(ctx); a != nil {
		return a.UserID
	}
	return ""
}

// queryRows runs a query that returns rows inside the transaction.
func (t *tx) queryRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, t.db.q(query), args...)
	return rows, mapErr(err)
}

func (t *tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, t.db.q(query))
}

// orgExists returns not found for an unknown organization.
func (t *tx) orgExists(ctx context.Context, orgID string) error {
	var one int
	return notFound(t.queryRow(ctx, `SELECT 1 FROM organizations WHERE id = ?`, orgID).Scan(&one), "organization")
}

// partnerExists returns not found unless the partner belongs to orgID.
func partnerExists(ctx context.Context, q interface {
	queryRow(context.Context, string, ...any) *sql.Row
}, orgID, id string) error {
	var one int
	return notFound(q.queryRow(ctx, `SELECT 1 FROM partners WHERE org_id = ? AND id = ?`, orgID, id).Scan(&one), "partner")
}

// recordRisk appends a risk history entry.
func (t *tx) recordRisk(ctx context.Context, p *renkei.Partner, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO partner_risk_history (id, org_id, partner_id, at, score, tier, required_level, reasons, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		NewID(), p.OrgID, p.ID, at, p.Risk.Score, p.Risk.Tier, p.Required, reasonsJSON(p.Risk.Reasons), actorID(ctx))
	return err
}

// checkExternalID returns a conflict when another partner of the
// organization has the external ID.
func (t *tx) checkExternalID(ctx context.Context, orgID, id, externalID string) error {
	if externalID == "" {
		return nil
	}
	var other string
	err := t.queryRow(ctx, `SELECT id FROM partners WHERE org_id = ? AND external_id = ? AND external_id <> ''`, orgID, externalID).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case other != id:
		return &renkei.Error{Code: renkei.ECONFLICT, Key: "error.conflict", Fields: map[string]string{"external_id": "field.external_id_taken"}}
	}
	return nil
}

// checkCompanyTie returns a conflict when another partner of the
// organization is tied to the company.
func (t *tx) checkCompanyTie(ctx context.Context, orgID, id, companyID string) error {
	var other string
	err := t.queryRow(ctx, `SELECT id FROM partners WHERE company_id = ? AND org_id = ?`, companyID, orgID).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case other != id:
		return &renkei.Error{Code: renkei.ECONFLICT, Key: "error.conflict", Fields: map[string]string{"company.corporate_number": "field.partner_exists"}}
	}
	return nil
}

// CreatePartner adds a partner: it finds the company by Corporate Number
// (or registers it), evaluates the risk under the organization's policy
// and records the first history entry.
func (db *DB) CreatePartner(ctx context.Context, p *renkei.Partner) error {
	if err := renkei.Require(ctx, p.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := validPartner(p); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		if err := t.orgExists(ctx, p.OrgID); err != nil {
			return err
		}
		rp, err := t.riskPolicy(ctx, p.OrgID)
		if err != nil {
			return err
		}
		if err := t.checkExternalID(ctx, p.OrgID, "", p.ExternalID); err != nil {
			return err
		}
		now := t.db.now()
		p.ID, p.CreatedAt, p.UpdatedAt, p.ArchivedAt = NewID(), now, now, nil
		if p.Company.ID, err = t.companyFor(ctx, &p.Company, now); err != nil {
			return err
		}
		if err := t.checkCompanyTie(ctx, p.OrgID, p.ID, p.Company.ID); err != nil {
			return err
		}
		p.Company.CreatedAt, p.Company.UpdatedAt = now, now
		rp.Evaluate(p)
		if _, err := t.exec(ctx, `INSERT INTO partners (`+partnerInsertColumns+`) VALUES (`+placeholders(partnerInsertArity)+`)`,
			partnerInsertArgs(p, rowOf(p))...); err != nil {
			return err
		}
		if err := t.recordRisk(ctx, p, now); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: p.OrgID, Action: "partner.create", ObjectType: "partner", ObjectID: p.ID,
			Detail: map[string]any{"name": p.Company.Name, "type": p.Type, "risk_score": p.Risk.Score, "required_level": p.Required}})
	})
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Partner returns one of the organization's partners.
func (db *DB) Partner(ctx context.Context, orgID, id string) (*renkei.Partner, error) {
	p, err := scanPartner(db.queryRow(ctx, `SELECT `+partnerColumns+` FROM partners p WHERE p.org_id = ? AND p.id = ?`, orgID, id))
	if err != nil {
		return nil, err
	}
	rp, err := db.RiskPolicy(ctx, orgID)
	if err != nil {
		return nil, err
	}
	withReason(p, rp)
	return p, nil
}

// UpdatePartner replaces the partner's fields (all but its ID,
// organization, archive state and creation time), re-evaluates its risk
// and records a history entry when the risk's inputs or result changed.
// A changed Corporate Number moves the tie to that company.
func (db *DB) UpdatePartner(ctx context.Context, p *renkei.Partner) error {
	if err := renkei.Require(ctx, p.OrgID, renkei.PermWrite); err != nil {
		return err
	}
	if err := validPartner(p); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		cur, err := scanPartner(t.queryRow(ctx, `SELECT `+partnerColumns+` FROM partners p WHERE p.org_id = ? AND p.id = ?`, p.OrgID, p.ID))
		if err != nil {
			return err
		}
		rp, err := t.riskPolicy(ctx, p.OrgID)
		if err != nil {
			return err
		}
		if p.ExternalID != cur.ExternalID {
			if err := t.checkExternalID(ctx, p.OrgID, p.ID, p.ExternalID); err != nil {
				return err
			}
		}
		now := t.db.now()
		p.CreatedAt, p.ArchivedAt, p.UpdatedAt = cur.CreatedAt, cur.ArchivedAt, cur.UpdatedAt
		dropOld := ""
		if p.Company.CorporateNumber == cur.Company.CorporateNumber {
			p.Company.ID = cur.Company.ID
		} else {
			if p.Company.ID, err = t.companyFor(ctx, &p.Company, now); err != nil {
				return err
			}
			if err := t.checkCompanyTie(ctx, p.OrgID, p.ID, p.Company.ID); err != nil {
				return err
			}
			if cur.Company.CorporateNumber == "" {
				dropOld = cur.Company.ID
			}
		}
		rp.Evaluate(p)
		before, after := rowOf(cur), rowOf(p)
		if before == after {
			p.Company.CreatedAt, p.Company.UpdatedAt = p.CreatedAt, p.UpdatedAt
			return nil
		}
		p.UpdatedAt = now
		p.Company.CreatedAt, p.Company.UpdatedAt = p.CreatedAt, p.UpdatedAt
		if _, err := t.exec(ctx, partnerUpdateSQL, partnerUpdateArgs(p, after)...); err != nil {
			return err
		}
		if p.Company.CorporateNumber == "" && dropOld == "" {
			if err := t.touchPrivateCompany(ctx, p.Company.ID, &p.Company, now); err != nil {
				return err
			}
		}
		if dropOld != "" {
			if err := t.dropPrivateCompany(ctx, dropOld); err != nil {
				return err
			}
		}
		if before.riskInputs() != after.riskInputs() || before.riskResult() != after.riskResult() {
			if err := t.recordRisk(ctx, p, now); err != nil {
				return err
			}
		}
		return t.audit(ctx, change{OrgID: p.OrgID, Action: "partner.update", ObjectType: "partner", ObjectID: p.ID,
			Detail: map[string]any{"name": p.Company.Name, "risk_score": p.Risk.Score, "required_level": p.Required}})
	})
}

// ArchivePartner archives the partner, or brings it back.
func (db *DB) ArchivePartner(ctx context.Context, orgID, id string, archived bool) error {
	if err := renkei.Require(ctx, orgID, renkei.PermWrite); err != nil {
		return err
	}
	return db.write(ctx, func(t *tx) error {
		var cur bool
		if err := t.queryRow(ctx, `SELECT archived FROM partners WHERE org_id = ? AND id = ?`, orgID, id).Scan(&cur); err != nil {
			return notFound(err, "partner")
		}
		if cur == archived {
			return nil
		}
		now := t.db.now()
		var at *time.Time
		action := "partner.unarchive"
		if archived {
			at, action = &now, "partner.archive"
		}
		if _, err := t.exec(ctx, `UPDATE partners SET archived = ?, archived_at = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
			archived, nullTime(at), now, orgID, id); err != nil {
			return err
		}
		return t.audit(ctx, change{OrgID: orgID, Action: action, ObjectType: "partner", ObjectID: id})
	})
}

// partnerSort is one accepted sort: its column and direction.
type partnerSort struct {
	name  string
	col   string
	index string // the index that holds the sort's order
	desc  bool
}

func parseSort(s string) (partnerSort, error) {
	if s == "" {
		s = "-risk"
	}
	ps := partnerSort{name: s, desc: strings.HasPrefix(s, "-")}
	switch strings.TrimPrefix(s, "-") {
	case "risk":
		ps.col, ps.index = "p.risk_score", "partners_risk"
	case "name":
		ps.col, ps.index = "p.name_key", "partners_name"
	case "created":
		ps.col, ps.index = "p.created_at", "partners_created"
	default:
		return ps, renkei.Invalid(map[string]string{"sort": "field.sort"})
	}
	return ps, nil
}

// partnersFrom is the FROM clause of the list and the count. With a
// query, SQLite is told to walk the sort's index, whose entries hold the
// search text: without statistics it would take a filter's index and read
// the row of every partner the filter lets through to test the query.
func (db *DB) partnersFrom(f renkei.PartnerFilter, index string) string {
	if db.dialect == SQLite && strings.TrimSpace(f.Query) != "" {
		return ` FROM partners p INDEXED BY ` + index + ` `
	}
	return ` FROM partners p `
}

// partnerWhere builds the WHERE clause of the list and the count. Every
// clause starts with the organization.
func (db *DB) partnerWhere(ctx context.Context, orgID string, f renkei.PartnerFilter) (string, []any, error) {
	conds := []string{"p.org_id = ?", "p.archived = ?"}
	args := []any{orgID, f.Archived}
	// The query comes first: on the sort indexes it is tested on the
	// index entry, before the row is read for the other conditions.
	if q := strings.TrimSpace(f.Query); q != "" {
		if utf8.RuneCountInString(q) > 200 {
			return "", nil, renkei.Invalid(map[string]string{"q": "field.too_long"})
		}
		conds = append(conds, `p.search LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(fold(q))+"%")
	}
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	eq("p.type", f.Type)
	eq("p.risk_tier", f.Tier)
	eq("p.required_level", f.RequiredLevel)
	eq("p.industry", f.Industry)
	eq("p.department", f.Department)
	if f.MissingIncidentInfo {
		conds = append(conds, "p.has_incident_contact = ?")
		args = append(args, false)
	}
	if f.MissingAgreement != "" {
		reqID, err := db.requirementIDByCode(ctx, orgID, f.MissingAgreement)
		if err != nil {
			return "", nil, err
		}
		// A builtin kind not seeded yet has no agreements: every partner
		// misses it, and there is nothing to add to the clause.
		if reqID != "" {
			now := db.now()
			conds = append(conds, `NOT EXISTS (SELECT 1 FROM agreements a WHERE a.partner_id = p.id AND a.requirement_id = ? AND a.org_id = ?
				AND (a.valid_from IS NULL OR a.valid_from <= ?) AND (a.valid_until IS NULL OR a.valid_until > ?))`)
			args = append(args, reqID, orgID, now, now)
		}
	}
	return strings.Join(conds, " AND "), args, nil
}

// ListPartners lists the organization's partners that pass the filter, in
// its sort, one page at a time. The cursor holds the sort and the last
// partner's sort key and ID (for the name sort, only the ID: names can be
// longer than a cursor may be, so the key is read back).
func (db *DB) ListPartners(ctx context.Context, orgID string, f renkei.PartnerFilter, page renkei.Page) ([]renkei.Partner, string, error) {
	page = page.Normalize()
	ps, err := parseSort(f.Sort)
	if err != nil {
		return nil, "", err
	}
	where, args, err := db.partnerWhere(ctx, orgID, f)
	if err != nil {
		return nil, "", err
	}
	after, err := renkei.DecodeCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	cmp, dir := ">", "ASC"
	if ps.desc {
		cmp, dir = "<", "DESC"
	}
	if after != "" {
		key, id, err := db.parsePartnerCursor(ctx, orgID, ps, after)
		if err != nil {
			return nil, "", err
		}
		where += " AND (" + ps.col + ", p.id) " + cmp + " (?, ?)"
		args = append(args, key, id)
	}
	args = append(args, page.Limit+1)
	rows, err := db.query(ctx, `SELECT `+partnerColumns+db.partnersFrom(f, ps.index)+`WHERE `+where+
		` ORDER BY `+ps.col+` `+dir+`, p.id `+dir+` LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	out := []renkei.Partner{}
	for rows.Next() {
		p, err := scanPartner(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, *p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > page.Limit {
		out = out[:page.Limit]
		last := &out[len(out)-1]
		switch strings.TrimPrefix(ps.name, "-") {
		case "risk":
			next = renkei.EncodeCursor(ps.name + "|" + strconv.Itoa(last.Risk.Score) + "|" + last.ID)
		case "created":
			next = renkei.EncodeCursor(ps.name + "|" + strconv.FormatInt(last.CreatedAt.UnixMicro(), 10) + "|" + last.ID)
		default:
			next = renkei.EncodeCursor(ps.name + "|" + last.ID)
		}
	}
	if len(out) > 0 {
		rp, err := db.RiskPolicy(ctx, orgID)
		if err != nil {
			return nil, "", err
		}
		for i := range out {
			withReason(&out[i], rp)
		}
	}
	return out, next, nil
}

func badCursor() error { return renkei.Invalid(map[string]string{"cursor": "field.cursor"}) }

// parsePartnerCursor returns the sort key and ID a cursor points after.
func (db *DB) parsePartnerCursor(ctx context.Context, orgID string, ps partnerSort, s string) (any, string, error) {
	parts := strings.Split(s, "|")
	if len(parts) < 2 || parts[0] != ps.name {
		return nil, "", badCursor()
	}
	id := parts[len(parts)-1]
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return nil, "", badCursor()
	}
	switch strings.TrimPrefix(ps.name, "-") {
	case "risk":
		n, err := strconv.Atoi(parts[1])
		if err != nil || len(parts) != 3 {
			return nil, "", badCursor()
		}
		return n, id, nil
	case "created":
		n, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || len(parts) != 3 {
			return nil, "", badCursor()
		}
		return time.UnixMicro(n).UTC(), id, nil
	default:
		if len(parts) != 2 {
			return nil, "", badCursor()
		}
		var key string
		if err := db.queryRow(ctx, `SELECT name_key FROM partners WHERE org_id = ? AND id = ?`, orgID, id).Scan(&key); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil, "", badCursor()
			}
			return nil, "", err
		}
		return key, id, nil
	}
}

// CountPartners counts the organization's partners that pass the filter.
func (db *DB) CountPartners(ctx context.Context, orgID string, f renkei.PartnerFilter) (int, error) {
	where, args, err := db.partnerWhere(ctx, orgID, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = db.queryRow(ctx, `SELECT COUNT(*)`+db.partnersFrom(f, "partners_risk")+`WHERE `+where, args...).Scan(&n)
	return n, err
}

// RiskHistory returns the partner's past evaluations, newest first (at
// most 1,000).
func (db *DB) RiskHistory(ctx context.Context, orgID, partnerID string) ([]renkei.RiskHistoryEntry, error) {
	if err := partnerExists(ctx, db, orgID, partnerID); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT at, score, tier, required_level, reasons, actor_id FROM partner_risk_history
		WHERE partner_id = ? AND org_id = ? ORDER BY at DESC, id DESC LIMIT 1000`, partnerID, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []renkei.RiskHistoryEntry{}
	for rows.Next() {
		var e renkei.RiskHistoryEntry
		var reasons string
		if err := rows.Scan(&e.At, &e.Score, &e.Tier, &e.Required, &reasons, &e.ActorID); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		if e.Reasons, err = parseReasons(reasons); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PossibleDuplicates lists the companies of the organization's other
// partners (archived ones included) that have the partner's name key and
// country but are another company: a different Corporate Number, or none
// on one side. Only the organization's own partners are compared, and the
// companies are returned as the organization recorded them.
func (db *DB) PossibleDuplicates(ctx context.Context, orgID, partnerID string) ([]renkei.Company, error) {
	var key, country, companyID string
	if err := db.queryRow(ctx, `SELECT name_key, country, company_id FROM partners WHERE org_id = ? AND id = ?`, orgID, partnerID).
		Scan(&key, &country, &companyID); err != nil {
		return nil, notFound(err, "partner")
	}
	out := []renkei.Company{}
	if key == "" {
		return out, nil
	}
	rows, err := db.query(ctx, `SELECT `+partnerColumns+` FROM partners p
		WHERE p.org_id = ? AND p.archived IN (?, ?) AND p.name_key = ? AND p.country = ? AND p.company_id <> ?
		ORDER BY p.name_key, p.id LIMIT 100`, orgID, false, true, key, country, companyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPartner(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Company)
	}
	return out, rows.Err()
}
