package web

import (
	"net/http"
	"net/url"

	"github.com/renkei/renkei"
)

// The partner portal's guard. A partner session (renkei.Session.CompanyID
// set) becomes, in authenticate, an actor with Role RolePartner,
// PartnerCompanyID the session's company and no OrgID: the staff guards
// (member, apiAuthorize) refuse it because it has no organization, and
// partner refuses everything that is not it.

// portalFunc serves a portal page to a partner user; a is the partner
// actor (a.PartnerCompanyID is the company they work for).
type portalFunc func(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error

// partner guards a portal page. Every /portal page other than sign-in
// (/portal/login, /portal/link/{secret}) is registered through it:
//
//	s.mux.HandleFunc("GET /portal/assessments/{id}/xlsx", s.partner(s.portalXLSX))
//
// Visitors without a session go to /portal/login (back to the page after
// signing in); staff sessions get the 403 page, since staff see a
// partner's answers in the staff pages, not as the partner; a partner user
// passes with their actor. The handler reads the assessment or share named
// in the path through the store with r.Context(), which carries the actor:
// the store scopes by a.PartnerCompanyID, so another company's ID is
// ENOTFOUND, which the returned error turns into the 404 page (or, for
// htmx requests, a message in #flash).
func (s *Server) partner(h portalFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		st := authOf(r)
		switch {
		case st.Actor == nil:
			s.toPortalLogin(w, r, st)
		case st.Actor.PartnerCompanyID == "":
			s.pageError(w, r, renkei.Errorf(renkei.EFORBIDDEN, "error.portal_staff"))
		default:
			if err := h(w, r, st.Actor); err != nil {
				s.pageError(w, r, err)
			}
		}
	}
}

// toPortalLogin sends a visitor without a usable partner session to the
// portal's sign-in page, keeping where they were going.
func (s *Server) toPortalLogin(w http.ResponseWriter, r *http.Request, st *authState) {
	q := url.Values{}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if next := safePortalNext(r.URL.RequestURI()); next != "/portal" {
			q.Set("next", next)
		}
	}
	if st.Expired {
		q.Set("notice", "expired")
	}
	target := "/portal/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	seeOther(w, r, target)
}

// safePortalNext returns next when it is a portal page (safeNext's rules,
// under /portal), and /portal otherwise.
func safePortalNext(next string) string {
	next = safeNext(next)
	u, err := url.Parse(next)
	if err != nil || (u.Path != "/portal" && (len(u.Path) < 8 || u.Path[:8] != "/portal/")) ||
		u.Path == "/portal/login" || u.Path == "/portal/logout" {
		return "/portal"
	}
	return next
}
