package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The case page: the duty clocks, the impact on us, triage, tasks,
// messages with the partner, the disclosure decision and the timeline;
// and the forms that change them. Every form posts to its own path and
// comes back to the page.

type dutyRow struct {
	Code, Title, Basis, Status, Remaining string
	Reasons                               []string
	DueAt                                 *time.Time
}

type eventRow struct {
	At          time.Time
	Kind, Actor string
	Detail      string
}

type incidentView struct {
	In           *renkei.Incident
	Title        string
	Type         string
	PartnerName  string
	Duties       []dutyRow
	Impact       []string
	SameService  []incidentRow
	Tasks        []renkei.IncidentTask
	Messages     []renkei.IncidentMessage
	Files        []renkei.IncidentFile
	Events       []eventRow
	Decision     *renkei.DisclosureDecision
	Rec          apiRecommendation
	Statuses     []option
	Severities   []option
	Impacts      []option
	Containments []option
	Types        []option
	Occurred     string
	Discovered   string
	Aware        string
}

// incidentPage is GET /incidents/{id}.
func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderIncident(w, r, a, http.StatusOK, nil)
}

func (s *Server) renderIncident(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, formErr *renkei.Error) error {
	view, err := s.incidentView(r, a)
	if err != nil {
		return err
	}
	s.render(w, r, status, "incident", &pageData{Title: "incidents.case_title", Section: "incidents", Data: view, Error: formErr})
	return nil
}

