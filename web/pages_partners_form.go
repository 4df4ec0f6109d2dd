package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The partner form: /partners/new and /partners/{id}/edit. Its fields are
// named by the partner's JSON paths ("company.corporate_number",
// "profile.provides", "contacts.incident.email"), the keys the store's
// field errors use, so an error lands by its field. Inline validation
// (POST /partners/validate?field=NAME, sent by htmx when a field changes)
// runs the same checks; the store stays the authority on save.

// metiQuestions are the three questions of the METI scheme, asked as
// explicit yes/no: a yes to any of them requires star 4.
var metiQuestions = []string{"profile.handles_confidential_on_own_it", "profile.outage_unacceptable", "profile.reaches_internal_network"}

// formBools are the form's checkboxes that stand for one yes/no.
var formBools = []string{
	"company.listed", "profile.personal_data", "profile.sensitive_personal_data", "profile.confidential_technical",
	"profile.financial_data", "profile.outage_stops_business", "profile.has_alternative", "profile.critical_infrastructure",
	"profile.subcontracts",
}

// inlineChecked are the fields checked as soon as they change.
var inlineChecked = map[string]bool{
	"company.name": true, "company.name_kana": true, "company.corporate_number": true, "company.country": true,
	"company.employees": true, "company.web_domain": true, "company.mail_domain": true, "external_id": true,
	"profile.personal_data_count": true, "profile.region": true,
	"contacts.business.email": true, "contacts.security.email": true, "contacts.incident.email": true,
	"contacts.business.phone": true, "contacts.security.phone": true, "contacts.incident.phone": true,
}

// partnerValues is a partner as the form's values.
func partnerValues(p *renkei.Partner) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	num := func(k string, n int) {
		if n != 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	flag := func(k string, b bool) {
		if b {
			v.Set(k, "1")
		}
	}
	yesNo := func(k string, b bool) {
		if b {
			v.Set(k, "yes")
		} else {
			v.Set(k, "no")
		}
	}
	c, pr, ct := &p.Company, &p.Profile, &p.Contacts
	set("external_id", p.ExternalID)
	set("type", p.Type)
	set("department", p.Department)
	set("notes", p.Notes)
	set("company.name", c.Name)
	set("company.name_kana", c.NameKana)
	set("company.corporate_number", c.CorporateNumber)
	set("company.country", c.Country)
	set("company.industry", c.Industry)
	num("company.employees", c.Employees)
	set("company.revenue_band", c.RevenueBand)
	flag("company.listed", c.Listed)
	set("company.web_domain", c.WebDomain)
	set("company.mail_domain", c.MailDomain)
	v["profile.provides"] = append([]string(nil), pr.Provides...)
	flag("profile.personal_data", pr.PersonalData)
	num("profile.personal_data_count", pr.PersonalDataCount)
	flag("profile.sensitive_personal_data", pr.SensitivePersonalData)
	flag("profile.confidential_technical", pr.ConfidentialTechnical)
	flag("profile.financial_data", pr.FinancialData)
	v["profile.network_access"] = append([]string(nil), pr.NetworkAccess...)
	flag("profile.outage_stops_business", pr.OutageStopsBusiness)
	flag("profile.has_alternative", pr.HasAlternative)
	flag("profile.critical_infrastructure", pr.CriticalInfrastructure)
	flag("profile.subcontracts", pr.Subcontracts)
	set("profile.region", pr.Region)
	yesNo("profile.handles_confidential_on_own_it", pr.HandlesConfidentialOnOwnIT)
	yesNo("profile.outage_unacceptable", pr.OutageUnacceptable)
	yesNo("profile.reaches_internal_network", pr.ReachesInternalNetwork)
	for name, x := range map[string]*renkei.Contact{"business": &ct.Business, "security": &ct.Security, "incident": &ct.Incident} {
		set("contacts."+name+".name", x.Name)
		set("contacts."+name+".email", x.Email)
		set("contacts."+name+".phone", x.Phone)
		set("contacts."+name+".locale", x.Locale)
	}
	set("contacts.incident_procedure", ct.IncidentProcedure)
	return v
}

