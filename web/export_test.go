package web

import (
	"context"
	"net/http"

	"github.com/renkei/renkei"
)

// APIRoutes returns the server's API routes as (METHOD, path) pairs, for
// the OpenAPI and cross-tenant tests.
func APIRoutes(s *Server) [][2]string {
	out := make([][2]string, len(s.apiRoutes))
	for i, rt := range s.apiRoutes {
		out[i] = [2]string{rt.Method, rt.Path}
	}
	return out
}

// Invite exposes Server.invite.
func Invite(s *Server, ctx context.Context, r *http.Request, email string, role renkei.Role) (*renkei.Invitation, error) {
	return s.invite(ctx, r, email, role)
}

// APIRoutePerm returns the permission a route needs ("" for any member)
// and whether it is public.
func APIRoutePerm(s *Server, method, path string) (perm renkei.Permission, public, ok bool) {
	for _, rt := range s.apiRoutes {
		if rt.Method == method && rt.Path == path {
			return rt.Perm, rt.Public, true
		}
	}
	return "", false, false
}
