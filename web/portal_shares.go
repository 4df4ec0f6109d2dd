package web

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/renkei/renkei"
)

// Sharing with consent, the partner's side (docs/sharing.md): /portal/shares
// lists the requests organizations made to the company and what it
// granted. For a request the partner user picks one of the company's
// submitted or reviewed assessments (from any organization) and an expiry
// date, or declines; a grant can be revoked at any time. The store holds
// the rules (renkei.CheckGrant and the others) and scopes every share by
// the user's company.

// portalShareRow is one request or grant as the partner sees it.
type portalShareRow struct {
	Share renkei.Share
	State string
	What  string // the granted assessment in words
}

// portalShareChoice is an assessment the company may share.
type portalShareChoice struct {
	ID, Label string
}

// portalSharesView is /portal/shares.
type portalSharesView struct {
	Rows          []portalShareRow
	Choices       []portalShareChoice
	DefaultExpiry string // a year from today
	MaxExpiry     string
	Today         string
	ErrorFor      string // the share a refused decision was about
}

func (s *Server) portalShares(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderPortalShares(w, r, http.StatusOK, "", nil)
}

// renderPortalShares draws the page, with a refused decision's error next
// to its share.
func (s *Server) renderPortalShares(w http.ResponseWriter, r *http.Request, status int, errorFor string, e *renkei.Error) error {
	ctx := r.Context()
	lang := langOf(r)
	shares, err := s.cfg.Store.PartnerShares(ctx)
	if err != nil {
		return err
	}
	today := s.now().In(renkei.Tokyo)
	v := &portalSharesView{ErrorFor: errorFor, Today: today.Format(time.DateOnly),
		DefaultExpiry: today.AddDate(1, 0, 0).Format(time.DateOnly), MaxExpiry: today.AddDate(0, 0, renkei.MaxShareDays).Format(time.DateOnly)}
	labels := map[string]string{}
	orgs := map[string]string{}
	cursor := ""
	for {
		page, next, err := s.cfg.Store.PartnerAssessments(ctx, renkei.Page{Limit: renkei.MaxPageLimit, Cursor: cursor})
		if err != nil {
			return err
		}
		for i := range page {
			as := &page[i]
			it, err := s.portalItem(ctx, as, orgs)
			if err != nil {
				return err
			}
			label := it.Title.Label(lang) + "（" + it.OrgName + "）"
			if as.SubmittedAt != nil {
				label += " " + as.SubmittedAt.In(renkei.Tokyo).Format(time.DateOnly)
			}
			labels[as.ID] = label
			if it.Done {
				v.Choices = append(v.Choices, portalShareChoice{ID: as.ID, Label: label})
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	for _, sh := range shares {
		v.Rows = append(v.Rows, portalShareRow{Share: sh, State: sh.State(s.now()), What: labels[sh.AssessmentID]})
	}
	s.render(w, r, status, "portal_shares", &pageData{Title: "sharing.portal.title", Data: v, Error: e, Flash: portalShareNotice(r)})
	return nil
}

// portalShareNotice is the notice a redirect after a decision asks for.
func portalShareNotice(r *http.Request) string {
	switch n := r.URL.Query().Get("notice"); n {
	case "granted", "declined", "revoked":
		return "sharing.portal.notice." + n
	}
	return ""
}

// portalShareDecision runs one decision on the share in the path and goes
// back to the list; a refused one is shown next to its share.
func (s *Server) portalShareDecision(notice string, decide func(r *http.Request, id string) error) portalFunc {
	return func(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
		id, err := pathID(r, "share")
		if err != nil {
			return err
		}
		if err := decide(r, id); err != nil {
			e := formError(err)
			if e == nil {
				return err
			}
			return s.renderPortalShares(w, r, statusOf(e.Code), id, e)
		}
		seeOther(w, r, "/portal/shares?notice="+notice)
		return nil
	}
}

func (s *Server) portalShareGrant(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.portalShareDecision("granted", func(r *http.Request, id string) error {
		// Anything but an ID names none of the company's assessments
		// (and a NUL could not even be asked about in PostgreSQL).
		assessment := ""
		if u, err := uuid.Parse(r.FormValue("assessment_id")); err == nil {
			assessment = u.String()
		}
		_, err := s.cfg.Store.GrantShare(r.Context(), id, assessment, r.FormValue("expires_on"))
		return err
	})(w, r, a)
}

func (s *Server) portalShareDecline(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.portalShareDecision("declined", func(r *http.Request, id string) error {
		_, err := s.cfg.Store.DeclineShare(r.Context(), id)
		return err
	})(w, r, a)
}

func (s *Server) portalShareRevoke(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.portalShareDecision("revoked", func(r *http.Request, id string) error {
		_, err := s.cfg.Store.RevokeShare(r.Context(), id)
		return err
	})(w, r, a)
}
