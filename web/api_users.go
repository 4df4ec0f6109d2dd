package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// apiMember is a person as the API shows them: never a password hash,
// TOTP secret or lockout state.
type apiMember struct {
	ID          string      `json:"id"`
	Email       string      `json:"email"`
	Name        string      `json:"name"`
	Role        renkei.Role `json:"role"`
	Locale      string      `json:"locale"`
	TimeZone    string      `json:"time_zone"`
	TOTPEnabled bool        `json:"totp_enabled"`
	CreatedAt   time.Time   `json:"created_at"`
}

func toAPIMember(m *renkei.Member) apiMember {
	return apiMember{
		ID: m.ID, Email: m.Email, Name: m.Name, Role: m.Role, Locale: m.Locale,
		TimeZone: m.TimeZone, TOTPEnabled: m.TOTPEnabled, CreatedAt: utc(m.CreatedAt),
	}
}

// apiListUsers is GET /api/v1/users: the organization's members.
func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	ms, next, err := s.cfg.Store.ListMembers(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiMember, len(ms))
	for i := range ms {
		out[i] = toAPIMember(&ms[i])
	}
	writeList(w, out, next)
	return nil
}

// apiGetUser is GET /api/v1/users/{id}.
func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	m, err := s.cfg.Store.Member(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIMember(m))
	return nil
}

type userPatch struct {
	Role *renkei.Role `json:"role"`
}

// apiPatchUser is PATCH /api/v1/users/{id} {role}. Demoting the last
// admin is a conflict.
func (s *Server) apiPatchUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in userPatch
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	if in.Role == nil {
		return renkei.Invalid(map[string]string{"role": "field.required"})
	}
	ctx, orgID := r.Context(), actor(r).OrgID
	if err := s.cfg.Store.SetMemberRole(ctx, orgID, id, *in.Role); err != nil {
		return err
	}
	m, err := s.cfg.Store.Member(ctx, orgID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIMember(m))
	return nil
}

// apiDeleteUser is DELETE /api/v1/users/{id}: the person leaves the
// organization (their account stays), and their sessions and tokens here
// end. Removing the last admin is a conflict.
func (s *Server) apiDeleteUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RemoveMember(r.Context(), actor(r).OrgID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}
