package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The partners API: /api/v1/partners and what hangs off it. Handlers are
// wrapped by partnerAPI, which makes the store's errors presentable (see
// apiErr). Import and export are in api_partners_io.go, agreements in
// api_agreements.go, requirement kinds in api_requirements.go, the risk
// policy and support records in api_partners_more.go.

// partnerAPI wraps a partners handler so that its errors go through apiErr.
func partnerAPI(h func(w http.ResponseWriter, r *http.Request) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error { return apiErr(h(w, r)) }
}

// apiErr prepares a coded error for the API:
//
//   - every message key is one the catalog has: a key the store uses that
//     is not (yet) in the shared catalog falls back to the API's own
//     "partners_api."+key (apiMsgKey);
//   - a field error on a company field, "company.corporate_number", is
//     also given under the bare name, "corporate_number", as the issue's
//     contract reads (fields.corporate_number). Partners have no
//     top-level field that a company field's bare name could clash with.
func apiErr(err error) error {
	var e *renkei.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	out := &renkei.Error{Code: e.Code, Key: apiMsgKey(e.Key), Args: e.Args}
	if len(e.Fields) > 0 {
		out.Fields = make(map[string]string, len(e.Fields)*2)
		for f, k := range e.Fields {
			out.Fields[f] = apiMsgKey(k)
		}
		for f, k := range e.Fields {
			if bare, ok := strings.CutPrefix(f, "company."); ok {
				if _, taken := out.Fields[bare]; !taken {
					out.Fields[bare] = apiMsgKey(k)
				}
			}
		}
	}
	return out
}

// apiMsgKey returns key when the catalog has it, else the API's own fallback
// for it when there is one, else key.
func apiMsgKey(key string) string {
	if key == "" || i18n.Has("ja", key) {
		return key
	}
	if own := "partners_api." + key; i18n.Has("ja", own) {
		return own
	}
	return key
}

// apiPartner is a partner as the API shows it: the domain's JSON, plus
// whether an incident reporting contact is on file.
type apiPartner struct {
	renkei.Partner
	HasIncidentContact bool `json:"has_incident_contact"`
	// ResidualRisk is given for one partner (GET, POST, PATCH), not in lists.
	ResidualRisk *apiResidual `json:"residual_risk,omitempty"`
}

func toAPIPartner(p *renkei.Partner) apiPartner {
	out := apiPartner{Partner: *p, HasIncidentContact: p.Contacts.HasIncidentContact()}
	q := &out.Partner
	q.CreatedAt, q.UpdatedAt, q.ArchivedAt = utc(q.CreatedAt), utc(q.UpdatedAt), utcPtr(q.ArchivedAt)
	q.Company.CreatedAt, q.Company.UpdatedAt = utc(q.Company.CreatedAt), utc(q.Company.UpdatedAt)
	if q.Profile.Provides == nil {
		q.Profile.Provides = []string{}
	}
	if q.Profile.NetworkAccess == nil {
		q.Profile.NetworkAccess = []string{}
	}
	if q.Risk.Reasons == nil {
		q.Risk.Reasons = []renkei.RiskReason{}
	}
	return out
}

// ---- request bodies ----

// Every field of a partner body is optional: on create an absent field is
// empty, on PATCH it keeps its value. Nested objects merge field by field.
// null counts as absent.
type (
	apiCompanyIn struct {
		Name            *string `json:"name"`
		NameKana        *string `json:"name_kana"`
		CorporateNumber *string `json:"corporate_number"`
		Industry        *string `json:"industry"`
		Country         *string `json:"country"`
		Employees       *int    `json:"employees"`
		RevenueBand     *string `json:"revenue_band"`
		Listed          *bool   `json:"listed"`
		WebDomain       *string `json:"web_domain"`
		MailDomain      *string `json:"mail_domain"`
	}
	apiProfileIn struct {
		Provides                   *[]string `json:"provides"`
		PersonalData               *bool     `json:"personal_data"`
		PersonalDataCount          *int      `json:"personal_data_count"`
		SensitivePersonalData      *bool     `json:"sensitive_personal_data"`
		ConfidentialTechnical      *bool     `json:"confidential_technical"`
		FinancialData              *bool     `json:"financial_data"`
		NetworkAccess              *[]string `json:"network_access"`
		OutageStopsBusiness        *bool     `json:"outage_stops_business"`
		HasAlternative             *bool     `json:"has_alternative"`
		CriticalInfrastructure     *bool     `json:"critical_infrastructure"`
		Subcontracts               *bool     `json:"subcontracts"`
		Region                     *string   `json:"region"`
		HandlesConfidentialOnOwnIT *bool     `json:"handles_confidential_on_own_it"`
		OutageUnacceptable         *bool     `json:"outage_unacceptable"`
		ReachesInternalNetwork     *bool     `json:"reaches_internal_network"`
	}
	apiContactIn struct {
		Name   *string `json:"name"`
		Email  *string `json:"email"`
		Phone  *string `json:"phone"`
		Locale *string `json:"locale"`
	}
	apiContactsIn struct {
		Business          *apiContactIn `json:"business"`
		Security          *apiContactIn `json:"security"`
		Incident          *apiContactIn `json:"incident"`
		IncidentProcedure *string       `json:"incident_procedure"`
	}
	apiPartnerIn struct {
		Type       *string        `json:"type"`
		ExternalID *string        `json:"external_id"`
		Department *string        `json:"department"`
		Company    *apiCompanyIn  `json:"company"`
		Profile    *apiProfileIn  `json:"profile"`
		Contacts   *apiContactsIn `json:"contacts"`
		Notes      *string        `json:"notes"`
	}
)

