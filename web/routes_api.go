package web

import (
	_ "embed"
	"net/http"

	"github.com/renkei/renkei"
)

//go:embed openapi.json
var openAPIDoc []byte

// routeAPI lists every JSON API endpoint. openapi.json describes exactly
// these (openapi_test.go), and every route that takes an ID joins the
// cross-tenant test in tenancy_test.go, which fails for a route without a
// fixture.
func (s *Server) routeAPI() {
	s.handleAPI([]apiRoute{
		{Method: "GET", Path: "/api/v1/openapi.json", Public: true, Handle: s.apiOpenAPI},
		{Method: "GET", Path: "/api/v1/me", Handle: s.apiMe},

		{Method: "GET", Path: "/api/v1/organization", Perm: renkei.PermRead, Handle: s.apiGetOrganization},
		{Method: "PATCH", Path: "/api/v1/organization", Perm: renkei.PermManageOrg, Handle: s.apiPatchOrganization},

		{Method: "GET", Path: "/api/v1/users", Perm: renkei.PermRead, Handle: s.apiListUsers},
		{Method: "GET", Path: "/api/v1/users/{id}", Perm: renkei.PermRead, Handle: s.apiGetUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Perm: renkei.PermManageUsers, Handle: s.apiPatchUser},
		{Method: "DELETE", Path: "/api/v1/users/{id}", Perm: renkei.PermManageUsers, Handle: s.apiDeleteUser},

		{Method: "GET", Path: "/api/v1/invitations", Perm: renkei.PermRead, Handle: s.apiListInvitations},
		{Method: "POST", Path: "/api/v1/invitations", Perm: renkei.PermManageUsers, Handle: s.apiCreateInvitation},
		{Method: "DELETE", Path: "/api/v1/invitations/{id}", Perm: renkei.PermManageUsers, Handle: s.apiDeleteInvitation},

		{Method: "GET", Path: "/api/v1/tokens", Perm: renkei.PermManageTokens, Handle: s.apiListTokens},
		{Method: "POST", Path: "/api/v1/tokens", Perm: renkei.PermManageTokens, Handle: s.apiCreateToken},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Perm: renkei.PermManageTokens, Handle: s.apiDeleteToken},

		{Method: "GET", Path: "/api/v1/audit", Perm: renkei.PermManageOrg, Handle: s.apiListAudit},

		// Partners (api_partners*.go, api_agreements.go,
		// api_agreement_documents.go, api_requirements.go).
		{Method: "GET", Path: "/api/v1/partners", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListPartners)},
		{Method: "POST", Path: "/api/v1/partners", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreatePartner)},
		{Method: "POST", Path: "/api/v1/partners/import", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiImportPartners)},
		{Method: "GET", Path: "/api/v1/partners/export", Perm: renkei.PermRead, Handle: partnerAPI(s.apiExportPartners)},
		{Method: "GET", Path: "/api/v1/partners/coverage", Perm: renkei.PermRead, Handle: partnerAPI(s.apiPartnerCoverage)},
		{Method: "GET", Path: "/api/v1/partners/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetPartner)},
		{Method: "PATCH", Path: "/api/v1/partners/{id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchPartner)},
		{Method: "POST", Path: "/api/v1/partners/{id}/archive", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiArchivePartner(true))},
		{Method: "POST", Path: "/api/v1/partners/{id}/unarchive", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiArchivePartner(false))},
		{Method: "GET", Path: "/api/v1/partners/{id}/risk_history", Perm: renkei.PermRead, Handle: partnerAPI(s.apiPartnerRiskHistory)},
		{Method: "GET", Path: "/api/v1/partners/{id}/duplicates", Perm: renkei.PermRead, Handle: partnerAPI(s.apiPartnerDuplicates)},
		{Method: "GET", Path: "/api/v1/partners/{id}/agreements", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListAgreements)},
		{Method: "POST", Path: "/api/v1/partners/{id}/agreements", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateAgreement)},
		{Method: "PATCH", Path: "/api/v1/partners/{id}/agreements/{agreement_id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchAgreement)},
		{Method: "DELETE", Path: "/api/v1/partners/{id}/agreements/{agreement_id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiDeleteAgreement)},
		{Method: "PUT", Path: "/api/v1/partners/{id}/agreements/{agreement_id}/document", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutAgreementDocument)},
		{Method: "GET", Path: "/api/v1/partners/{id}/agreements/{agreement_id}/document", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetAgreementDocument)},
		{Method: "DELETE", Path: "/api/v1/partners/{id}/agreements/{agreement_id}/document", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiDeleteAgreementDocument)},
		{Method: "GET", Path: "/api/v1/partners/{id}/support", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListSupport)},
		{Method: "POST", Path: "/api/v1/partners/{id}/support", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateSupport)},
		{Method: "GET", Path: "/api/v1/agreements/expiring", Perm: renkei.PermRead, Handle: partnerAPI(s.apiExpiringAgreements)},
		{Method: "GET", Path: "/api/v1/requirements", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListRequirements)},
		{Method: "POST", Path: "/api/v1/requirements", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateRequirement)},
		{Method: "GET", Path: "/api/v1/risk_policy", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetRiskPolicy)},
		{Method: "PUT", Path: "/api/v1/risk_policy", Perm: renkei.PermManageOrg, Handle: partnerAPI(s.apiPutRiskPolicy)},

		// Assessments (api_assessments.go).
		{Method: "GET", Path: "/api/v1/templates", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListTemplates)},
		{Method: "GET", Path: "/api/v1/campaigns", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListCampaigns)},
		{Method: "POST", Path: "/api/v1/campaigns", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateCampaign)},
		{Method: "GET", Path: "/api/v1/campaigns/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetCampaign)},
		{Method: "GET", Path: "/api/v1/assessments", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListAssessments)},
		{Method: "GET", Path: "/api/v1/assessments/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetAssessment)},
		{Method: "PUT", Path: "/api/v1/assessments/{id}/answers", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutAnswers)},
		{Method: "POST", Path: "/api/v1/assessments/{id}/submit", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiSubmitAssessment)},
		{Method: "GET", Path: "/api/v1/remediations", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListRemediations)},

		// Templates as files, the XLSX round trip and sharing with consent
		// (api_templates.go, api_assessment_xlsx.go, api_shares.go).
		{Method: "GET", Path: "/api/v1/templates/{slug}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetTemplate)},
		{Method: "POST", Path: "/api/v1/templates", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiImportTemplate)},
		{Method: "GET", Path: "/api/v1/assessments/{id}/xlsx", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetAssessmentXLSX)},
		{Method: "PUT", Path: "/api/v1/assessments/{id}/xlsx", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutAssessmentXLSX)},
		{Method: "POST", Path: "/api/v1/partners/{id}/share_requests", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiRequestShare)},
		{Method: "GET", Path: "/api/v1/shared_assessments", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListSharedAssessments)},
		{Method: "GET", Path: "/api/v1/shared_assessments/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetSharedAssessment)},

		// Review, findings, remediation and support programs
		// (api_review.go, api_remediations.go, api_support_programs.go).
		{Method: "GET", Path: "/api/v1/assessments/{id}/answers", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetAnswers)},
		{Method: "POST", Path: "/api/v1/assessments/{id}/review", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiReviewAssessment)},
		{Method: "GET", Path: "/api/v1/assessments/{id}/findings", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetFindings)},
		{Method: "POST", Path: "/api/v1/remediations", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateRemediation)},
		{Method: "GET", Path: "/api/v1/remediations/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetRemediation)},
		{Method: "PATCH", Path: "/api/v1/remediations/{id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchRemediation)},
		{Method: "PUT", Path: "/api/v1/remediations/{id}/evidence", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutRemediationEvidence)},
		{Method: "GET", Path: "/api/v1/remediations/{id}/evidence", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetRemediationEvidence)},
		{Method: "GET", Path: "/api/v1/support_programs", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListSupportPrograms)},
		{Method: "POST", Path: "/api/v1/support_programs", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateSupportProgram)},
		{Method: "PATCH", Path: "/api/v1/support_programs/{id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchSupportProgram)},
		{Method: "DELETE", Path: "/api/v1/support_programs/{id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiDeleteSupportProgram)},

		// Incidents (api_incidents.go).
		{Method: "GET", Path: "/api/v1/incidents", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListIncidents)},
		{Method: "POST", Path: "/api/v1/incidents", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateIncident)},
		{Method: "GET", Path: "/api/v1/incidents/{id}", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetIncident)},
		{Method: "PATCH", Path: "/api/v1/incidents/{id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchIncident)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/obligations", Perm: renkei.PermRead, Handle: partnerAPI(s.apiIncidentObligations)},
		{Method: "PUT", Path: "/api/v1/incidents/{id}/obligations/{code}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutObligation)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/tasks", Perm: renkei.PermRead, Handle: partnerAPI(incidentList(s.cfg.Store.Tasks))},
		{Method: "POST", Path: "/api/v1/incidents/{id}/tasks", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateIncidentTask)},
		{Method: "PATCH", Path: "/api/v1/incidents/{id}/tasks/{task_id}", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPatchIncidentTask)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/timeline", Perm: renkei.PermRead, Handle: partnerAPI(incidentList(s.cfg.Store.Timeline))},
		{Method: "GET", Path: "/api/v1/incidents/{id}/messages", Perm: renkei.PermRead, Handle: partnerAPI(incidentList(s.cfg.Store.Messages))},
		{Method: "POST", Path: "/api/v1/incidents/{id}/messages", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiCreateIncidentMessage)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/decision", Perm: renkei.PermRead, Handle: partnerAPI(s.apiIncidentDecision)},
		{Method: "PUT", Path: "/api/v1/incidents/{id}/decision", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiPutIncidentDecision)},
		{Method: "GET", Path: "/api/v1/incidents/{id}/files", Perm: renkei.PermRead, Handle: partnerAPI(incidentList(s.cfg.Store.IncidentFiles))},
		{Method: "GET", Path: "/api/v1/incidents/{id}/report", Perm: renkei.PermRead, Handle: partnerAPI(s.apiIncidentReport)},
		{Method: "GET", Path: "/api/v1/incident_measures", Perm: renkei.PermRead, Handle: partnerAPI(s.apiIncidentMeasures)},
		{Method: "GET", Path: "/api/v1/incident_settings", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetIncidentSettings)},
		{Method: "PUT", Path: "/api/v1/incident_settings", Perm: renkei.PermManageOrg, Handle: partnerAPI(s.apiPutIncidentSettings)},
		// SBOMs and vulnerability impact (api_sbom.go).
		{Method: "GET", Path: "/api/v1/products", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListProducts)},
		{Method: "GET", Path: "/api/v1/sboms", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListSBOMs)},
		{Method: "POST", Path: "/api/v1/sboms", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiUploadSBOM)},
		{Method: "GET", Path: "/api/v1/components", Perm: renkei.PermRead, Handle: partnerAPI(s.apiComponents)},
		{Method: "GET", Path: "/api/v1/advisories", Perm: renkei.PermRead, Handle: partnerAPI(s.apiListAdvisories)},
		{Method: "GET", Path: "/api/v1/advisories/{id}/affected", Perm: renkei.PermRead, Handle: partnerAPI(s.apiAdvisoryAffected)},
		{Method: "GET", Path: "/api/v1/findings", Perm: renkei.PermRead, Handle: partnerAPI(s.apiFindings)},
		{Method: "POST", Path: "/api/v1/vex", Perm: renkei.PermWrite, Handle: partnerAPI(s.apiAddVEX)},
		{Method: "GET", Path: "/api/v1/report_link", Perm: renkei.PermRead, Handle: partnerAPI(s.apiGetReportLink)},
		{Method: "POST", Path: "/api/v1/report_link", Perm: renkei.PermManageOrg, Handle: partnerAPI(s.apiRotateReportLink)},
	})
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIDoc)
	return err
}

// meResponse is GET /api/v1/me.
type meResponse struct {
	User         *renkei.User         `json:"user"`
	Organization *renkei.Organization `json:"organization"`
	Role         renkei.Role          `json:"role"`
	ViaToken     bool                 `json:"via_token"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	u, err := s.cfg.Store.UserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	o, err := s.cfg.Store.OrganizationByID(r.Context(), a.OrgID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{User: u, Organization: o, Role: a.Role, ViaToken: a.TokenID != ""})
	return nil
}
