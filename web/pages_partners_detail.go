package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The partner page: its profile, risk with the reasons, the level to
// require, agreements (add, edit, delete; their signed documents in
// pages_partners_documents.go), contacts, support records,
// risk history and possible duplicates; archive and unarchive.

// expiringWithin is how soon an agreement's end makes it "expiring".
const expiringWithin = 90 * 24 * time.Hour

// historyShown bounds the risk history the page lists.
const historyShown = 50

type reasonRow struct {
	Text   string
	Points int
}

type contactView struct {
	Label string // message key
	renkei.Contact
}

type agreementRow struct {
	ID, Kind, Contract, From, Until, Notes string
	Status                                 string // active, expiring, expired, pending
	// The signed document: its name, size in words and download link
	// when one is attached; DocumentError says why an upload was refused.
	HasDocument                             bool
	DocumentName, DocumentSize, DocumentURL string
	DocumentError                           string
}

type supportRow struct {
	Kind, Date, Description string
	Amount                  string
}

type historyRow struct {
	At              time.Time
	Score           int
	Tier, TierLabel string
	Level           string
}

// agreementForm is the add (or edit) form of an agreement.
type agreementForm struct {
	ID, Action, Cancel, CSRF string
	Values                   url.Values
	Errors                   map[string]string
	Kinds                    []option
	lang                     string
}

// Err is a field's message.
func (f *agreementForm) Err(name string) string { return fieldMessage(f.lang, f.Errors[name]) }

// supportForm is the add form of a support record.
type supportForm struct {
	Values url.Values
	Errors map[string]string
	Kinds  []option
	lang   string
}

// Err is a field's message.
func (f *supportForm) Err(name string) string { return fieldMessage(f.lang, f.Errors[name]) }

// partnerView is the partner page.
type partnerView struct {
	P                                   *renkei.Partner
	Type, Industry, Department, Revenue string
	Provides, Network, DataHandedOver   []string
	TierLabel, Level, RequiredReason    string
	Reasons                             []reasonRow
	Meti                                []metiAnswer
	Contacts                            []contactView
	HasIncidentContact                  bool
	Agreements                          []agreementRow
	Support                             []supportRow
	History                             []historyRow
	MoreHistory                         bool
	Duplicates                          []duplicateRow
	AgreementForm                       *agreementForm
	SupportForm                         *supportForm
	DocumentAccept                      string // the upload input's accept attribute
	Archived                            bool
	Expiring                            int
	// Residual is the residual risk (pages_assessments*.go, api_review.go).
	Residual apiResidual
}

type metiAnswer struct {
	Question string // message key
	Yes      bool
}

type duplicateRow struct {
	Name, CorporateNumber, Country, Search string
}

// dateIn is a date as the page shows it, in the user's zone.
func dateIn(loc *time.Location, t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02")
}

// untilIn is an agreement's end as the page shows it: the last day it is
// in force (it ends at the start of the next day in the user's zone).
func untilIn(loc *time.Location, t *time.Time) string {
	if t == nil {
		return ""
	}
	u := t.Add(-time.Nanosecond)
	return dateIn(loc, &u)
}

// parseDay reads a yyyy-mm-dd date as the start of that day in loc;
// inclusiveEnd gives the start of the next day (an end date the agreement
// is still in force on).
func parseDay(loc *time.Location, s string, inclusiveEnd bool) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	s = strings.ReplaceAll(s, "/", "-")
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return nil, false
	}
	if inclusiveEnd {
		t = t.AddDate(0, 0, 1)
	}
	t = t.UTC()
	return &t, true
}

// csrfOf is the session's CSRF token, for forms drawn outside the page's
// own data.
func csrfOf(r *http.Request) string {
	if sess := authOf(r).Session; sess != nil {
		return sess.CSRFToken
	}
	return ""
}

func (s *Server) userLoc(r *http.Request) *time.Location {
	if u := authOf(r).User; u != nil {
		return u.Location()
	}
	return renkei.Tokyo
}