// parseCount reads a whole number as people type it: full-width digits,
// thousands separators and spaces are fine; empty is 0.
func parseCount(s string) (int, bool) {
	s = strings.NewReplacer(",", "", " ", "", "_", "").Replace(width.Narrow.String(strings.TrimSpace(s)))
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parsePartnerForm reads the form into a partner. fields holds what
// cannot be read at all (a number that is not one, a METI question left
// unanswered); the partner's own rules are Validate's.
func parsePartnerForm(v url.Values) (renkei.Partner, map[string]string) {
	fields := map[string]string{}
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	flag := func(k string) bool { return truthy(v.Get(k)) }
	num := func(k, key string) int {
		n, ok := parseCount(v.Get(k))
		if !ok {
			fields[k] = key
		}
		return n
	}
	meti := func(k string) bool {
		switch v.Get(k) {
		case "yes":
			return true
		case "no":
			return false
		}
		fields[k] = "partners_web.meti.required"
		return false
	}
	var p renkei.Partner
	p.ExternalID = get("external_id")
	p.Type = get("type")
	p.Department = get("department")
	p.Notes = strings.TrimSpace(strings.ReplaceAll(v.Get("notes"), "\r\n", "\n"))
	c := &p.Company
	c.Name = get("company.name")
	c.NameKana = get("company.name_kana")
	c.CorporateNumber = get("company.corporate_number")
	c.Country = get("company.country")
	c.Industry = get("company.industry")
	c.Employees = num("company.employees", "field.employees")
	c.RevenueBand = get("company.revenue_band")
	c.Listed = flag("company.listed")
	c.WebDomain = get("company.web_domain")
	c.MailDomain = get("company.mail_domain")
	pr := &p.Profile
	pr.Provides = append([]string{}, v["profile.provides"]...)
	pr.PersonalData = flag("profile.personal_data")
	pr.PersonalDataCount = num("profile.personal_data_count", "field.number")
	pr.SensitivePersonalData = flag("profile.sensitive_personal_data")
	pr.ConfidentialTechnical = flag("profile.confidential_technical")
	pr.FinancialData = flag("profile.financial_data")
	pr.NetworkAccess = append([]string{}, v["profile.network_access"]...)
	pr.OutageStopsBusiness = flag("profile.outage_stops_business")
	pr.HasAlternative = flag("profile.has_alternative")
	pr.CriticalInfrastructure = flag("profile.critical_infrastructure")
	pr.Subcontracts = flag("profile.subcontracts")
	pr.Region = get("profile.region")
	pr.HandlesConfidentialOnOwnIT = meti("profile.handles_confidential_on_own_it")
	pr.OutageUnacceptable = meti("profile.outage_unacceptable")
	pr.ReachesInternalNetwork = meti("profile.reaches_internal_network")
	ct := &p.Contacts
	for name, x := range map[string]*renkei.Contact{"business": &ct.Business, "security": &ct.Security, "incident": &ct.Incident} {
		x.Name = get("contacts." + name + ".name")
		x.Email = get("contacts." + name + ".email")
		x.Phone = get("contacts." + name + ".phone")
		x.Locale = get("contacts." + name + ".locale")
	}
	ct.IncidentProcedure = strings.TrimSpace(strings.ReplaceAll(v.Get("contacts.incident_procedure"), "\r\n", "\n"))
	return p, fields
}

// checkPartnerForm reads the form and runs the partner's rules on a copy,
// returning every field error at once.
func checkPartnerForm(v url.Values) (renkei.Partner, map[string]string) {
	p, fields := parsePartnerForm(v)
	q := p
	q.Profile.Provides = append([]string(nil), p.Profile.Provides...)
	q.Profile.NetworkAccess = append([]string(nil), p.Profile.NetworkAccess...)
	if err := q.Validate(); err != nil {
		if e := (*renkei.Error)(nil); errors.As(err, &e) {
			for k, key := range e.Fields {
				if _, seen := fields[k]; !seen {
					fields[k] = key
				}
			}
		}
	}
	return p, fields
}

// fieldMessage is a field error in words; a key the catalog lacks falls
// back to a general message rather than showing the key.
func fieldMessage(lang, key string) string {
	if key == "" {
		return ""
	}
	key = apiMsgKey(key) // the API's words for store keys the catalog lacks
	if !i18n.Has("ja", key) {
		return i18n.T(lang, "partners_web.field_invalid")
	}
	return i18n.T(lang, key)
}

// fieldID is the HTML id of a form field: its name with dots as dashes.
func fieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }

// inputView is one labelled input of the form.
type inputView struct {
	Name, ID, Label, Hint, Error, Value string
	Type, Autocomplete, Inputmode       string
	Required, Inline                    bool
	Rows                                int // a textarea when > 0
}

// Describedby lists the ids of the hint and error; the error's element is
// always there (empty when there is none) so inline checks can fill it.
func (in inputView) Describedby() string {
	var ids []string
	if in.Hint != "" {
		ids = append(ids, in.ID+"-hint")
	}
	return strings.Join(append(ids, in.ID+"-error"), " ")
}

// As sets the input type.
func (in inputView) As(typ string) inputView { in.Type = typ; return in }

