package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/renkei/renkei"
)

// The incidents API (issue: incidents). The case JSON is the core's
// renkei.Incident; the shapes below are the request bodies and the views
// that put a duty's words into the reader's language.

// incidentIn is the body of POST /api/v1/incidents and PATCH
// /api/v1/incidents/{id}. Every field is optional on PATCH.
type incidentIn struct {
	PartnerID         *string              `json:"partner_id"`
	Type              *string              `json:"type"`
	Title             *string              `json:"title"`
	Description       *string              `json:"description"`
	OccurredAt        *time.Time           `json:"occurred_at"`
	DiscoveredAt      *time.Time           `json:"discovered_at"`
	AwareAt           *time.Time           `json:"aware_at"`
	Systems           *string              `json:"systems"`
	Service           *string              `json:"service"`
	Affects           *renkei.Affects      `json:"affects"`
	PersonalData      *renkei.PersonalData `json:"personal_data"`
	Containment       *string              `json:"containment"`
	ServiceImpact     *string              `json:"service_impact"`
	SecondaryHarmRisk *bool                `json:"secondary_harm_risk"`
	Severity          *string              `json:"severity"`
	Status            *string              `json:"status"`
	Owner             *string              `json:"owner"`
	Contact           *renkei.Contact      `json:"contact"`
	RootCause         *string              `json:"root_cause"`
	Prevention        *string              `json:"prevention"`
}

// apply writes the fields present onto in.
func (b *incidentIn) apply(in *renkei.Incident) {
	for _, f := range []struct {
		src *string
		dst *string
	}{
		{b.PartnerID, &in.PartnerID}, {b.Type, &in.Type}, {b.Title, &in.Title}, {b.Description, &in.Description},
		{b.Systems, &in.Systems}, {b.Service, &in.Service}, {b.Containment, &in.Containment},
		{b.ServiceImpact, &in.ServiceImpact}, {b.Severity, &in.Severity}, {b.Status, &in.Status},
		{b.Owner, &in.Owner}, {b.RootCause, &in.RootCause}, {b.Prevention, &in.Prevention},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if b.OccurredAt != nil {
		in.OccurredAt = utcPtr(b.OccurredAt)
	}
	if b.DiscoveredAt != nil {
		in.DiscoveredAt = utcPtr(b.DiscoveredAt)
	}
	if b.AwareAt != nil {
		in.AwareAt = utc(*b.AwareAt)
	}
	if b.Affects != nil {
		in.Affects = *b.Affects
	}
	if b.PersonalData != nil {
		in.PersonalData = *b.PersonalData
	}
	if b.SecondaryHarmRisk != nil {
		in.SecondaryHarmRisk = *b.SecondaryHarmRisk
	}
	if b.Contact != nil {
		in.Contact = *b.Contact
	}
}

// apiCreateIncident is POST /api/v1/incidents: a case recorded by staff
// (a report received by phone or mail).
func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request) error {
	var body incidentIn
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	in := &renkei.Incident{OrgID: actor(r).OrgID, Source: renkei.IncidentSourceStaff}
	body.apply(in)
	in.Status = "" // a new case starts as reported
	if err := s.cfg.Store.CreateIncident(r.Context(), in); err != nil {
		return err
	}
	created(w, in)
	return nil
}

// apiListIncidents is GET /api/v1/incidents (?status, partner_id, type,
// open=true), newest first.
func (s *Server) apiListIncidents(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := renkei.IncidentFilter{Status: q.Get("status"), PartnerID: q.Get("partner_id"), Type: q.Get("type"), Open: q.Get("open") == "true"}
	fields := map[string]string{}
	for name, v := range map[string]string{"status": f.Status, "partner_id": f.PartnerID, "type": f.Type} {
		checkText(fields, name, v)
	}
	if err := invalid(fields); err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListIncidents(r.Context(), actor(r).OrgID, f, page)
	if err != nil {
		return err
	}
	writeList(w, items, next)
	return nil
}

// incidentOf reads the case the path names.
func (s *Server) incidentOf(r *http.Request) (*renkei.Incident, error) {
	id, err := pathID(r, "incident")
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.Incident(r.Context(), actor(r).OrgID, id)
}

// apiGetIncident is GET /api/v1/incidents/{id}.
func (s *Server) apiGetIncident(w http.ResponseWriter, r *http.Request) error {
	in, err := s.incidentOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// apiPatchIncident is PATCH /api/v1/incidents/{id}: triage, facts,
// closure.
func (s *Server) apiPatchIncident(w http.ResponseWriter, r *http.Request) error {
	in, err := s.incidentOf(r)
	if err != nil {
		return err
	}
	var body incidentIn
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	body.apply(in)
	if err := s.cfg.Store.UpdateIncident(r.Context(), in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, in)
	return nil
}

// incidentList serves GET /api/v1/incidents/{id}/… lists that the store
// reads whole: tasks, the timeline, messages, files.
func incidentList[T any](fetch func(ctx context.Context, orgID, id string) ([]T, error)) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "incident")
		if err != nil {
			return err
		}
		items, err := fetch(r.Context(), actor(r).OrgID, id)
		if err != nil {
			return err
		}
		writeList(w, items, "")
		return nil
	}
}