func (s *Server) incidentView(r *http.Request, a *renkei.Actor) (*incidentView, error) {
	ctx, lang, id := r.Context(), langOf(r), r.PathValue("id")
	in, err := s.cfg.Store.Incident(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	v := &incidentView{In: in, Title: incidentTitle(in, lang), Type: i18n.T(lang, "incident.type."+in.Type)}
	if in.PartnerID != "" {
		if p, err := s.cfg.Store.Partner(ctx, a.OrgID, in.PartnerID); err == nil {
			v.PartnerName = p.Company.Name
			for _, line := range renkei.IncidentImpact(in, p) {
				v.Impact = append(v.Impact, line.Label(lang))
			}
		}
	}
	same, err := s.cfg.Store.SameServiceCases(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	names := s.partnerNames(ctx, a.OrgID)
	for _, o := range same {
		v.SameService = append(v.SameService, incidentRow{ID: o.ID, Ref: o.Ref, Title: incidentTitle(&o, lang), Partner: partnerName(names, o.PartnerID),
			Status: o.Status, Aware: o.AwareAt})
	}
	obs, err := s.cfg.Store.Obligations(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	for _, ob := range obs {
		row := dutyRow{Code: ob.Code, Title: ob.Title.Label(lang), Basis: ob.Basis.Label(lang), Status: ob.Status, DueAt: ob.DueAt}
		for _, rs := range ob.Reasons {
			row.Reasons = append(row.Reasons, rs.Label(lang))
		}
		if ob.DueAt != nil && (ob.Status == renkei.ObligationOpen || ob.Status == renkei.ObligationOverdue) {
			row.Remaining = remaining(lang, now, *ob.DueAt)
		}
		v.Duties = append(v.Duties, row)
	}
	if v.Tasks, err = s.cfg.Store.Tasks(ctx, a.OrgID, id); err != nil {
		return nil, err
	}
	if v.Messages, err = s.cfg.Store.Messages(ctx, a.OrgID, id); err != nil {
		return nil, err
	}
	if v.Files, err = s.cfg.Store.IncidentFiles(ctx, a.OrgID, id); err != nil {
		return nil, err
	}
	events, err := s.cfg.Store.Timeline(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	for i := len(events) - 1; i >= 0; i-- { // newest first
		e := events[i]
		v.Events = append(v.Events, eventRow{At: e.At, Kind: i18n.T(lang, "incidents.event."+e.Kind), Actor: e.Actor, Detail: eventDetail(e.Detail)})
	}
	if v.Decision, err = s.cfg.Store.Decision(ctx, a.OrgID, id); err != nil {
		return nil, err
	}
	rec, err := s.cfg.Store.Recommendation(ctx, a.OrgID, id)
	if err != nil {
		return nil, err
	}
	v.Rec = toAPIRecommendation(rec, lang)
	v.Statuses = vocabOptions(lang, "incident.status.", renkei.IncidentStatuses, in.Status)
	v.Severities = vocabOptions(lang, "incident.severity.", renkei.IncidentSeverities, in.Severity)
	v.Impacts = vocabOptions(lang, "incident.impact.", renkei.ServiceImpacts, in.ServiceImpact)
	v.Containments = vocabOptions(lang, "incident.containment.", renkei.ContainmentStates, in.Containment)
	v.Types = vocabOptions(lang, "incident.type.", renkei.IncidentTypes, in.Type)
	v.Occurred, v.Discovered, v.Aware = localInput(in.OccurredAt), localInput(in.DiscoveredAt), localInput(&in.AwareAt)
	return v, nil
}

// vocabOptions lists codes as options labelled from prefix+code ("" is
// shown as prefix+"unknown").
func vocabOptions(lang, prefix string, codes []string, selected string) []option {
	out := make([]option, 0, len(codes))
	for _, c := range codes {
		key := c
		if key == "" {
			key = "unknown"
		}
		out = append(out, option{Value: c, Label: i18n.T(lang, prefix+key), Selected: c == selected})
	}
	return out
}

// localInput formats a time for a datetime-local input in Japan time.
func localInput(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(renkei.Japan).Format("2006-01-02T15:04")
}

// eventDetail turns a timeline entry's JSON into "key: value" pairs.
func eventDetail(raw string) string {
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil {
		return ""
	}
	var parts []string
	for k, v := range m {
		if pair, ok := v.([]any); ok && len(pair) == 2 {
			parts = append(parts, k+": "+jsonText(pair[0])+" → "+jsonText(pair[1]))
			continue
		}
		parts = append(parts, k+": "+jsonText(v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "—"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// incidentUpdate is POST /incidents/{id}: triage, facts and closure from
// the case page's form.
func (s *Server) incidentUpdate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	in, err := s.cfg.Store.Incident(r.Context(), a.OrgID, r.PathValue("id"))
	if err != nil {
		return err
	}
	fields := map[string]string{}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in.Title, in.Type, in.Status, in.Severity, in.Owner = v("title"), v("type"), v("status"), v("severity"), v("owner")
	in.ServiceImpact, in.Containment, in.Service = v("service_impact"), v("containment"), v("service")
	in.Description, in.Systems = r.PostFormValue("description"), r.PostFormValue("systems")
	in.RootCause, in.Prevention = r.PostFormValue("root_cause"), r.PostFormValue("prevention")
	on := func(k string) bool { return r.PostFormValue(k) == "on" }
	in.Affects = renkei.Affects{OurData: on("affects.our_data"), OurNetwork: on("affects.our_network"), OurProducts: on("affects.our_products")}
	in.SecondaryHarmRisk = on("secondary_harm_risk")
	pd := &in.PersonalData
	pd.Sensitive, pd.Financial, pd.UnauthorizedPurpose, pd.Confirmed = on("personal_data.sensitive"), on("personal_data.financial"), on("personal_data.unauthorized_purpose"), on("personal_data.confirmed")
	pd.Persons = 0
	if p := v("personal_data.persons"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			fields["personal_data.persons"] = "incident.persons_range"
		}
		pd.Persons = n
	}
	in.OccurredAt = formTime(fields, "occurred_at", v("occurred_at"))
	in.DiscoveredAt = formTime(fields, "discovered_at", v("discovered_at"))
	if t := formTime(fields, "aware_at", v("aware_at")); t != nil {
		in.AwareAt = *t
	} else if v("aware_at") == "" {
		fields["aware_at"] = "incident.aware_required"
	}
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		err = s.cfg.Store.UpdateIncident(r.Context(), in)
	}
	return s.afterIncidentForm(w, r, a, err)
}

// afterIncidentForm shows the case page again with a form's error, or
// goes back to it.
func (s *Server) afterIncidentForm(w http.ResponseWriter, r *http.Request, a *renkei.Actor, err error) error {
	if e := formError(err); e != nil {
		return s.renderIncident(w, r, a, statusOf(e.Code), e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/incidents/"+r.PathValue("id"))
	return nil
}

// incidentDuty is POST /incidents/{id}/obligations/{code}.
func (s *Server) incidentDuty(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	err := s.cfg.Store.SetObligationStatus(r.Context(), a.OrgID, r.PathValue("id"), r.PathValue("code"),
		r.PostFormValue("status"), strings.TrimSpace(r.PostFormValue("note")))
	return s.afterIncidentForm(w, r, a, err)
}

// incidentTaskAdd is POST /incidents/{id}/tasks; with a task_id it marks
// that task done or not done.
func (s *Server) incidentTaskAdd(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	t := &renkei.IncidentTask{OrgID: a.OrgID, IncidentID: id}
	if tid := r.PostFormValue("task_id"); tid != "" {
		tasks, err := s.cfg.Store.Tasks(r.Context(), a.OrgID, id)
		if err != nil {
			return err
		}
		found := false
		for i := range tasks {
			if tasks[i].ID == tid {
				t, found = &tasks[i], true
			}
		}
		if !found {
			return renkei.ErrNotFound("task")
		}
		t.Done = r.PostFormValue("done") == "1"
	} else {
		t.Title, t.Owner, t.DueDate = r.PostFormValue("task_title"), r.PostFormValue("task_owner"), strings.TrimSpace(r.PostFormValue("task_due"))
		t.ForPartner = r.PostFormValue("task_for_partner") == "on"
	}
	err := s.cfg.Store.SaveTask(r.Context(), t)
	return s.afterIncidentForm(w, r, a, renameFields(err, map[string]string{"title": "task_title", "owner": "task_owner", "due_date": "task_due"}))
}

// incidentMessage is POST /incidents/{id}/messages.
func (s *Server) incidentMessage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	m := &renkei.IncidentMessage{OrgID: a.OrgID, IncidentID: r.PathValue("id"), Body: r.PostFormValue("body"), Shared: r.PostFormValue("shared") == "on"}
	return s.afterIncidentForm(w, r, a, s.cfg.Store.AddMessage(r.Context(), m))
}

// incidentDecide is POST /incidents/{id}/decision.
func (s *Server) incidentDecide(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	d := &renkei.DisclosureDecision{Disclose: r.PostFormValue("disclose") == "1", Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	return s.afterIncidentForm(w, r, a, s.cfg.Store.DecideDisclosure(r.Context(), a.OrgID, r.PathValue("id"), d))
}
