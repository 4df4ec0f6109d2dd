package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
)

// apiRoute is one JSON API endpoint. All of them are listed in
// routes_api.go; the OpenAPI test compares that list with openapi.json.
type apiRoute struct {
	Method string
	Path   string            // ServeMux pattern path, e.g. /api/v1/tokens/{id}
	Perm   renkei.Permission // required permission; "" = any signed-in member
	Public bool              // no credentials needed
	Handle func(w http.ResponseWriter, r *http.Request) error
}

// handleAPI registers routes and wraps each handler with authentication,
// the permission check and error writing.
func (s *Server) handleAPI(routes []apiRoute) {
	s.apiRoutes = append(s.apiRoutes, routes...)
	for _, rt := range routes {
		rt := rt
		s.mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			if !rt.Public {
				if err := s.apiAuthorize(r, rt.Perm); err != nil {
					s.writeError(w, r, err)
					return
				}
			}
			if err := rt.Handle(w, r); err != nil {
				s.writeError(w, r, err)
			}
		})
	}
	// Anything else under /api/ is a JSON 404, or 405 when the path exists
	// with other methods.
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowedMethods(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.writeError(w, r, renkei.Errorf("method_not_allowed", "error.method_not_allowed", r.Method))
			return
		}
		s.writeError(w, r, renkei.Errorf(renkei.ENOTFOUND, "error.route_not_found"))
	})
}

// apiAuthorize checks that the request carries valid credentials of a
// member of an organization holding perm.
func (s *Server) apiAuthorize(r *http.Request, perm renkei.Permission) error {
	st := authOf(r)
	if st.BadToken != nil {
		return st.BadToken
	}
	if st.Actor == nil {
		if st.Expired {
			return renkei.Errorf(renkei.EUNAUTHORIZED, "error.session_expired")
		}
		return renkei.Errorf(renkei.EUNAUTHORIZED, "error.unauthorized")
	}
	if st.Actor.OrgID == "" {
		return renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	if perm != "" && !st.Actor.Role.Can(perm) {
		return renkei.Errorf(renkei.EFORBIDDEN, "error.forbidden")
	}
	return nil
}

// allowedMethods lists the methods other than r's that some route serves
// at r's path.
func (s *Server) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" && pattern != "/" {
			out = append(out, m)
		}
	}
	return out
}

// actor returns the request's actor; API handlers run only after
// apiAuthorize, so it is never nil there.
func actor(r *http.Request) *renkei.Actor { return authOf(r).Actor }
