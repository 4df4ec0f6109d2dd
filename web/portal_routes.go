package web

// routePortal registers the partner portal (docs/portal.md). Signing in is
// open to anyone; every other page goes through handlePortal.
func (s *Server) routePortal() {
	s.mux.HandleFunc("GET /portal/login", s.portalLoginPage)
	s.mux.HandleFunc("POST /portal/login", s.portalLoginSubmit)
	s.mux.HandleFunc("GET /portal/link/{secret}", s.portalLinkPage)
	s.mux.HandleFunc("POST /portal/link/{secret}", s.portalLinkUse)
	s.mux.HandleFunc("POST /portal/logout", s.portalLogout)

	s.handlePortal("GET /portal", s.portalHome)
	s.handlePortal("POST /portal/company", s.portalSwitchCompany)
}

// handlePortal registers a portal page behind the partner guard and keeps
// its pattern for the cross-company harness (web/portal_tenancy_test.go),
// which fails for a pattern with an ID and no fixture. Every guarded
// /portal route, whichever file serves it, is registered through here.
func (s *Server) handlePortal(pattern string, h portalFunc) {
	s.portalRoutes = append(s.portalRoutes, pattern)
	s.mux.HandleFunc(pattern, s.partner(h))
}

// PortalRoutes lists the guarded portal routes ("METHOD /path"), for tests.
func (s *Server) PortalRoutes() []string { return append([]string(nil), s.portalRoutes...) }
