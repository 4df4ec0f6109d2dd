package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
)

// The portal's incident pages: a partner user reports an incident to the
// organizations their company works for, follows each case's status and
// exchanges messages — only those the organization shares.

// routePortalIncidents registers the pages behind the partner guard.
func (s *Server) routePortalIncidents() {
	s.handlePortal("GET /portal/incidents", s.portalIncidents)
	s.handlePortal("GET /portal/incidents/new", s.portalIncidentNew)
	s.handlePortal("POST /portal/incidents/new", s.portalIncidentCreate)
	s.handlePortal("GET /portal/incidents/{id}", s.portalIncidentPage)
	s.handlePortal("POST /portal/incidents/{id}/messages", s.portalIncidentMessage)
	s.handlePortal("POST /portal/incidents/{id}/files", s.portalIncidentFileUpload)
	s.handlePortal("POST /portal/incidents/{id}/tasks/{tid}", s.portalIncidentTask)
	s.handlePortal("GET /portal/incidents/{id}/files/{fid}", s.portalIncidentFileDownload)
}

type portalIncidentRow struct {
	ID, Ref, Title, Org, Status string
	renkei.Incident
}

type portalIncidentsView struct {
	Rows []portalIncidentRow
	Next string
}

// orgNames maps the company's organizations to their names.
func (s *Server) orgNames(r *http.Request) (map[string]string, []renkei.PartnerTie, error) {
	ties, err := s.cfg.Store.PartnerTies(r.Context())
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, t := range ties {
		names[t.OrgID] = t.OrgName
	}
	return names, ties, nil
}

// portalIncidents is GET /portal/incidents.
func (s *Server) portalIncidents(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	items, next, err := s.cfg.Store.PartnerIncidents(r.Context(), renkei.Page{Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		return err
	}
	names, _, err := s.orgNames(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	v := portalIncidentsView{Next: next}
	for _, in := range items {
		v.Rows = append(v.Rows, portalIncidentRow{ID: in.ID, Ref: in.Ref, Title: incidentTitle(&in, lang), Org: names[in.OrgID],
			Status: i18n.T(lang, "incident.status."+in.Status), Incident: in})
	}
	s.render(w, r, http.StatusOK, "portal_incidents", &pageData{Title: "portal_incidents.title", Data: v, Flash: noticeOf(r)})
	return nil
}

type portalIncidentNewView struct {
	Ties         []renkei.PartnerTie
	Selected     string
	Types        []string
	Containments []string
	Form         reportLinkForm
}

// portalIncidentNew is GET /portal/incidents/new.
func (s *Server) portalIncidentNew(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderPortalIncidentNew(w, r, a, http.StatusOK, reportLinkForm{}, "", nil)
}

func (s *Server) renderPortalIncidentNew(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, f reportLinkForm, org string, e *renkei.Error) error {
	_, ties, err := s.orgNames(r)
	if err != nil {
		return err
	}
	if org == "" && len(ties) == 1 {
		org = ties[0].OrgID
	}
	v := portalIncidentNewView{Ties: ties, Selected: org, Types: renkei.IncidentTypes, Containments: renkei.ContainmentStates, Form: f}
	s.render(w, r, status, "portal_incident_new", &pageData{Title: "portal_incidents.new_title", Data: v, Error: e})
	return nil
}

// portalIncidentCreate is POST /portal/incidents/new: the report becomes a
// case of the chosen organization, for the partner that is this company,
// aware now.
func (s *Server) portalIncidentCreate(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	f := readReportForm(r)
	orgID := strings.TrimSpace(r.PostFormValue("org_id"))
	_, ties, err := s.orgNames(r)
	if err != nil {
		return err
	}
	if orgID == "" && len(ties) == 1 {
		orgID = ties[0].OrgID // the only organization the company works for
	}
	var tie *renkei.PartnerTie
	for i := range ties {
		if ties[i].OrgID == orgID {
			tie = &ties[i]
		}
	}
	// The reporter is the signed-in partner user: their address is the
	// contact, whatever the form says.
	u, err := s.cfg.Store.UserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	f.Email = u.Email
	in, fields := f.incident(orgID, s.cfg.Now())
	delete(fields, "company") // the company is the partner's own
	in.Title = strings.TrimSpace(r.PostFormValue("title"))
	if tie == nil {
		fields["org_id"] = "portal_incidents.org_required"
	} else {
		in.PartnerID = tie.PartnerID
	}
	if len(fields) > 0 {
		err = renkei.Invalid(fields)
	} else {
		err = s.cfg.Store.CreateIncident(r.Context(), in)
	}
	if e := formError(err); e != nil {
		return s.renderPortalIncidentNew(w, r, a, statusOf(e.Code), f, orgID, e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/portal/incidents/"+in.ID+"?notice=reported")
	return nil
}

type portalIncidentView struct {
	In       *renkei.Incident
	Title    string
	Org      string
	Messages []renkei.IncidentMessage
	Files    []renkei.IncidentFile
	Tasks    []renkei.IncidentTask
}

// portalIncidentPage is GET /portal/incidents/{id}: the case as the
// partner sees it — its status and the shared messages.
func (s *Server) portalIncidentPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderPortalIncident(w, r, http.StatusOK, nil)
}

func (s *Server) renderPortalIncident(w http.ResponseWriter, r *http.Request, status int, e *renkei.Error) error {
	in, err := s.cfg.Store.PartnerIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	msgs, err := s.cfg.Store.Messages(r.Context(), in.OrgID, in.ID)
	if err != nil {
		return err
	}
	names, _, err := s.orgNames(r)
	if err != nil {
		return err
	}
	files, err := s.cfg.Store.IncidentFiles(r.Context(), in.OrgID, in.ID)
	if err != nil {
		return err
	}
	tasks, err := s.cfg.Store.Tasks(r.Context(), in.OrgID, in.ID)
	if err != nil {
		return err
	}
	v := portalIncidentView{In: in, Title: incidentTitle(in, langOf(r)), Org: names[in.OrgID], Messages: msgs, Files: files, Tasks: tasks}
	s.render(w, r, status, "portal_incident", &pageData{Title: "portal_incidents.case_title", Data: v, Error: e, Flash: noticeOf(r)})
	return nil
}

// afterPortalIncidentPost ends a partner's post to a case: a refused one
// shows the case again with what was wrong, a done one goes back to it.
func (s *Server) afterPortalIncidentPost(w http.ResponseWriter, r *http.Request, in *renkei.Incident, err error) error {
	if e := formError(err); e != nil {
		return s.renderPortalIncident(w, r, statusOf(e.Code), e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/portal/incidents/"+in.ID)
	return nil
}

// portalIncidentMessage is POST /portal/incidents/{id}/messages.
func (s *Server) portalIncidentMessage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	in, err := s.cfg.Store.PartnerIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	m := &renkei.IncidentMessage{OrgID: in.OrgID, IncidentID: in.ID, Body: r.PostFormValue("body")}
	err = s.cfg.Store.AddMessage(r.Context(), m)
	return s.afterPortalIncidentPost(w, r, in, err)
}

// portalIncidentTask is POST /portal/incidents/{id}/tasks/{tid}: the
// partner marks a remediation item asked of it done (or not) and says how.
func (s *Server) portalIncidentTask(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	in, err := s.cfg.Store.PartnerIncident(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	err = s.cfg.Store.PartnerTaskDone(r.Context(), in.OrgID, in.ID, r.PathValue("tid"), r.PostFormValue("done") == "on", strings.TrimSpace(r.PostFormValue("note")))
	return s.afterPortalIncidentPost(w, r, in, err)
}
