package web

import (
	"io/fs"
	"net/http"

	"github.com/renkei/renkei"
)

// routePages registers the server-rendered pages. Every page but sign-in,
// the language switch and invitation links needs a signed-in member
// (s.member); the permission named is what the page or action needs.
func (s *Server) routePages() {
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	// Signing in and out.
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.loginSubmit)
	s.mux.HandleFunc("GET /login/totp", s.totpPage)
	s.mux.HandleFunc("POST /login/totp", s.totpSubmit)
	s.mux.HandleFunc("POST /logout", s.logout)
	s.mux.HandleFunc("POST /lang", s.switchLanguage)
	s.mux.HandleFunc("GET /invite/{secret}", s.invitePage)
	s.mux.HandleFunc("POST /invite/{secret}", s.inviteAccept)
	// The organization's report link: anyone with it reports an incident
	// (pages_report_link.go).
	s.mux.HandleFunc("GET /report/{secret}", s.reportLinkPage)
	s.mux.HandleFunc("POST /report/{secret}", s.reportLinkSubmit)

	// The product's sections.
	s.mux.HandleFunc("GET /{$}", s.member(renkei.PermRead, s.dashboard))
	for _, sec := range pendingSections {
		s.mux.HandleFunc("GET /"+sec, s.member(renkei.PermRead, s.sectionPending(sec)))
	}

	// Partners (pages_partners*.go).
	s.mux.HandleFunc("GET /partners", s.member(renkei.PermRead, s.partnersList))
	s.mux.HandleFunc("POST /partners/bulk", s.member(renkei.PermWrite, s.partnersBulk))
	s.mux.HandleFunc("GET /partners/new", s.member(renkei.PermWrite, s.partnerNew))
	s.mux.HandleFunc("POST /partners/new", s.member(renkei.PermWrite, s.partnerSave))
	s.mux.HandleFunc("POST /partners/validate", s.member(renkei.PermWrite, s.partnerValidate))
	s.mux.HandleFunc("GET /partners/import", s.member(renkei.PermWrite, s.partnersImportPage))
	s.mux.HandleFunc("POST /partners/import", s.member(renkei.PermWrite, s.partnersImport))
	s.mux.HandleFunc("GET /partners/coverage", s.member(renkei.PermRead, s.partnersCoverage))
	s.mux.HandleFunc("GET /partners/{id}", s.member(renkei.PermRead, s.partnerPage))
	s.mux.HandleFunc("GET /partners/{id}/edit", s.member(renkei.PermWrite, s.partnerEdit))
	s.mux.HandleFunc("POST /partners/{id}/edit", s.member(renkei.PermWrite, s.partnerSave))
	s.mux.HandleFunc("POST /partners/{id}/archive", s.member(renkei.PermWrite, s.partnerArchive))
	s.mux.HandleFunc("POST /partners/{id}/agreements", s.member(renkei.PermWrite, s.agreementAdd))
	s.mux.HandleFunc("GET /partners/{id}/agreements/{aid}/edit", s.member(renkei.PermWrite, s.agreementEdit))
	s.mux.HandleFunc("POST /partners/{id}/agreements/{aid}/edit", s.member(renkei.PermWrite, s.agreementSave))
	s.mux.HandleFunc("POST /partners/{id}/agreements/{aid}/delete", s.member(renkei.PermWrite, s.agreementDelete))
	s.mux.HandleFunc("GET /partners/{id}/agreements/{aid}/document", s.member(renkei.PermRead, s.agreementDocumentDownload))
	s.mux.HandleFunc("POST /partners/{id}/agreements/{aid}/document", s.member(renkei.PermWrite, s.agreementDocumentUpload))
	s.mux.HandleFunc("POST /partners/{id}/agreements/{aid}/document/delete", s.member(renkei.PermWrite, s.agreementDocumentRemove))
	s.mux.HandleFunc("POST /partners/{id}/support", s.member(renkei.PermWrite, s.supportAdd))

	// Incidents (pages_incidents.go, pages_incident_detail.go).
	s.mux.HandleFunc("GET /incidents", s.member(renkei.PermRead, s.incidentsList))
	s.mux.HandleFunc("GET /incidents/new", s.member(renkei.PermWrite, s.incidentNew))
	s.mux.HandleFunc("GET /incidents/measures", s.member(renkei.PermRead, s.incidentMeasures))
	s.mux.HandleFunc("POST /incidents/new", s.member(renkei.PermWrite, s.incidentCreate))
	s.mux.HandleFunc("GET /incidents/{id}", s.member(renkei.PermRead, s.incidentPage))
	s.mux.HandleFunc("POST /incidents/{id}", s.member(renkei.PermWrite, s.incidentUpdate))
	s.mux.HandleFunc("POST /incidents/{id}/obligations/{code}", s.member(renkei.PermWrite, s.incidentDuty))
	s.mux.HandleFunc("POST /incidents/{id}/tasks", s.member(renkei.PermWrite, s.incidentTaskAdd))
	s.mux.HandleFunc("POST /incidents/{id}/messages", s.member(renkei.PermWrite, s.incidentMessage))
	s.mux.HandleFunc("POST /incidents/{id}/decision", s.member(renkei.PermWrite, s.incidentDecide))
	s.mux.HandleFunc("POST /incidents/{id}/files", s.member(renkei.PermWrite, s.incidentFileUpload))
	s.mux.HandleFunc("GET /incidents/{id}/files/{fid}", s.member(renkei.PermRead, s.incidentFileDownload))
	s.mux.HandleFunc("GET /incidents/{id}/report", s.member(renkei.PermRead, s.incidentReportPage))
	s.mux.HandleFunc("GET /incidents/{id}/report.xlsx", s.member(renkei.PermRead, s.incidentReportXLSX))
	s.mux.HandleFunc("GET /settings/incidents", s.member(renkei.PermRead, s.settingsIncidents))
	s.mux.HandleFunc("POST /settings/incidents", s.member(renkei.PermManageOrg, s.settingsIncidentsSave))
	s.mux.HandleFunc("POST /settings/incidents/report-link", s.member(renkei.PermManageOrg, s.settingsReportLink))

	// SBOMs and vulnerability impact (pages_sbom.go).
	s.mux.HandleFunc("GET /sbom", s.member(renkei.PermRead, s.sbomPage))
	s.mux.HandleFunc("POST /sbom", s.member(renkei.PermWrite, s.sbomUpload))
	s.mux.HandleFunc("GET /sbom/findings.csv", s.member(renkei.PermRead, s.sbomFindingsCSV))
	s.mux.HandleFunc("GET /sbom/findings.xlsx", s.member(renkei.PermRead, s.sbomFindingsXLSX))
	s.mux.HandleFunc("POST /sbom/vex", s.member(renkei.PermWrite, s.sbomVEX))

	// Settings.
	s.mux.HandleFunc("GET /settings", s.member(renkei.PermRead, s.settingsIndex))
	s.mux.HandleFunc("GET /settings/organization", s.member(renkei.PermRead, s.settingsOrg))
	s.mux.HandleFunc("POST /settings/organization", s.member(renkei.PermManageOrg, s.settingsOrgSave))
	s.mux.HandleFunc("GET /settings/users", s.member(renkei.PermRead, s.settingsUsers))
	s.mux.HandleFunc("POST /settings/users/invite", s.member(renkei.PermManageUsers, s.settingsInvite))
	s.mux.HandleFunc("POST /settings/users/{id}/role", s.member(renkei.PermManageUsers, s.settingsMemberRole))
	s.mux.HandleFunc("POST /settings/users/{id}/remove", s.member(renkei.PermManageUsers, s.settingsMemberRemove))
	s.mux.HandleFunc("POST /settings/invitations/{id}/revoke", s.member(renkei.PermManageUsers, s.settingsInvitationRevoke))
	s.mux.HandleFunc("GET /settings/tokens", s.member(renkei.PermRead, s.settingsTokens))
	s.mux.HandleFunc("POST /settings/tokens", s.member(renkei.PermManageTokens, s.settingsTokenCreate))
	s.mux.HandleFunc("POST /settings/tokens/{id}/revoke", s.member(renkei.PermManageTokens, s.settingsTokenRevoke))
	s.mux.HandleFunc("GET /settings/audit", s.member(renkei.PermManageOrg, s.settingsAudit))
	s.mux.HandleFunc("GET /settings/risk", s.member(renkei.PermRead, s.riskPolicyPage))
	s.mux.HandleFunc("POST /settings/risk", s.member(renkei.PermManageOrg, s.riskPolicySave))
	// One's own account: any member, the viewer included.
	s.mux.HandleFunc("GET /settings/account", s.member("", s.settingsAccount))
	s.mux.HandleFunc("POST /settings/account/profile", s.member("", s.settingsProfile))
	s.mux.HandleFunc("POST /settings/account/password", s.member("", s.settingsPassword))
	s.mux.HandleFunc("POST /settings/account/totp/begin", s.member("", s.settingsTOTPBegin))
	s.mux.HandleFunc("GET /settings/account/totp", s.member("", s.settingsTOTPSetup))
	s.mux.HandleFunc("POST /settings/account/totp/confirm", s.member("", s.settingsTOTPConfirm))
	s.mux.HandleFunc("POST /settings/account/totp/disable", s.member("", s.settingsTOTPDisable))

	// Templates, the own-checksheet import, the Excel round trip and
	// shared assessments (pages_templates*.go, pages_assessment_xlsx.go,
	// pages_shares.go).
	s.mux.HandleFunc("GET /templates", s.member(renkei.PermRead, s.templatesList))
	s.mux.HandleFunc("GET /templates/import", s.member(renkei.PermWrite, s.templateImportPage))
	s.mux.HandleFunc("POST /templates/import", s.member(renkei.PermWrite, s.templateImport))
	s.mux.HandleFunc("GET /templates/checksheet", s.member(renkei.PermWrite, s.checksheetPage))
	s.mux.HandleFunc("POST /templates/checksheet", s.member(renkei.PermWrite, s.checksheetStep))
	s.mux.HandleFunc("GET /templates/{slug}", s.member(renkei.PermRead, s.templateDetail))
	s.mux.HandleFunc("GET /templates/{slug}/json", s.member(renkei.PermRead, s.templateDownload))
	s.mux.HandleFunc("GET /assessments/{id}/xlsx", s.member(renkei.PermRead, s.assessmentXLSXDownload))
	s.mux.HandleFunc("GET /assessments/{id}/xlsx/upload", s.member(renkei.PermWrite, s.assessmentXLSXPage))
	s.mux.HandleFunc("POST /assessments/{id}/xlsx", s.member(renkei.PermWrite, s.assessmentXLSXUpload))
	s.mux.HandleFunc("GET /shared", s.member(renkei.PermRead, s.sharedList))
	s.mux.HandleFunc("GET /shared/{id}", s.member(renkei.PermRead, s.sharedCopyPage))
	s.mux.HandleFunc("GET /shared/request", s.member(renkei.PermWrite, s.shareRequestPage))
	s.mux.HandleFunc("POST /shared/request", s.member(renkei.PermWrite, s.shareRequest))

	// Campaigns: starting one (pages_campaign_new.go).
	s.mux.HandleFunc("GET /campaigns/new", s.member(renkei.PermWrite, s.campaignNew))
	s.mux.HandleFunc("POST /campaigns/new", s.member(renkei.PermWrite, s.campaignSave))
	s.mux.HandleFunc("POST /campaigns/new/count", s.member(renkei.PermWrite, s.campaignCount))

	// Assessments, review and remediation, support programs
	// (pages_assessments*.go, pages_campaign_detail.go,
	// pages_remediations.go, pages_support_programs.go).
	s.mux.HandleFunc("GET /assessments", s.member(renkei.PermRead, s.assessmentsPage))
	s.mux.HandleFunc("GET /campaigns/{id}", s.member(renkei.PermRead, s.campaignPage))
	s.mux.HandleFunc("GET /assessments/{id}", s.member(renkei.PermRead, s.assessmentPage))
	s.mux.HandleFunc("POST /assessments/{id}/review/{ref}", s.member(renkei.PermWrite, s.assessmentReview))
	s.mux.HandleFunc("POST /assessments/{id}/answers", s.member(renkei.PermWrite, s.assessmentAnswer))
	s.mux.HandleFunc("POST /assessments/{id}/remediations", s.member(renkei.PermWrite, s.assessmentRemediate))
	s.mux.HandleFunc("GET /remediations", s.member(renkei.PermRead, s.remediationsPage))
	s.mux.HandleFunc("GET /remediations/{id}", s.member(renkei.PermRead, s.remediationPage))
	s.mux.HandleFunc("POST /remediations/{id}", s.member(renkei.PermWrite, s.remediationSave))
	s.mux.HandleFunc("POST /remediations/{id}/evidence", s.member(renkei.PermWrite, s.remediationEvidenceUpload))
	s.mux.HandleFunc("GET /remediations/{id}/evidence", s.member(renkei.PermRead, s.remediationEvidenceDownload))
	s.mux.HandleFunc("GET /settings/support-programs", s.member(renkei.PermRead, s.supportProgramsPage))
	s.mux.HandleFunc("POST /settings/support-programs", s.member(renkei.PermWrite, s.supportProgramAdd))
	s.mux.HandleFunc("POST /settings/support-programs/{id}", s.member(renkei.PermWrite, s.supportProgramSave))
	s.mux.HandleFunc("POST /settings/support-programs/{id}/delete", s.member(renkei.PermWrite, s.supportProgramDelete))

	// Anything else is the localized 404 page.
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, renkei.Errorf(renkei.ENOTFOUND, "error.route_not_found"))
	})
}
