package web

import (
	"net/http"
	"time"

	"github.com/renkei/renkei"
)

// apiToken is an API token as the API shows it: its prefix, never its
// secret or hash.
type apiToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func toAPIToken(t *renkei.APIToken) apiToken {
	return apiToken{
		ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: utc(t.CreatedAt),
		LastUsedAt: utcPtr(t.LastUsedAt), RevokedAt: utcPtr(t.RevokedAt),
	}
}

// apiListTokens is GET /api/v1/tokens: the organization's tokens, revoked
// ones included, newest first.
func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	ts, next, err := s.cfg.Store.ListTokens(r.Context(), actor(r).OrgID, page)
	if err != nil {
		return err
	}
	out := make([]apiToken, len(ts))
	for i := range ts {
		out[i] = toAPIToken(&ts[i])
	}
	writeList(w, out, next)
	return nil
}

type tokenCreate struct {
	Name string `json:"name"`
}

// tokenCreated is the answer to POST /api/v1/tokens: the only time the
// secret is shown.
type tokenCreated struct {
	Token  apiToken `json:"token"`
	Secret string   `json:"secret"`
}

// apiCreateToken is POST /api/v1/tokens {name}: a new token acting as the
// caller in the caller's organization.
func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenCreate
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	checkText(fields, "name", in.Name)
	if err := invalid(fields); err != nil {
		return err
	}
	a := actor(r)
	t, secret, err := s.cfg.Accounts.CreateToken(r.Context(), a.OrgID, a.UserID, in.Name)
	if err != nil {
		return err
	}
	created(w, tokenCreated{Token: toAPIToken(t), Secret: secret})
	return nil
}

// apiDeleteToken is DELETE /api/v1/tokens/{id}: it revokes the token at
// once. A token already revoked is not found.
func (s *Server) apiDeleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RevokeToken(r.Context(), actor(r).OrgID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}
