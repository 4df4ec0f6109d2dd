package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The incidents pages for staff: the list with each case's nearest
// deadline, and recording a case received by phone or mail. The case page
// is in pages_incident_detail.go.

type incidentRow struct {
	ID, Ref, Title, Type, Status, Severity, Partner string
	Aware                                           time.Time
	NextDue                                         *time.Time
	NextDuty, Remaining                             string
	Overdue                                         int
}

type incidentsView struct {
	Rows     []incidentRow
	Next     string
	Statuses []option
	Types    []option
	Open     bool
	Query    string // the filter as a query string, for the next page link
}

// incidentsList is GET /incidents.
func (s *Server) incidentsList(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	q := r.URL.Query()
	f := renkei.IncidentFilter{Status: q.Get("status"), Type: q.Get("type"), PartnerID: q.Get("partner_id"), Open: q.Get("all") != "1"}
	if f.Status != "" {
		f.Open = false
	}
	items, next, err := s.cfg.Store.ListIncidents(r.Context(), a.OrgID, f, renkei.Page{Cursor: q.Get("cursor"), Limit: 50})
	if err != nil {
		return err
	}
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = items[i].ID
	}
	clocks, err := s.cfg.Store.Clocks(r.Context(), a.OrgID, ids)
	if err != nil {
		return err
	}
	lang := langOf(r)
	names := s.partnerNames(r.Context(), a.OrgID)
	view := incidentsView{Next: next, Open: f.Open}
	for _, in := range items {
		c := clocks[in.ID]
		row := incidentRow{ID: in.ID, Ref: in.Ref, Title: incidentTitle(&in, lang), Type: i18n.T(lang, "incident.type."+in.Type),
			Status: in.Status, Severity: in.Severity, Partner: partnerName(names, in.PartnerID), Aware: in.AwareAt, NextDue: c.NextDue, Overdue: c.Overdue}
		if c.NextDue != nil {
			row.NextDuty = c.NextCode
			row.Remaining = remaining(lang, s.cfg.Now(), *c.NextDue)
		}
		view.Rows = append(view.Rows, row)
	}
	for _, st := range renkei.IncidentStatuses {
		view.Statuses = append(view.Statuses, option{Value: st, Label: i18n.T(lang, "incident.status."+st), Selected: st == f.Status})
	}
	for _, ty := range renkei.IncidentTypes {
		view.Types = append(view.Types, option{Value: ty, Label: i18n.T(lang, "incident.type."+ty), Selected: ty == f.Type})
	}
	keep := url.Values{}
	for _, k := range []string{"status", "type", "partner_id", "all"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	view.Query = keep.Encode()
	s.render(w, r, http.StatusOK, "incidents", &pageData{Title: "incidents.title", Section: "incidents", Data: view})
	return nil
}

// incidentTitle is the case's title, or its kind when it has none.
func incidentTitle(in *renkei.Incident, lang string) string {
	if strings.TrimSpace(in.Title) != "" {
		return in.Title
	}
	return i18n.T(lang, "incident.type."+in.Type)
}

// partnerName is the name of the case's partner, "" for none.
func partnerName(names *partnerNames, id string) string {
	if id == "" {
		return ""
	}
	return names.name(id)
}

// remaining says how long until a deadline, or how long past it, in
// days and hours.
func remaining(lang string, now, due time.Time) string {
	d := due.Sub(now)
	key := "incidents.remaining"
	if d < 0 {
		d, key = -d, "incidents.overdue_by"
	}
	days := int(d / (24 * time.Hour))
	hours := int((d % (24 * time.Hour)) / time.Hour)
	return i18n.T(lang, key, days, hours)
}

// incidentNewView is the form that records a case.
type incidentNewView struct {
	Partners     []option
	PartnerName  string
	PartnerID    string
	Types        []string
	Containments []string
	Form         reportLinkForm
	Aware        string
}