// apiObligation is one duty in the reader's language; title_ja/en and
// basis_ja/en keep both.
type apiObligation struct {
	Code        string     `json:"code"`
	Title       string     `json:"title"`
	Basis       string     `json:"basis"`
	DueAt       *time.Time `json:"due_at"`
	Status      string     `json:"status"`
	DoneAt      *time.Time `json:"done_at"`
	Reasons     []string   `json:"reasons"`
	RuleVersion int        `json:"rule_version"`
	// Both languages, for systems that keep their own copy.
	TitleBoth renkei.Bilingual `json:"title_i18n"`
	BasisBoth renkei.Bilingual `json:"basis_i18n"`
}

func toAPIObligation(ob renkei.Obligation, lang string) apiObligation {
	reasons := make([]string, 0, len(ob.Reasons))
	for _, r := range ob.Reasons {
		reasons = append(reasons, r.Label(lang))
	}
	return apiObligation{Code: ob.Code, Title: ob.Title.Label(lang), Basis: ob.Basis.Label(lang), DueAt: utcPtr(ob.DueAt),
		Status: ob.Status, DoneAt: utcPtr(ob.DoneAt), Reasons: reasons, RuleVersion: ob.RuleVersion,
		TitleBoth: ob.Title, BasisBoth: ob.Basis}
}