// apiText sets *dst from a present one-line text value, refusing control
// characters and direction overrides under field.
func apiText(fields map[string]string, field string, src *string, dst *string) {
	if src == nil {
		return
	}
	checkText(fields, field, *src)
	*dst = *src
}

// apiLongText is apiText for text that may hold line breaks and tabs.
func apiLongText(fields map[string]string, field string, src *string, dst *string) {
	if src == nil {
		return
	}
	if _, bad := fields[field]; !bad && strings.IndexFunc(*src, func(c rune) bool {
		return c != '\n' && c != '\r' && c != '\t' && hostileRune(c)
	}) >= 0 {
		fields[field] = "api.field.control_chars"
	}
	*dst = *src
}

func apiSet[T any](src *T, dst *T) {
	if src != nil {
		*dst = *src
	}
}

func apiStrings(fields map[string]string, field string, src *[]string, dst *[]string) {
	if src == nil {
		return
	}
	out := make([]string, 0, len(*src))
	for _, v := range *src {
		checkText(fields, field, v)
		out = append(out, v)
	}
	*dst = out
}

// apply writes the fields present in the body onto p and returns the
// field errors found on the way (control characters); the domain's
// validation follows in the store.
func (in *apiPartnerIn) apply(p *renkei.Partner) map[string]string {
	fields := map[string]string{}
	apiText(fields, "type", in.Type, &p.Type)
	apiText(fields, "external_id", in.ExternalID, &p.ExternalID)
	apiText(fields, "department", in.Department, &p.Department)
	apiLongText(fields, "notes", in.Notes, &p.Notes)
	if c := in.Company; c != nil {
		d := &p.Company
		apiText(fields, "company.name", c.Name, &d.Name)
		apiText(fields, "company.name_kana", c.NameKana, &d.NameKana)
		apiText(fields, "company.corporate_number", c.CorporateNumber, &d.CorporateNumber)
		apiText(fields, "company.industry", c.Industry, &d.Industry)
		apiText(fields, "company.country", c.Country, &d.Country)
		apiSet(c.Employees, &d.Employees)
		apiText(fields, "company.revenue_band", c.RevenueBand, &d.RevenueBand)
		apiSet(c.Listed, &d.Listed)
		apiText(fields, "company.web_domain", c.WebDomain, &d.WebDomain)
		apiText(fields, "company.mail_domain", c.MailDomain, &d.MailDomain)
	}
	if pr := in.Profile; pr != nil {
		d := &p.Profile
		apiStrings(fields, "profile.provides", pr.Provides, &d.Provides)
		apiSet(pr.PersonalData, &d.PersonalData)
		apiSet(pr.PersonalDataCount, &d.PersonalDataCount)
		apiSet(pr.SensitivePersonalData, &d.SensitivePersonalData)
		apiSet(pr.ConfidentialTechnical, &d.ConfidentialTechnical)
		apiSet(pr.FinancialData, &d.FinancialData)
		apiStrings(fields, "profile.network_access", pr.NetworkAccess, &d.NetworkAccess)
		apiSet(pr.OutageStopsBusiness, &d.OutageStopsBusiness)
		apiSet(pr.HasAlternative, &d.HasAlternative)
		apiSet(pr.CriticalInfrastructure, &d.CriticalInfrastructure)
		apiSet(pr.Subcontracts, &d.Subcontracts)
		apiText(fields, "profile.region", pr.Region, &d.Region)
		apiSet(pr.HandlesConfidentialOnOwnIT, &d.HandlesConfidentialOnOwnIT)
		apiSet(pr.OutageUnacceptable, &d.OutageUnacceptable)
		apiSet(pr.ReachesInternalNetwork, &d.ReachesInternalNetwork)
	}
	if c := in.Contacts; c != nil {
		for name, pair := range map[string]struct {
			in  *apiContactIn
			out *renkei.Contact
		}{"business": {c.Business, &p.Contacts.Business}, "security": {c.Security, &p.Contacts.Security}, "incident": {c.Incident, &p.Contacts.Incident}} {
			if pair.in == nil {
				continue
			}
			at := "contacts." + name + "."
			apiText(fields, at+"name", pair.in.Name, &pair.out.Name)
			apiText(fields, at+"email", pair.in.Email, &pair.out.Email)
			apiText(fields, at+"phone", pair.in.Phone, &pair.out.Phone)
			apiText(fields, at+"locale", pair.in.Locale, &pair.out.Locale)
		}
		apiLongText(fields, "contacts.incident_procedure", c.IncidentProcedure, &p.Contacts.IncidentProcedure)
	}
	return fields
}

