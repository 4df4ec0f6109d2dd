package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// apiInvitation is an invitation as the API shows it: never the link's
// secret or its hash.
type apiInvitation struct {
	ID         string      `json:"id"`
	Email      string      `json:"email"`
	Role       renkei.Role `json:"role"`
	InvitedBy  string      `json:"invited_by"`
	CreatedAt  time.Time   `json:"created_at"`
	ExpiresAt  time.Time   `json:"expires_at"`
	AcceptedAt *time.Time  `json:"accepted_at"`
}

func toAPIInvitation(inv *renkei.Invitation) apiInvitation {
	return apiInvitation{
		ID: inv.ID, Email: inv.Email, Role: inv.Role, InvitedBy: inv.InvitedBy,
		CreatedAt: utc(inv.CreatedAt), ExpiresAt: utc(inv.ExpiresAt), AcceptedAt: utcPtr(inv.AcceptedAt),
	}
}

// apiListInvitations is GET /api/v1/invitations: the open ones, newest
// first.
func (s *Server) apiListInvitations(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	invs, next, err := s.cfg.Store.ListInvitations(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiInvitation, len(invs))
	for i := range invs {
		out[i] = toAPIInvitation(&invs[i])
	}
	writeList(w, out, next)
	return nil
}

type invitationCreate struct {
	Email string      `json:"email"`
	Role  renkei.Role `json:"role"`
}

// apiCreateInvitation is POST /api/v1/invitations {email, role}: it
// records the invitation and queues its mail in the caller's language.
func (s *Server) apiCreateInvitation(w http.ResponseWriter, r *http.Request) error {
	var in invitationCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	inv, err := s.invite(r.Context(), r, in.Email, in.Role)
	if err != nil {
		return err
	}
	created(w, toAPIInvitation(inv))
	return nil
}

// apiDeleteInvitation is DELETE /api/v1/invitations/{id}: it withdraws an
// open invitation, so that its link stops working.
func (s *Server) apiDeleteInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "invitation")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RevokeInvitation(r.Context(), actor(r).OrgID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}