// apiIncidentObligations is GET /api/v1/incidents/{id}/obligations: every
// duty with its deadline and status now (overdue included).
func (s *Server) apiIncidentObligations(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	obs, err := s.cfg.Store.Obligations(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	items := make([]apiObligation, 0, len(obs))
	for _, ob := range obs {
		items = append(items, toAPIObligation(ob, langOf(r)))
	}
	writeList(w, items, "")
	return nil
}

// apiPutObligation is PUT /api/v1/incidents/{id}/obligations/{code}:
// {"status": "done"|"waived"|"open", "note"}.
func (s *Server) apiPutObligation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	var body struct {
		Status string `json:"status"`
		Note   string `json:"note"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	if err := s.cfg.Store.SetObligationStatus(r.Context(), actor(r).OrgID, id, code, body.Status, body.Note); err != nil {
		return err
	}
	return s.apiIncidentObligations(w, r)
}

type taskIn struct {
	Title      *string `json:"title"`
	Owner      *string `json:"owner"`
	DueDate    *string `json:"due_date"`
	Done       *bool   `json:"done"`
	ForPartner *bool   `json:"for_partner"`
}

func (b taskIn) apply(t *renkei.IncidentTask) {
	for _, f := range []struct{ src, dst *string }{{b.Title, &t.Title}, {b.Owner, &t.Owner}, {b.DueDate, &t.DueDate}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if b.Done != nil {
		t.Done = *b.Done
	}
	if b.ForPartner != nil {
		t.ForPartner = *b.ForPartner
	}
}

// apiCreateIncidentTask is POST /api/v1/incidents/{id}/tasks.
func (s *Server) apiCreateIncidentTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	var body taskIn
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	t := &renkei.IncidentTask{OrgID: actor(r).OrgID, IncidentID: id}
	body.apply(t)
	if err := s.cfg.Store.SaveTask(r.Context(), t); err != nil {
		return err
	}
	created(w, t)
	return nil
}

// apiPatchIncidentTask is PATCH /api/v1/incidents/{id}/tasks/{task_id}.
func (s *Server) apiPatchIncidentTask(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	tasks, err := s.cfg.Store.Tasks(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	var t *renkei.IncidentTask
	for i := range tasks {
		if tasks[i].ID == r.PathValue("task_id") {
			t = &tasks[i]
		}
	}
	if t == nil {
		return renkei.ErrNotFound("task")
	}
	var body taskIn
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	body.apply(t)
	if err := s.cfg.Store.SaveTask(r.Context(), t); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// apiCreateIncidentMessage is POST /api/v1/incidents/{id}/messages:
// {"body", "shared"} — shared messages reach the reporting partner.
func (s *Server) apiCreateIncidentMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	var body struct {
		Body   string `json:"body"`
		Shared bool   `json:"shared"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	m := &renkei.IncidentMessage{OrgID: actor(r).OrgID, IncidentID: id, Body: body.Body, Shared: body.Shared}
	if err := s.cfg.Store.AddMessage(r.Context(), m); err != nil {
		return err
	}
	created(w, m)
	return nil
}

// apiDecision is GET /api/v1/incidents/{id}/decision: the policy's
// recommendation now, with its reasons in words, and the decision taken
// (null until one is).
type apiDecision struct {
	Recommendation apiRecommendation          `json:"recommendation"`
	Decision       *renkei.DisclosureDecision `json:"decision"`
}

type apiRecommendation struct {
	renkei.DisclosureRecommendation
	ForText     []string `json:"for_text"`
	AgainstText []string `json:"against_text"`
}

func toAPIRecommendation(rec renkei.DisclosureRecommendation, lang string) apiRecommendation {
	out := apiRecommendation{DisclosureRecommendation: rec, ForText: []string{}, AgainstText: []string{}}
	if out.For == nil {
		out.For = []string{}
	}
	if out.Against == nil {
		out.Against = []string{}
	}
	for _, c := range out.For {
		out.ForText = append(out.ForText, renkei.DisclosureReasonText(c).Label(lang))
	}
	for _, c := range out.Against {
		out.AgainstText = append(out.AgainstText, renkei.DisclosureReasonText(c).Label(lang))
	}
	return out
}

func (s *Server) apiIncidentDecision(w http.ResponseWriter, r *http.Request) error {
	in, err := s.incidentOf(r)
	if err != nil {
		return err
	}
	d, err := s.cfg.Store.Decision(r.Context(), in.OrgID, in.ID)
	if err != nil {
		return err
	}
	rec, err := s.cfg.Store.Recommendation(r.Context(), in.OrgID, in.ID)
	if err != nil {
		return err
	}
	if d != nil {
		d.Recommendation.For, d.Recommendation.Against = nonNil(d.Recommendation.For), nonNil(d.Recommendation.Against)
	}
	writeJSON(w, http.StatusOK, apiDecision{Recommendation: toAPIRecommendation(rec, langOf(r)), Decision: d})
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// apiPutIncidentDecision is PUT /api/v1/incidents/{id}/decision:
// {"disclose", "reason"}.
func (s *Server) apiPutIncidentDecision(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "incident")
	if err != nil {
		return err
	}
	var body struct {
		Disclose bool   `json:"disclose"`
		Reason   string `json:"reason"`
	}
	if err := s.decodeJSON(w, r, &body); err != nil {
		return err
	}
	d := &renkei.DisclosureDecision{Disclose: body.Disclose, Reason: strings.TrimSpace(body.Reason)}
	if err := s.cfg.Store.DecideDisclosure(r.Context(), actor(r).OrgID, id, d); err != nil {
		return err
	}
	return s.apiIncidentDecision(w, r)
}

// apiGetIncidentSettings is GET /api/v1/incident_settings.
func (s *Server) apiGetIncidentSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.cfg.Store.IncidentSettings(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	if st.Flags == nil {
		st.Flags = []string{}
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// apiPutIncidentSettings is PUT /api/v1/incident_settings: the whole
// settings; changed rules or policy become a new version.
func (s *Server) apiPutIncidentSettings(w http.ResponseWriter, r *http.Request) error {
	var st renkei.IncidentSettings
	if err := s.decodeJSON(w, r, &st); err != nil {
		return err
	}
	if err := s.cfg.Store.SaveIncidentSettings(r.Context(), actor(r).OrgID, &st); err != nil {
		return err
	}
	return s.apiGetIncidentSettings(w, r)
}

// apiReportLink is the organization's report link: whether there is one
// and since when; the URL only when it is made (only its hash is kept).
type apiReportLink struct {
	Exists    bool       `json:"exists"`
	CreatedAt *time.Time `json:"created_at"`
	URL       string     `json:"url,omitempty"`
}

// apiGetReportLink is GET /api/v1/report_link.
func (s *Server) apiGetReportLink(w http.ResponseWriter, r *http.Request) error {
	at, err := s.cfg.Store.ReportLinkCreated(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiReportLink{Exists: at != nil, CreatedAt: utcPtr(at)})
	return nil
}

// apiRotateReportLink is POST /api/v1/report_link: a new link (the old
// one stops working), its URL shown this once.
func (s *Server) apiRotateReportLink(w http.ResponseWriter, r *http.Request) error {
	secret, err := s.cfg.Store.RotateReportLink(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	at, err := s.cfg.Store.ReportLinkCreated(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	created(w, apiReportLink{Exists: true, CreatedAt: utcPtr(at), URL: s.baseURL(r) + "/report/" + secret})
	return nil
}

// measuresSince reads ?since=YYYY-MM-DD (a day in Japan time); the
// default is a year back.
func (s *Server) measuresSince(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("since")
	if v == "" {
		return s.cfg.Now().AddDate(-1, 0, 0), nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, renkei.Japan)
	if err != nil {
		return time.Time{}, renkei.Invalid(map[string]string{"since": "field.date"})
	}
	return t, nil
}

// apiIncidentMeasures is GET /api/v1/incident_measures?since=: the time
// from occurrence to discovery, to our awareness, to triage and to
// closure, overall and per partner type, and the duties overdue now.
func (s *Server) apiIncidentMeasures(w http.ResponseWriter, r *http.Request) error {
	since, err := s.measuresSince(r)
	if err != nil {
		return err
	}
	m, err := s.cfg.Store.Measures(r.Context(), actor(r).OrgID, since)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}