// ---- filters ----

// apiQueryBool reads a yes/no query parameter: "", "0", "false" are no,
// "1", "true" yes.
func apiQueryBool(fields map[string]string, r *http.Request, name string) bool {
	switch strings.ToLower(r.URL.Query().Get(name)) {
	case "", "0", "false":
		return false
	case "1", "true":
		return true
	}
	fields[name] = "partners_api.field.bool"
	return false
}

// apiPartnerFilter reads the list's filters from the query string. Values
// outside their vocabularies are 400 with fields.<param>.
func apiPartnerFilter(r *http.Request) (renkei.PartnerFilter, error) {
	q := r.URL.Query()
	f := renkei.PartnerFilter{
		Query: q.Get("q"), Type: q.Get("type"), Tier: q.Get("tier"), RequiredLevel: q.Get("required_level"),
		Industry: q.Get("industry"), Department: q.Get("department"), MissingAgreement: q.Get("missing_agreement"),
		Sort: q.Get("sort"),
	}
	fields := map[string]string{}
	checkText(fields, "q", f.Query)
	if f.Type != "" && !renkei.ValidTerm(renkei.ListPartnerType, f.Type) {
		fields["type"] = "field.partner_type"
	}
	if f.Tier != "" && !slices.Contains([]string{renkei.TierHigh, renkei.TierMedium, renkei.TierLow}, f.Tier) {
		fields["tier"] = "partners_api.field.tier"
	}
	if f.RequiredLevel != "" && !slices.Contains([]string{renkei.LevelStar1, renkei.LevelStar2, renkei.LevelStar3, renkei.LevelStar4}, f.RequiredLevel) {
		fields["required_level"] = "partners_api.field.required_level"
	}
	if f.Industry != "" && !renkei.ValidTerm(renkei.ListIndustry, f.Industry) {
		fields["industry"] = "field.industry"
	}
	if f.Department != "" && !renkei.ValidTerm(renkei.ListDepartment, f.Department) {
		fields["department"] = "field.department"
	}
	if f.MissingAgreement != "" && (len(f.MissingAgreement) > 100 || strings.IndexFunc(f.MissingAgreement, hostileRune) >= 0) {
		fields["missing_agreement"] = "field.code"
	}
	f.MissingIncidentInfo = apiQueryBool(fields, r, "missing_incident_contact")
	f.Archived = apiQueryBool(fields, r, "archived")
	if f.Sort != "" && !slices.Contains(renkei.PartnerSorts, f.Sort) {
		fields["sort"] = "field.sort"
	}
	return f, invalid(fields)
}

// apiPageSlice pages a list the store returns whole (a partner's agreements,
// the requirement kinds): the cursor names the last item of the previous
// page by ID.
func apiPageSlice[T any](items []T, id func(*T) string, p renkei.Page) ([]T, string, error) {
	p = p.Normalize()
	start := 0
	if p.Cursor != "" {
		key, err := renkei.DecodeCursor(p.Cursor)
		if err != nil {
			return nil, "", err
		}
		i := slices.IndexFunc(items, func(it T) bool { return id(&it) == key })
		if i < 0 {
			return nil, "", renkei.Invalid(map[string]string{"cursor": "field.cursor"})
		}
		start = i + 1
	}
	end := min(start+p.Limit, len(items))
	next := ""
	if end < len(items) {
		next = renkei.EncodeCursor(id(&items[end-1]))
	}
	return items[start:end], next, nil
}

// ---- handlers ----

// apiListPartners is GET /api/v1/partners: one page of the organization's
// partners that pass the filters, in the chosen order (highest risk first
// by default).
func (s *Server) apiListPartners(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	f, err := apiPartnerFilter(r)
	if err != nil {
		return err
	}
	ps, next, err := s.cfg.Store.ListPartners(r.Context(), actor(r).OrgID, f, page)
	if err != nil {
		return err
	}
	out := make([]apiPartner, len(ps))
	for i := range ps {
		out[i] = toAPIPartner(&ps[i])
	}
	writeList(w, out, next)
	return nil
}

