package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The page that starts a campaign (GET/POST /campaigns/new): the template,
// the partners (by filter, with a live count, or those picked on the
// partners list), the due date, the reminder days and the recurrence.
// A created campaign is shown at /campaigns/{id}.

// campaignFilterFields are the filter's form fields, in the page's order,
// with the CampaignFilter list each fills.
var campaignFilterFields = []string{"filter.types", "filter.tiers", "filter.required_levels", "filter.industries", "filter.departments"}

// campaignFormOrder is the order of the error summary.
var campaignFormOrder = []string{"name", "template", "partner_ids", "filter", "filter.types", "filter.tiers", "filter.required_levels",
	"filter.industries", "filter.departments", "due_date", "reminders", "recurrence"}

// maxPicked bounds the partners a page can carry from the list.
const maxPicked = 500

// campaignFormView is the form with its choices, values and errors.
type campaignFormView struct {
	Values    url.Values
	Errors    map[string]string // field → message in the page's language
	Summary   []formProblem
	Templates []option
	// Filter lists: each a group of checkboxes.
	Filters     []filterGroup
	Recurrences []option
	// Picked are the partners brought from the partners list; when set,
	// the campaign goes to them and the filter is not offered.
	Picked []option
	Count  int // partners the filter matches
}

// filterGroup is one list of the filter as checkboxes.
type filterGroup struct {
	Name, ID, Label string
	Options         []option
}

// Err is a field's message, "" when it has none.
func (v *campaignFormView) Err(name string) string { return v.Errors[name] }

func (s *Server) campaignNew(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	v := url.Values{}
	v.Set("due_date", renkei.TokyoDay(s.now().AddDate(0, 0, 30)))
	v.Set("reminders", "14, 7, 3, 1")
	for _, f := range campaignFilterFields {
		v[f] = r.URL.Query()[f]
	}
	return s.renderCampaignForm(w, r, a, http.StatusOK, v, nil, nil)
}

// campaignSave creates the campaign and goes to its page, or shows the
// form again with the errors. A POST with step=pick comes from the
// partners list and only shows the form for the partners picked there.
func (s *Server) campaignSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	form := r.PostForm
	if form.Get("step") == "pick" {
		v := url.Values{"id": form["id"]}
		v.Set("due_date", renkei.TokyoDay(s.now().AddDate(0, 0, 30)))
		v.Set("reminders", "14, 7, 3, 1")
		var fields map[string]string
		if len(form["id"]) == 0 {
			fields = map[string]string{"partner_ids": "field.required"}
		}
		return s.renderCampaignForm(w, r, a, http.StatusOK, v, fields, nil)
	}
	c, ids, fields := campaignFromForm(form)
	c.OrgID = a.OrgID
	// Every error at once: the campaign's own rules too when the form
	// already has one.
	if len(fields) > 0 {
		for k, v := range c.Prepare() {
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	}
	var err error
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		_, err = s.createCampaign(r, c, ids)
	}
	if err != nil {
		e := formError(err)
		if e == nil {
			return err
		}
		return s.renderCampaignForm(w, r, a, statusOf(e.Code), form, e.Fields, e)
	}
	http.Redirect(w, r, "/campaigns/"+c.ID, http.StatusSeeOther)
	return nil
}

// campaignCount is the live count of the partners the filter matches (an
// htmx fragment).
func (s *Server) campaignCount(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	n, err := s.cfg.Store.CountCampaignPartners(r.Context(), a.OrgID, filterFromForm(r.PostForm))
	if err != nil {
		return err
	}
	s.renderFragment(w, r, http.StatusOK, "campaign_new", "match_count", &pageData{Data: &campaignFormView{Count: n}})
	return nil
}

// campaignFromForm reads the form: the partners picked (id) or the
// filter, and the campaign's fields (reminder days as
// renkei.ParseReminderDays reads them).
func campaignFromForm(v url.Values) (*renkei.Campaign, []string, map[string]string) {
	fields := map[string]string{}
	c := &renkei.Campaign{Name: v.Get("name"), TemplateSlug: v.Get("template"), DueDate: strings.TrimSpace(v.Get("due_date")),
		Recurrence: v.Get("recurrence")}
	if c.TemplateSlug == "" {
		fields["template"] = "field.required"
	}
	if len(v["id"]) > maxPicked {
		fields["partner_ids"] = "field.too_many"
	}
	ids := v["id"]
	if len(ids) == 0 {
		f := filterFromForm(v)
		c.Filter = &f
	}
	days, ok := renkei.ParseReminderDays(v.Get("reminders"))
	if !ok {
		fields["reminders"] = "field.reminders"
	}
	c.Reminders = days
	return c, ids, fields
}