// AC sets the autocomplete token.
func (in inputView) AC(token string) inputView { in.Autocomplete = token; return in }

// Mode sets the inputmode (the keyboard phones show).
func (in inputView) Mode(m string) inputView { in.Inputmode = m; return in }

// Req marks the field as required.
func (in inputView) Req() inputView { in.Required = true; return in }

// Area makes the field a textarea of n rows.
func (in inputView) Area(n int) inputView { in.Rows = n; return in }

// partnerFormView is the form page.
type partnerFormView struct {
	ID      string // "" for a new partner
	Name    string // the partner's name as stored (the heading of the edit page)
	Action  string
	Values  url.Values
	Errors  map[string]string
	Summary []formProblem

	Types, Departments, Industries, RevenueBands []option
	Provides, Network                            []option
	// SecurityLocales and BusinessLocales are the languages the contacts'
	// mail can be in.
	SecurityLocales, BusinessLocales []option
	Meti                             []metiView
	lang                             string
}

// formProblem is one line of the error summary, linking to its field.
type formProblem struct{ ID, Label, Message string }

// metiView is one of the three METI questions.
type metiView struct {
	Name, ID, Question, Help, Error string
	Answer                          string // "yes", "no" or ""
}

// In describes the input for a field.
func (v *partnerFormView) In(name string) inputView {
	in := inputView{Name: name, ID: fieldID(name), Label: "partners_web.f." + name, Value: v.Values.Get(name), Type: "text",
		Inline: inlineChecked[name]}
	if k := "partners_web.h." + name; i18n.Has(v.lang, k) {
		in.Hint = k
	}
	in.Error = fieldMessage(v.lang, v.Errors[name])
	return in
}

// Checked reports whether a checkbox of the form is on.
func (v *partnerFormView) Checked(name string) bool { return truthy(v.Values.Get(name)) }

// Err is the message of a field's error, "" when it has none.
func (v *partnerFormView) Err(name string) string { return fieldMessage(v.lang, v.Errors[name]) }

func (s *Server) partnerFormView(r *http.Request, id, name string, values url.Values, fields map[string]string) *partnerFormView {
	lang := langOf(r)
	v := &partnerFormView{ID: id, Name: name, Values: values, Errors: fields, lang: lang, Action: "/partners/new"}
	if id != "" {
		v.Action = "/partners/" + id + "/edit"
	}
	v.Types = termOptions(lang, renkei.ListPartnerType, values.Get("type"))
	v.Departments = termOptions(lang, renkei.ListDepartment, values.Get("department"))
	v.Industries = termOptions(lang, renkei.ListIndustry, values.Get("company.industry"))
	v.RevenueBands = msgOptions(lang, "partners_web.revenue.", renkei.RevenueBands[1:], values.Get("company.revenue_band"))
	v.Provides = msgOptions(lang, "partners_web.provides.", renkei.ProvidesCodes, values["profile.provides"]...)
	v.Network = msgOptions(lang, "partners_web.network.", renkei.NetworkAccessCodes, values["profile.network_access"]...)
	v.SecurityLocales = msgOptions(lang, "campaigns.locale.", []string{renkei.LocaleJA, renkei.LocaleEN}, values.Get("contacts.security.locale"))
	v.BusinessLocales = msgOptions(lang, "campaigns.locale.", []string{renkei.LocaleJA, renkei.LocaleEN}, values.Get("contacts.business.locale"))
	for _, q := range metiQuestions {
		v.Meti = append(v.Meti, metiView{Name: q, ID: fieldID(q), Question: "partners_web.f." + q, Help: "partners_web.h." + q,
			Error: fieldMessage(lang, fields[q]), Answer: values.Get(q)})
	}
	for _, name := range formOrder {
		if key, bad := fields[name]; bad {
			v.Summary = append(v.Summary, formProblem{ID: fieldID(name), Label: i18n.T(lang, "partners_web.f."+name), Message: fieldMessage(lang, key)})
		}
	}
	for name, key := range fields {
		if !hasString(formOrder, name) {
			// A field the form does not show: say what is wrong, linking
			// to the form.
			v.Summary = append(v.Summary, formProblem{ID: "partner-form", Message: fieldMessage(lang, key)})
		}
	}
	return v
}

