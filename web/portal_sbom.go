package web

import (
	"net/http"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sbomfile"
)

// The portal's SBOM page: a partner user registers their company's
// products with their SBOMs for an organization it works for, sees the
// vulnerabilities found in them, and states for each whether the product
// is affected (VEX) — not affected and why, affected, fixed or under
// investigation.

type portalSBOMOrg struct {
	OrgID, OrgName string
	Findings       []apiVulnFinding
}

type portalSBOMView struct {
	// Ties are the organizations the company works for, to register a
	// product's SBOM for.
	Ties []option
	// Product and Version are what the registration form was sent with,
	// kept when it is shown again with an error.
	Product, Version string
	Orgs             []portalSBOMOrg
	Statuses         []string
	Justifications   []string
}

// portalSBOM is GET /portal/sbom.
func (s *Server) portalSBOM(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderPortalSBOM(w, r, http.StatusOK, nil)
}

func (s *Server) renderPortalSBOM(w http.ResponseWriter, r *http.Request, status int, formErr *renkei.Error) error {
	ties, err := s.cfg.Store.PartnerTies(r.Context())
	if err != nil {
		return err
	}
	v := portalSBOMView{Product: r.PostFormValue("product"), Version: r.PostFormValue("version"), Statuses: []string{renkei.VEXNotAffected, renkei.VEXAffected, renkei.VEXFixed, renkei.VEXUnderInvestigation},
		Justifications: []string{"", renkei.JustComponentNotPresent, renkei.JustVulnerableCodeNotPresent, renkei.JustVulnerableCodeNotInExecPath,
			renkei.JustCannotBeControlled, renkei.JustInlineMitigations}}
	for _, t := range ties {
		v.Ties = append(v.Ties, option{Value: t.OrgID, Label: t.OrgName, Selected: t.OrgID == r.PostFormValue("org_id")})
		fs, stmts, err := s.cfg.Store.PartnerFindings(r.Context(), t.OrgID)
		if err != nil {
			return err
		}
		ids := make([]string, 0, len(fs))
		for _, f := range fs {
			ids = append(ids, f.AdvisoryID)
		}
		aliases, err := s.cfg.Store.AdvisoryAliases(r.Context(), ids)
		if err != nil {
			return err
		}
		org := portalSBOMOrg{OrgID: t.OrgID, OrgName: t.OrgName}
		for _, f := range fs {
			af := toAPIVulnFinding(f)
			if st := renkei.VEXFor(f, aliases[f.AdvisoryID], stmts); st != nil {
				af.VEXStatus, af.VEXJustification = st.Status, st.Justification
			}
			org.Findings = append(org.Findings, af)
		}
		if len(org.Findings) > 0 {
			v.Orgs = append(v.Orgs, org)
		}
	}
	s.render(w, r, status, "portal_sbom", &pageData{Title: "portal_sbom.title", Data: v, Error: formErr, Flash: noticeOf(r)})
	return nil
}

// portalSBOMVEX is POST /portal/sbom/vex: the partner's statement about
// one finding of its product in one organization.
func (s *Server) portalSBOMVEX(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	st := renkei.VEXStatement{Vulnerability: v("advisory"), PURL: v("purl"), Status: v("status"), Justification: v("justification"),
		ImpactStatement: v("impact")}
	err := s.cfg.Store.PartnerStateVEX(r.Context(), v("org_id"), st)
	if e := formError(err); e != nil {
		return s.renderPortalSBOM(w, r, statusOf(e.Code), e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/portal/sbom?notice=saved")
	return nil
}

// portalSBOMUpload is POST /portal/sbom: a partner user registers one of
// their company's products at a version with its SBOM file, for one
// organization the company works for. Its findings are on the page at
// once; a broken file is named with its fault and nothing is stored.
func (s *Server) portalSBOMUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	src, name, size, done, err := readIncidentUpload(w, r)
	if err != nil {
		return s.renderPortalSBOM(w, r, statusOf(renkei.ErrorCode(err)), formError(err))
	}
	defer done()
	p := &renkei.Product{Name: strings.TrimSpace(r.PostFormValue("product")), Version: strings.TrimSpace(r.PostFormValue("version"))}
	if err := p.Validate(); err != nil {
		return s.renderPortalSBOM(w, r, http.StatusBadRequest, formError(err))
	}
	buf := make([]byte, size)
	if _, err := src.ReadAt(buf, 0); err != nil && size > 0 {
		return err
	}
	res, err := sbomfile.Limits{}.ParseBytes(buf)
	if err == nil {
		_, err = s.cfg.Store.PartnerImportSBOMs(r.Context(), strings.TrimSpace(r.PostFormValue("org_id")), p,
			[]renkei.SBOMUpload{{FileName: name, SBOM: res.SBOM}})
	}
	if e := formError(err); e != nil {
		return s.renderPortalSBOM(w, r, statusOf(e.Code), e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/portal/sbom?notice=sbom_registered")
	return nil
}
