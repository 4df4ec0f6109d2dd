package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The incident settings page: what the organization fixes in peacetime —
// its industry and circumstances, which duty rules apply and their
// periods, the disclosure policy — and its report link. The rules' full
// data (conditions included) is edited through the API; the page changes
// what people adjust most.

type ruleRow struct {
	Code, Title, Basis string
	Enabled            bool
	Days               int
	HasDays            bool // the period can be set here
	Legal              bool // the period is the law's (APPI final report)
}

type incidentSettingsView struct {
	Industries []option
	Flags      []option
	Rules      []ruleRow
	RulesVer   int
	For        []option
	Against    []option
	Policy     renkei.DisclosurePolicy
	LinkAt     *time.Time
	LinkURL    string // shown once, right after it is made
}

// settingsIncidents is GET /settings/incidents.
func (s *Server) settingsIncidents(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderIncidentSettings(w, r, a, http.StatusOK, "", nil)
}

func (s *Server) renderIncidentSettings(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, linkURL string, formErr *renkei.Error) error {
	st, err := s.cfg.Store.IncidentSettings(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	at, err := s.cfg.Store.ReportLinkCreated(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	lang := langOf(r)
	v := incidentSettingsView{RulesVer: st.Rules.Version, Policy: st.Policy, LinkAt: at, LinkURL: linkURL}
	v.Industries = append([]option{{Value: "", Label: i18n.T(lang, "incident_settings.industry_unset")}}, termOptions(lang, "industry", st.Industry)...)
	for _, f := range renkei.OrgIncidentFlags {
		v.Flags = append(v.Flags, option{Value: f, Label: i18n.T(lang, "incident_settings.flag."+f), Selected: slices.Contains(st.Flags, f)})
	}
	for _, rule := range st.Rules.Rules {
		v.Rules = append(v.Rules, ruleRow{Code: rule.Code, Title: rule.Title.Label(lang), Basis: rule.Basis.Label(lang), Enabled: rule.Enabled,
			Days: rule.Clock.Days, HasDays: rule.Clock.Days > 0 && rule.Code != "appi_final", Legal: rule.Code == "appi_final"})
	}
	for _, c := range renkei.DisclosureReasonsFor {
		v.For = append(v.For, option{Value: c, Label: renkei.DisclosureReasonText(c).Label(lang), Selected: slices.Contains(st.Policy.For, c)})
	}
	for _, c := range renkei.DisclosureReasonsAgainst {
		v.Against = append(v.Against, option{Value: c, Label: renkei.DisclosureReasonText(c).Label(lang), Selected: slices.Contains(st.Policy.Against, c)})
	}
	s.render(w, r, status, "settings_incidents", &pageData{Title: "incident_settings.title", Section: "settings", Data: v, Error: formErr, Flash: noticeOf(r)})
	return nil
}

// settingsIncidentsSave is POST /settings/incidents.
func (s *Server) settingsIncidentsSave(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	st, err := s.cfg.Store.IncidentSettings(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	st.Industry = strings.TrimSpace(r.PostFormValue("industry"))
	st.Flags = r.PostForm["flags"]
	fields := map[string]string{}
	for i := range st.Rules.Rules {
		rule := &st.Rules.Rules[i]
		rule.Enabled = r.PostFormValue("enabled."+rule.Code) == "on"
		if d := strings.TrimSpace(r.PostFormValue("days." + rule.Code)); d != "" && rule.Clock.Days > 0 && rule.Code != "appi_final" {
			n, err := strconv.Atoi(d)
			if err != nil {
				fields["days."+rule.Code] = "field.number"
				continue
			}
			rule.Clock.Days = n
		}
	}
	st.Policy.For, st.Policy.Against = r.PostForm["for"], r.PostForm["against"]
	st.Policy.InsurerRequires, st.Policy.ParentRequires = r.PostFormValue("insurer_requires") == "on", r.PostFormValue("parent_requires") == "on"
	st.Policy.Note = r.PostFormValue("note")
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		err = s.cfg.Store.SaveIncidentSettings(r.Context(), a.OrgID, st)
	}
	if e := formError(err); e != nil {
		return s.renderIncidentSettings(w, r, a, statusOf(e.Code), "", settingsFieldNames(e, st.Rules.Rules))
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/settings/incidents?notice=saved")
	return nil
}

// settingsFieldNames maps the store's rule paths (obligation_rules.rules[0].clock.days)
// to the page's field names (days.appi_preliminary).
func settingsFieldNames(e *renkei.Error, rules []renkei.ObligationRule) *renkei.Error {
	names := map[string]string{}
	for i, rule := range rules {
		names["obligation_rules.rules["+strconv.Itoa(i)+"].clock.days"] = "days." + rule.Code
		names["obligation_rules.rules["+strconv.Itoa(i)+"].clock"] = "days." + rule.Code
	}
	out := renameFields(e, names)
	if re, ok := out.(*renkei.Error); ok {
		return re
	}
	return e
}

// settingsReportLink is POST /settings/incidents/report-link: a new link,
// shown this once.
func (s *Server) settingsReportLink(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	secret, err := s.cfg.Store.RotateReportLink(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	return s.renderIncidentSettings(w, r, a, http.StatusOK, s.baseURL(r)+"/report/"+secret, nil)
}