// loadPartnerView gathers the partner page: the partner, requirement
// kinds, agreements, support records, history and duplicates.
func (s *Server) loadPartnerView(r *http.Request, a *renkei.Actor, p *renkei.Partner) (*partnerView, error) {
	ctx := r.Context()
	lang, loc, now := langOf(r), s.userLoc(r), s.now()
	kinds, err := s.cfg.Store.RequirementKinds(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	agreements, err := s.cfg.Store.Agreements(ctx, a.OrgID, p.ID)
	if err != nil {
		return nil, err
	}
	support, err := s.cfg.Store.SupportRecords(ctx, a.OrgID, p.ID)
	if err != nil {
		return nil, err
	}
	history, err := s.cfg.Store.RiskHistory(ctx, a.OrgID, p.ID)
	if err != nil {
		return nil, err
	}
	dups, err := s.cfg.Store.PossibleDuplicates(ctx, a.OrgID, p.ID)
	if err != nil {
		return nil, err
	}
	v := &partnerView{P: p, Archived: p.ArchivedAt != nil, HasIncidentContact: p.Contacts.HasIncidentContact(), DocumentAccept: documentAccept}
	v.Type = termLabel(lang, renkei.ListPartnerType, p.Type)
	if p.Company.Industry != "" {
		v.Industry = termLabel(lang, renkei.ListIndustry, p.Company.Industry)
	}
	if p.Department != "" {
		v.Department = termLabel(lang, renkei.ListDepartment, p.Department)
	}
	if p.Company.RevenueBand != "" {
		v.Revenue = i18n.T(lang, "partners_web.revenue."+p.Company.RevenueBand)
	}
	for _, c := range p.Profile.Provides {
		v.Provides = append(v.Provides, i18n.T(lang, "partners_web.provides."+c))
	}
	for _, c := range p.Profile.NetworkAccess {
		v.Network = append(v.Network, i18n.T(lang, "partners_web.network."+c))
	}
	pr := p.Profile
	for _, d := range []struct {
		on  bool
		key string
	}{
		{pr.PersonalData, "profile.personal_data"}, {pr.SensitivePersonalData, "profile.sensitive_personal_data"},
		{pr.ConfidentialTechnical, "profile.confidential_technical"}, {pr.FinancialData, "profile.financial_data"},
	} {
		if d.on {
			v.DataHandedOver = append(v.DataHandedOver, i18n.T(lang, "partners_web.f."+d.key))
		}
	}
	v.TierLabel = i18n.T(lang, "partners_web.tier."+p.Risk.Tier)
	v.Level = levelLabel(p.Required)
	v.RequiredReason = reasonText(lang, p.RequiredReason)
	for _, rr := range p.Risk.Reasons {
		v.Reasons = append(v.Reasons, reasonRow{Text: reasonText(lang, rr), Points: rr.Points})
	}
	v.Meti = []metiAnswer{
		{"partners_web.f.profile.handles_confidential_on_own_it", pr.HandlesConfidentialOnOwnIT},
		{"partners_web.f.profile.outage_unacceptable", pr.OutageUnacceptable},
		{"partners_web.f.profile.reaches_internal_network", pr.ReachesInternalNetwork},
	}
	v.Contacts = []contactView{
		{"partners_web.contact.business", p.Contacts.Business},
		{"partners_web.contact.security", p.Contacts.Security},
		{"partners_web.contact.incident", p.Contacts.Incident},
	}
	kindName := map[string]string{}
	for _, k := range kinds {
		kindName[k.Code] = kindLabel(lang, k)
	}
	for _, ag := range agreements {
		row := agreementRow{ID: ag.ID, Kind: kindName[ag.Requirement], Contract: ag.Contract, Notes: ag.Notes,
			From: dateIn(loc, ag.ValidFrom), Until: untilIn(loc, ag.ValidUntil)}
		if ag.HasDocument() {
			row.HasDocument, row.DocumentName, row.DocumentSize = true, ag.DocumentName, humanFileSize(ag.DocumentSize)
			row.DocumentURL = "/partners/" + p.ID + "/agreements/" + ag.ID + "/document"
		}
		if row.Kind == "" {
			row.Kind = ag.Requirement
		}
		switch {
		case ag.ExpiresWithin(now, expiringWithin):
			row.Status = "expiring"
			v.Expiring++
		case ag.ActiveAt(now):
			row.Status = "active"
		case ag.ValidFrom != nil && now.Before(*ag.ValidFrom):
			row.Status = "pending"
		default:
			row.Status = "expired"
		}
		v.Agreements = append(v.Agreements, row)
	}
	for _, sr := range support {
		row := supportRow{Kind: termLabel(lang, renkei.ListSupport, sr.Kind), Date: dateIn(loc, &sr.Date), Description: sr.Description}
		if sr.AmountYen > 0 {
			row.Amount = grouped(sr.AmountYen)
		}
		v.Support = append(v.Support, row)
	}
	for i, h := range history {
		if i == historyShown {
			v.MoreHistory = true
			break
		}
		v.History = append(v.History, historyRow{At: h.At, Score: h.Score, Tier: h.Tier, TierLabel: i18n.T(lang, "partners_web.tier."+h.Tier), Level: levelLabel(h.Required)})
	}
	for _, c := range dups {
		v.Duplicates = append(v.Duplicates, duplicateRow{Name: c.Name, CorporateNumber: c.CorporateNumber, Country: c.Country,
			Search: listFilter{Q: c.Name, Sort: "-risk"}.URL()})
	}
	v.AgreementForm = &agreementForm{Action: "/partners/" + p.ID + "/agreements", Values: url.Values{}, lang: lang, CSRF: csrfOf(r)}
	v.AgreementForm.Kinds = kindOptions(lang, kinds, "")
	v.SupportForm = &supportForm{Values: url.Values{}, lang: lang, Kinds: termOptions(lang, renkei.ListSupport, "")}
	v.SupportForm.Values.Set("support.date", now.In(loc).Format("2006-01-02"))
	if v.Residual, err = s.residualOf(r, p.ID); err != nil {
		return nil, err
	}
	return v, nil
}

func kindOptions(lang string, kinds []renkei.RequirementKind, selected string) []option {
	var out []option
	for _, k := range kinds {
		out = append(out, option{Value: k.Code, Label: kindLabel(lang, k), Selected: k.Code == selected})
	}
	return out
}

// grouped writes a number with thousands separators.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *Server) partnerPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return err
	}
	v, err := s.loadPartnerView(r, a, p)
	if err != nil {
		return err
	}
	s.renderPartner(w, r, http.StatusOK, v, nil)
	return nil
}