// filterFromForm reads the filter's checkboxes.
func filterFromForm(v url.Values) renkei.CampaignFilter {
	return renkei.CampaignFilter{Types: v["filter.types"], Tiers: v["filter.tiers"], RequiredLevels: v["filter.required_levels"],
		Industries: v["filter.industries"], Departments: v["filter.departments"]}
}

// renderCampaignForm shows the form with values and errors (field → key).
func (s *Server) renderCampaignForm(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, values url.Values, fields map[string]string, e *renkei.Error) error {
	lang := langOf(r)
	v := &campaignFormView{Values: values, Errors: map[string]string{}}
	for k, key := range fields {
		v.Errors[k] = fieldMessage(lang, key)
	}
	for _, k := range campaignFormOrder {
		if m := v.Errors[k]; m != "" {
			v.Summary = append(v.Summary, formProblem{ID: fieldID(k), Label: i18n.T(lang, "campaigns.f."+k), Message: m})
		}
	}
	own, err := s.cfg.Store.ListOrgTemplates(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	chosen := values.Get("template")
	v.Templates = append(v.Templates, option{Value: renkei.TemplateByRequiredLevel, Label: i18n.T(lang, "campaigns.template.by_required_level"),
		Selected: chosen == renkei.TemplateByRequiredLevel})
	for _, t := range renkei.BuiltinTemplates() {
		v.Templates = append(v.Templates, option{Value: t.Slug, Label: t.Title.Label(lang), Selected: chosen == t.Slug})
	}
	for _, t := range own {
		label := t.Slug
		if t.Template != nil {
			label = t.Template.Title.Label(lang)
		}
		v.Templates = append(v.Templates, option{Value: t.Slug, Label: label + " " + i18n.T(lang, "campaigns.template.own"), Selected: chosen == t.Slug})
	}
	picked := func(field string, opts []option) filterGroup {
		for i := range opts {
			opts[i].Selected = slices.Contains(values[field], opts[i].Value)
		}
		return filterGroup{Name: field, ID: fieldID(field), Label: "campaigns.f." + field, Options: opts}
	}
	v.Filters = []filterGroup{
		picked("filter.types", termOptions(lang, renkei.ListPartnerType, "")),
		picked("filter.tiers", msgOptions(lang, "partners_web.tier.", []string{renkei.TierHigh, renkei.TierMedium, renkei.TierLow})),
		picked("filter.required_levels", levelOptions("")),
		picked("filter.industries", termOptions(lang, renkei.ListIndustry, "")),
		picked("filter.departments", termOptions(lang, renkei.ListDepartment, "")),
	}
	for _, rc := range []struct{ code, key string }{{renkei.RecurNone, "none"}, {renkei.RecurYearly, "yearly"}, {renkei.RecurHalfYearly, "half_yearly"}} {
		v.Recurrences = append(v.Recurrences, option{Value: rc.code, Label: i18n.T(lang, "campaigns.recurrence."+rc.key), Selected: values.Get("recurrence") == rc.code})
	}
	for i, id := range values["id"] {
		if i == maxPicked {
			break
		}
		p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, id)
		if renkei.ErrorCode(err) == renkei.ENOTFOUND {
			v.Errors["partner_ids"] = fieldMessage(lang, "field.partner")
			continue
		} else if err != nil {
			return err
		}
		v.Picked = append(v.Picked, option{Value: p.ID, Label: p.Company.Name})
	}
	if len(v.Picked) == 0 {
		f := filterFromForm(values)
		if n, err := s.cfg.Store.CountCampaignPartners(r.Context(), a.OrgID, f); err == nil {
			v.Count = n
		} else if formError(err) == nil {
			return err
		}
	}
	s.render(w, r, status, "campaign_new", &pageData{Title: "campaigns.new.title", Section: "assessments", Error: e, Data: v})
	return nil
}