// incidentNew is GET /incidents/new (?partner_id= from a partner's page).
func (s *Server) incidentNew(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	view, err := s.incidentNewView(r, a, r.URL.Query().Get("partner_id"), reportLinkForm{}, s.cfg.Now().In(renkei.Japan).Format("2006-01-02T15:04"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "incident_new", &pageData{Title: "incidents.new_title", Section: "incidents", Data: view})
	return nil
}

// incidentNewPartnerLimit bounds the partner choice list; beyond it the
// case is recorded from the partner's own page.
const incidentNewPartnerLimit = 500

func (s *Server) incidentNewView(r *http.Request, a *renkei.Actor, partnerID string, f reportLinkForm, aware string) (incidentNewView, error) {
	view := incidentNewView{PartnerID: partnerID, Types: renkei.IncidentTypes, Containments: renkei.ContainmentStates, Form: f, Aware: aware}
	if partnerID != "" {
		p, err := s.cfg.Store.Partner(r.Context(), a.OrgID, partnerID)
		if err != nil {
			return view, err
		}
		view.PartnerName = p.Company.Name
		return view, nil
	}
	ps, _, err := s.cfg.Store.ListPartners(r.Context(), a.OrgID, renkei.PartnerFilter{Sort: "name"}, renkei.Page{Limit: incidentNewPartnerLimit})
	if err != nil {
		return view, err
	}
	for _, p := range ps {
		view.Partners = append(view.Partners, option{Value: p.ID, Label: p.Company.Name})
	}
	return view, nil
}

// incidentCreate is POST /incidents/new.
func (s *Server) incidentCreate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	f := readReportForm(r)
	partnerID := strings.TrimSpace(r.PostFormValue("partner_id"))
	awareText := strings.TrimSpace(r.PostFormValue("aware_at"))
	now := s.cfg.Now()
	in, fields := f.incident(a.OrgID, now)
	delete(fields, "company") // staff record the partner instead
	delete(fields, "contact.email")
	in.Title = strings.TrimSpace(r.PostFormValue("title"))
	in.PartnerID, in.Source = partnerID, renkei.IncidentSourceStaff
	if t := formTime(fields, "aware_at", awareText); t != nil {
		in.AwareAt = *t
	} else if awareText == "" {
		fields["aware_at"] = "incident.aware_required"
	}
	var err error
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		err = s.cfg.Store.CreateIncident(r.Context(), in)
	}
	if e := formError(err); e != nil {
		view, verr := s.incidentNewView(r, a, r.URL.Query().Get("partner_id"), f, awareText)
		if verr != nil {
			return verr
		}
		for i := range view.Partners {
			view.Partners[i].Selected = view.Partners[i].Value == partnerID
		}
		s.render(w, r, statusOf(e.Code), "incident_new", &pageData{Title: "incidents.new_title", Section: "incidents", Data: view, Error: e})
		return nil
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/incidents/"+in.ID)
	return nil
}

type measuresView struct {
	Since   string
	M       renkei.IncidentMeasures
	Stages  []string
	Types   []string
	Overdue []option
}

// incidentMeasures is GET /incidents/measures.
func (s *Server) incidentMeasures(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	since, err := s.measuresSince(r)
	if err != nil {
		return err
	}
	m, err := s.cfg.Store.Measures(r.Context(), a.OrgID, since)
	if err != nil {
		return err
	}
	lang := langOf(r)
	v := measuresView{Since: since.In(renkei.Japan).Format("2006-01-02"), M: m, Stages: renkei.Stages}
	for _, pt := range []string{renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas, "own"} {
		if _, ok := m.ByPartnerType[pt]; ok {
			v.Types = append(v.Types, pt)
		}
	}
	for _, rule := range renkei.DefaultObligationRules().Rules {
		if n := m.OverdueByCode[rule.Code]; n > 0 {
			v.Overdue = append(v.Overdue, option{Value: strconv.Itoa(n), Label: rule.Title.Label(lang)})
		}
	}
	s.render(w, r, http.StatusOK, "incident_measures", &pageData{Title: "incidents.measures_title", Section: "incidents", Data: v})
	return nil
}