func (s *Server) renderPartner(w http.ResponseWriter, r *http.Request, status int, v *partnerView, e *renkei.Error) {
	s.render(w, r, status, "partner", &pageData{Title: "partners_web.page.title", Section: "partners", Data: v, Error: e, Flash: partnerNotice(r)})
}

// partnerArchive archives the partner (archived=1) or brings it back.
func (s *Server) partnerArchive(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	archive := truthy(r.PostFormValue("archived"))
	if err := s.cfg.Store.ArchivePartner(r.Context(), a.OrgID, p.ID, archive); err != nil {
		return err
	}
	done := "unarchived"
	if archive {
		done = "archived"
	}
	seeOther(w, r, "/partners/"+p.ID+"?done="+done)
	return nil
}

// ---- agreements ----

// readAgreement reads the agreement form into a; kinds are the known
// requirement kinds.
func (s *Server) readAgreement(r *http.Request, a *renkei.Agreement, kinds []renkei.RequirementKind) (url.Values, map[string]string) {
	loc := s.userLoc(r)
	v := url.Values{}
	fields := map[string]string{}
	for _, k := range []string{"requirement", "contract", "valid_from", "valid_until", "notes"} {
		v.Set("agreement."+k, strings.TrimSpace(r.PostFormValue("agreement."+k)))
	}
	a.Requirement = v.Get("agreement.requirement")
	a.RequirementID = ""
	known := false
	for _, k := range kinds {
		known = known || k.Code == a.Requirement
	}
	if !known {
		fields["agreement.requirement"] = "partners_web.agreement.pick_kind"
	}
	a.Contract = v.Get("agreement.contract")
	a.Notes = v.Get("agreement.notes")
	var ok bool
	if a.ValidFrom, ok = parseDay(loc, v.Get("agreement.valid_from"), false); !ok {
		fields["agreement.valid_from"] = "partners_web.date"
	}
	if a.ValidUntil, ok = parseDay(loc, v.Get("agreement.valid_until"), true); !ok {
		fields["agreement.valid_until"] = "partners_web.date"
	}
	if len(fields) == 0 {
		b := *a
		b.RequirementID = "known"
		if err := b.Validate(); err != nil {
			if e := (*renkei.Error)(nil); errors.As(err, &e) {
				for k, key := range e.Fields {
					fields["agreement."+k] = key
				}
			}
		}
	}
	return v, fields
}

