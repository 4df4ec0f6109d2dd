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
	s.handlePortal("GET /portal/account", s.portalAccount)
	s.handlePortal("POST /portal/account/profile", s.portalProfile)
	s.handlePortal("POST /portal/account/password", s.portalPassword)

	// One assessment (portal_assessment.go, portal_submit.go,
	// portal_evidence.go, portal_handoff.go).
	s.handlePortal("GET /portal/assessments/{id}", s.portalAssessmentPage)
	s.handlePortal("POST /portal/assessments/{id}/answers/{ref}", s.portalSaveAnswer)
	s.handlePortal("POST /portal/assessments/{id}/answers/{ref}/confirm", s.portalConfirmAnswer)
	s.handlePortal("GET /portal/assessments/{id}/submit", s.portalSubmitPage)
	s.handlePortal("POST /portal/assessments/{id}/submit", s.portalSubmit)
	s.handlePortal("POST /portal/assessments/{id}/evidence", s.portalEvidenceUpload)
	s.handlePortal("GET /portal/assessments/{id}/evidence/{eid}", s.portalEvidenceDownload)
	s.handlePortal("POST /portal/assessments/{id}/evidence/{eid}/delete", s.portalEvidenceDelete)
	s.handlePortal("POST /portal/assessments/{id}/handoff", s.portalHandOff)

	// The Excel round trip and sharing with consent (portal_xlsx.go,
	// portal_shares.go).
	s.handlePortal("GET /portal/assessments/{id}/xlsx", s.portalXLSXDownload)
	s.handlePortal("GET /portal/assessments/{id}/xlsx/upload", s.portalXLSXPage)
	s.handlePortal("POST /portal/assessments/{id}/xlsx", s.portalXLSXUpload)
	s.handlePortal("GET /portal/shares", s.portalShares)
	s.handlePortal("POST /portal/shares/{id}/grant", s.portalShareGrant)
	s.handlePortal("POST /portal/shares/{id}/decline", s.portalShareDecline)
	s.handlePortal("POST /portal/shares/{id}/revoke", s.portalShareRevoke)

	// Reporting incidents (portal_incidents.go).
	s.routePortalIncidents()

	// Vulnerabilities found in the company's products, and its VEX
	// statements about them (portal_sbom.go).
	s.handlePortal("GET /portal/sbom", s.portalSBOM)
	s.handlePortal("POST /portal/sbom/vex", s.portalSBOMVEX)
	s.handlePortal("POST /portal/sbom", s.portalSBOMUpload)
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