// formOrder is the order of the form's fields, for the error summary.
var formOrder = []string{
	"company.name", "company.name_kana", "type", "company.corporate_number", "company.country", "company.industry",
	"company.employees", "company.revenue_band", "company.listed", "company.web_domain", "company.mail_domain",
	"department", "external_id",
	"profile.handles_confidential_on_own_it", "profile.outage_unacceptable", "profile.reaches_internal_network",
	"profile.provides", "profile.personal_data", "profile.personal_data_count", "profile.sensitive_personal_data",
	"profile.confidential_technical", "profile.financial_data", "profile.network_access", "profile.outage_stops_business",
	"profile.has_alternative", "profile.critical_infrastructure", "profile.subcontracts", "profile.region",
	"contacts.business.name", "contacts.business.email", "contacts.business.phone", "contacts.business.locale",
	"contacts.security.name", "contacts.security.email", "contacts.security.phone", "contacts.security.locale",
	"contacts.incident.name", "contacts.incident.email", "contacts.incident.phone", "contacts.incident_procedure",
	"notes",
}

func (s *Server) partnerNew(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v := url.Values{}
	v.Set("company.country", "JP")
	if t := r.URL.Query().Get("type"); renkei.ValidTerm(renkei.ListPartnerType, t) {
		v.Set("type", t)
	}
	s.render(w, r, http.StatusOK, "partner_form", &pageData{Title: "partners_web.form.new_title", Section: "partners",
		Data: s.partnerFormView(r, "", "", v, nil)})
	return nil
}

func (s *Server) partnerEdit(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	p, err := s.pathPartner(r, a)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "partner_form", &pageData{Title: "partners_web.form.edit_title", Section: "partners",
		Data: s.partnerFormView(r, p.ID, p.Company.Name, partnerValues(p), nil)})
	return nil
}

// pathPartner loads the partner the path names; another organization's
// partner is not found, as is a made-up ID.
func (s *Server) pathPartner(r *http.Request, a *renkei.Actor) (*renkei.Partner, error) {
	id, err := pathID(r, "partner")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Partner(r.Context(), a.OrgID, id)
}

// partnerSave creates (id "") or updates a partner from the form; the
// form comes back with its errors by the fields.
func (s *Server) partnerSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	var cur *renkei.Partner
	if r.PathValue("id") != "" {
		var err error
		if cur, err = s.pathPartner(r, a); err != nil {
			return err
		}
	}
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	p, fields := checkPartnerForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else if cur == nil {
		p.OrgID = a.OrgID
		err = s.cfg.Store.CreatePartner(r.Context(), &p)
	} else {
		p.ID, p.OrgID = cur.ID, cur.OrgID
		err = s.cfg.Store.UpdatePartner(r.Context(), &p)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		id, name, title := "", "", "partners_web.form.new_title"
		if cur != nil {
			id, name, title = cur.ID, cur.Company.Name, "partners_web.form.edit_title"
		}
		fe := e.Fields
		if fe == nil {
			fe = map[string]string{}
		}
		s.render(w, r, statusOf(e.Code), "partner_form", &pageData{Title: title, Section: "partners", Error: e,
			Data: s.partnerFormView(r, id, name, r.PostForm, fe)})
		return nil
	}
	done := "created"
	if cur != nil {
		done = "saved"
	}
	seeOther(w, r, "/partners/"+p.ID+"?done="+done)
	return nil
}

// partnerValidate checks one field of the form as it is filled in, and
// answers the field's message (empty when it is fine) for htmx to put in
// the field's error element.
func (s *Server) partnerValidate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	field := r.URL.Query().Get("field")
	if !hasString(formOrder, field) {
		return renkei.Invalid(map[string]string{"field": "field.unknown"})
	}
	_, fields := checkPartnerForm(r.PostForm)
	s.renderFragment(w, r, http.StatusOK, "partner_form", "field_message", &pageData{Data: fieldMessage(langOf(r), fields[field])})
	return nil
}

// selectView is a labelled select.
type selectView struct {
	inputView
	Options []option
	Blank   string // the message key of the empty choice, "" for none
}

// Sel describes a select of the form with its options and the label of
// its empty choice (a message key, or "" for no empty choice).
func (v *partnerFormView) Sel(name string, opts []option, blank string) selectView {
	return selectView{inputView: v.In(name), Options: opts, Blank: blank}
}

// groupView is a group of checkboxes under one name, in a fieldset.
type groupView struct {
	inputView
	Options []option
}

// Group describes a checkbox group of the form.
func (v *partnerFormView) Group(name string, opts []option) groupView {
	return groupView{inputView: v.In(name), Options: opts}
}

// checkView is one checkbox standing for a yes/no.
type checkView struct {
	inputView
	Checked bool
}

// Check describes a single checkbox of the form.
func (v *partnerFormView) Check(name string) checkView {
	return checkView{inputView: v.In(name), Checked: v.Checked(name)}
}

// Req marks the select as required.
func (s selectView) Req() selectView { s.Required = true; return s }