// prefixFields moves a store error's field keys under prefix.
func prefixFields(e *renkei.Error, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range e.Fields {
		if k == "requirement_id" {
			k = "requirement"
		}
		out[prefix+k] = v
	}
	return out
}

// partnerFormFailed shows the partner page again with err beside the form
// that fill sets up (its fields keyed with prefix); an error no form can
// show is returned for the error page.
func (s *Server) partnerFormFailed(w http.ResponseWriter, r *http.Request, a *renkei.Actor, p *renkei.Partner, err error,
	fields map[string]string, prefix string, fill func(v *partnerView, fields map[string]string)) error {
	e := formError(err)
	if e == nil {
		return err
	}
	if len(fields) == 0 {
		fields = prefixFields(e, prefix)
	}
	v, lerr := s.loadPartnerView(r, a, p)
	if lerr != nil {
		return lerr
	}
	fill(v, fields)
	s.renderPartner(w, r, statusOf(e.Code), v, e)
	return nil
}

func (s *Server) agreementAdd(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	kinds, err := s.cfg.Store.RequirementKinds(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	ag := renkei.Agreement{OrgID: a.OrgID, PartnerID: p.ID}
	values, fields := s.readAgreement(r, &ag, kinds)
	if len(fields) == 0 {
		err = s.cfg.Store.CreateAgreement(r.Context(), &ag)
	} else {
		err = renkei.Invalid(fields)
	}
	if err != nil {
		return s.partnerFormFailed(w, r, a, p, err, fields, "agreement.", func(v *partnerView, fields map[string]string) {
			v.AgreementForm.Values, v.AgreementForm.Errors = values, fields
			v.AgreementForm.Kinds = kindOptions(langOf(r), kinds, values.Get("agreement.requirement"))
		})
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=agreement_added#agreements")
	return nil
}

// pathAgreement finds the partner {id} and its agreement {aid}.
func (s *Server) pathAgreement(r *http.Request, a *renkei.Actor) (*renkei.Partner, *renkei.Agreement, error) {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return nil, nil, err
	}
	aid, err := uuid.Parse(r.PathValue("aid"))
	if err != nil {
		return nil, nil, renkei.ErrNotFound("agreement")
	}
	list, err := s.cfg.Store.Agreements(r.Context(), a.OrgID, p.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range list {
		if list[i].ID == aid.String() {
			return p, &list[i], nil
		}
	}
	return nil, nil, renkei.ErrNotFound("agreement")
}

// agreementEditForm is the form that edits agreement ag, on the partner
// page.
func agreementEditForm(r *http.Request, p *renkei.Partner, ag *renkei.Agreement, values url.Values, fields map[string]string, kinds []renkei.RequirementKind) *agreementForm {
	lang := langOf(r)
	return &agreementForm{ID: ag.ID, Action: "/partners/" + p.ID + "/agreements/" + ag.ID + "/edit", Cancel: "/partners/" + p.ID + "#agreements",
		CSRF: csrfOf(r), Values: values, Errors: fields, lang: lang, Kinds: kindOptions(lang, kinds, values.Get("agreement.requirement"))}
}

// agreementEdit shows the partner page with the agreement's form open.
func (s *Server) agreementEdit(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, ag, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	kinds, err := s.cfg.Store.RequirementKinds(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	v, err := s.loadPartnerView(r, a, p)
	if err != nil {
		return err
	}
	loc := s.userLoc(r)
	values := url.Values{}
	values.Set("agreement.requirement", ag.Requirement)
	values.Set("agreement.contract", ag.Contract)
	values.Set("agreement.valid_from", dateIn(loc, ag.ValidFrom))
	values.Set("agreement.valid_until", untilIn(loc, ag.ValidUntil))
	values.Set("agreement.notes", ag.Notes)
	v.AgreementForm = agreementEditForm(r, p, ag, values, nil, kinds)
	s.renderPartner(w, r, http.StatusOK, v, nil)
	return nil
}

func (s *Server) agreementSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, cur, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	kinds, err := s.cfg.Store.RequirementKinds(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	ag := *cur
	values, fields := s.readAgreement(r, &ag, kinds)
	if len(fields) == 0 {
		err = s.cfg.Store.UpdateAgreement(r.Context(), &ag)
	} else {
		err = renkei.Invalid(fields)
	}
	if err != nil {
		return s.partnerFormFailed(w, r, a, p, err, fields, "agreement.", func(v *partnerView, fields map[string]string) {
			v.AgreementForm = agreementEditForm(r, p, cur, values, fields, kinds)
		})
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=agreement_saved#agreements")
	return nil
}

func (s *Server) agreementDelete(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, ag, err := s.pathAgreement(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	if err := s.deleteAgreement(r.Context(), ag); err != nil {
		return err
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=agreement_deleted#agreements")
	return nil
}

// ---- support ----

func (s *Server) supportAdd(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return err
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	loc := s.userLoc(r)
	values := url.Values{}
	for _, k := range []string{"kind", "date", "description", "amount_yen"} {
		values.Set("support."+k, strings.TrimSpace(r.PostFormValue("support."+k)))
	}
	fields := map[string]string{}
	rec := renkei.SupportRecord{OrgID: a.OrgID, PartnerID: p.ID, Kind: values.Get("support.kind"), Description: values.Get("support.description")}
	if d, ok := parseDay(loc, values.Get("support.date"), false); !ok {
		fields["support.date"] = "partners_web.date"
	} else if d != nil {
		rec.Date = *d
	}
	if n, ok := parseCount(values.Get("support.amount_yen")); ok {
		rec.AmountYen = int64(n)
	} else {
		fields["support.amount_yen"] = "field.number"
	}
	if err := rec.Validate(); err != nil {
		if e := (*renkei.Error)(nil); errors.As(err, &e) {
			for k, key := range e.Fields {
				if _, seen := fields["support."+k]; !seen {
					fields["support."+k] = key
				}
			}
		}
	}
	if len(fields) == 0 {
		err = s.cfg.Store.CreateSupportRecord(r.Context(), &rec)
	} else {
		err = renkei.Invalid(fields)
	}
	if err != nil {
		return s.partnerFormFailed(w, r, a, p, err, fields, "support.", func(v *partnerView, fields map[string]string) {
			v.SupportForm.Values, v.SupportForm.Errors = values, fields
			v.SupportForm.Kinds = termOptions(langOf(r), renkei.ListSupport, values.Get("support.kind"))
		})
	}
	seeOther(w, r, "/partners/"+p.ID+"?done=support_added#support")
	return nil
}