// apiWritePartner reads the partner back, as GET shows it, and writes it.
func (s *Server) apiWritePartner(w http.ResponseWriter, r *http.Request, status int, id string) error {
	p, err := s.cfg.Store.Partner(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	out := toAPIPartner(p)
	rr, err := s.residualOf(r, id)
	if err != nil {
		return err
	}
	out.ResidualRisk = &rr
	writeJSON(w, status, out)
	return nil
}

// apiCreatePartner is POST /api/v1/partners: the company is found by its
// Corporate Number or registered; the risk and required level are
// evaluated under the organization's policy.
func (s *Server) apiCreatePartner(w http.ResponseWriter, r *http.Request) error {
	var in apiPartnerIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	p := &renkei.Partner{OrgID: actor(r).OrgID}
	if err := invalid(in.apply(p)); err != nil {
		return err
	}
	if err := s.cfg.Store.CreatePartner(r.Context(), p); err != nil {
		return err
	}
	return s.apiWritePartner(w, r, http.StatusCreated, p.ID)
}

// apiGetPartner is GET /api/v1/partners/{id}.
func (s *Server) apiGetPartner(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	return s.apiWritePartner(w, r, http.StatusOK, id)
}

// apiPatchPartner is PATCH /api/v1/partners/{id}: the fields present
// replace the stored ones (nested objects field by field); the risk and
// required level are evaluated again and a change is kept in the history.
func (s *Server) apiPatchPartner(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	var in apiPartnerIn
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx, orgID := r.Context(), actor(r).OrgID
	p, err := s.cfg.Store.Partner(ctx, orgID, id)
	if err != nil {
		return err
	}
	p.Profile.Provides, p.Profile.NetworkAccess = slices.Clone(p.Profile.Provides), slices.Clone(p.Profile.NetworkAccess)
	if err := invalid(in.apply(p)); err != nil {
		return err
	}
	if err := s.cfg.Store.UpdatePartner(ctx, p); err != nil {
		return err
	}
	return s.apiWritePartner(w, r, http.StatusOK, id)
}

// apiArchivePartner is POST /api/v1/partners/{id}/archive (archived=true)
// and …/unarchive: archived partners leave the lists, exports, coverage
// and expiring agreements unless asked for (archived=1), and keep
// everything else.
func (s *Server) apiArchivePartner(archived bool) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "partner")
		if err != nil {
			return err
		}
		if err := s.cfg.Store.ArchivePartner(r.Context(), actor(r).OrgID, id, archived); err != nil {
			return err
		}
		return s.apiWritePartner(w, r, http.StatusOK, id)
	}
}

// apiPartnerRiskHistory is GET /api/v1/partners/{id}/risk_history: the
// partner's evaluations, newest first (at most 1,000, in one page).
func (s *Server) apiPartnerRiskHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	hs, err := s.cfg.Store.RiskHistory(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	for i := range hs {
		hs[i].At = utc(hs[i].At)
		if hs[i].Reasons == nil {
			hs[i].Reasons = []renkei.RiskReason{}
		}
	}
	writeList(w, hs, "")
	return nil
}

// apiPartnerDuplicates is GET /api/v1/partners/{id}/duplicates: companies
// of the organization's other partners that may be the same company (same
// normalized name and country, a different or missing Corporate Number).
func (s *Server) apiPartnerDuplicates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "partner")
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	cs, err := s.cfg.Store.PossibleDuplicates(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	for i := range cs {
		cs[i].CreatedAt, cs[i].UpdatedAt = utc(cs[i].CreatedAt), utc(cs[i].UpdatedAt)
	}
	items, next, err := apiPageSlice(cs, func(c *renkei.Company) string { return c.ID }, page)
	if err != nil {
		return err
	}
	writeList(w, items, next)
	return nil
}

// apiCoverage is GET /api/v1/partners/coverage.
type apiCoverage struct {
	Cells []renkei.CoverageCell `json:"cells"`
}

// apiPartnerCoverage is GET /api/v1/partners/coverage: for each partner
// type and requirement kind, how many of the (active) partners of the type
// have an agreement in force for the kind, and the share in percent.
func (s *Server) apiPartnerCoverage(w http.ResponseWriter, r *http.Request) error {
	cells, err := s.cfg.Store.Coverage(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	if cells == nil {
		cells = []renkei.CoverageCell{}
	}
	writeJSON(w, http.StatusOK, apiCoverage{Cells: cells})
	return nil
}
