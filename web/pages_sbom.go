package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/sheetcell"
	"github.com/renkei/renkei/internal/xlsxtable"
	"github.com/renkei/renkei/sbomfile"
)

// The SBOM pages: the portfolio (products and their SBOMs per partner, an
// upload form), who uses a package, the products an advisory affects, and
// every finding with filters and a CSV export.

type sbomProductRow struct {
	ID, Name, Version, Partner, PartnerID string
	Findings                              int
}

type sbomView struct {
	Products []sbomProductRow
	Partners []option
	// Choices are the partners an upload can be for (by name).
	Choices  []option
	Findings []apiVulnFinding
	// The VEX statuses and justifications a finding can be stated with.
	Statuses, Justifications []string
	Filter                   url.Values
	Total                    int
	KEV                      int
	// Listed is how many findings the filters keep; Findings holds the
	// first sbomPageRows of them, the exports all.
	Listed int
	// Search: the purl asked about and who uses it.
	PURL  string
	Uses  []renkei.ComponentUse
	Names map[string]string // partner ID → name
	// Advisory: the advisory asked about and the findings it gives.
	Advisory string
	Affected []apiVulnFinding
	// Uploaded is the product just uploaded, with its findings.
	Uploaded *apiSBOMImported
}

// sbomPageRows is how many findings the page lists; a portfolio of
// thousands of products has millions, which the exports carry.
const sbomPageRows = 200

// sbomPage is GET /sbom: the portfolio and every finding (?partner_id=,
// ?kev=true), or who uses a package (?purl=), or the products an advisory
// affects (?advisory=).
func (s *Server) sbomPage(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	return s.renderSBOM(w, r, a, http.StatusOK, nil, nil)
}

func (s *Server) renderSBOM(w http.ResponseWriter, r *http.Request, a *renkei.Actor, status int, uploaded *apiSBOMImported, formErr *renkei.Error) error {
	ctx, q := r.Context(), r.URL.Query()
	names := s.partnerNames(ctx, a.OrgID)
	v := &sbomView{Filter: q, Uploaded: uploaded, Names: map[string]string{}}
	ps, err := s.cfg.Store.Products(ctx, a.OrgID)
	if err != nil {
		return err
	}
	keep, err := s.vexKeep(ctx, a.OrgID, q.Get("vex") == "all")
	if err != nil {
		return err
	}
	list, err := s.cfg.Store.ListFindings(ctx, a.OrgID, renkei.FindingQuery{
		PartnerID: q.Get("partner_id"), KEVOnly: q.Get("kev") == "true", Keep: keep, Limit: sbomPageRows})
	if err != nil {
		return err
	}
	perProduct := list.PerProduct
	v.Total, v.KEV, v.Listed = list.Total, list.KEV, list.Listed
	// The page's findings with their VEX marks (none is left out here:
	// the query already has).
	if v.Findings, err = s.withVEX(ctx, a.OrgID, list.Items, true); err != nil {
		return err
	}
	v.Statuses = []string{renkei.VEXNotAffected, renkei.VEXAffected, renkei.VEXFixed, renkei.VEXUnderInvestigation}
	v.Justifications = []string{"", renkei.JustComponentNotPresent, renkei.JustVulnerableCodeNotPresent, renkei.JustVulnerableCodeNotInExecPath,
		renkei.JustCannotBeControlled, renkei.JustInlineMitigations}
	partners := map[string]bool{}
	for _, p := range ps {
		row := sbomProductRow{ID: p.ID, Name: p.Name, Version: p.Version, PartnerID: p.PartnerID, Findings: perProduct[p.ID]}
		if p.PartnerID != "" {
			row.Partner = partnerName(names, p.PartnerID)
			v.Names[p.PartnerID] = row.Partner
			if !partners[p.PartnerID] {
				partners[p.PartnerID] = true
				v.Partners = append(v.Partners, option{Value: p.PartnerID, Label: row.Partner, Selected: p.PartnerID == q.Get("partner_id")})
			}
		}
		v.Products = append(v.Products, row)
	}
	choices, _, err := s.cfg.Store.ListPartners(ctx, a.OrgID, renkei.PartnerFilter{Sort: "name"}, renkei.Page{Limit: incidentNewPartnerLimit})
	if err != nil {
		return err
	}
	for _, p := range choices {
		v.Choices = append(v.Choices, option{Value: p.ID, Label: p.Company.Name})
	}
	if v.PURL = strings.TrimSpace(q.Get("purl")); v.PURL != "" {
		uses, err := s.cfg.Store.ComponentUsage(ctx, a.OrgID, v.PURL)
		if e := formError(err); e != nil && formErr == nil {
			formErr = e
		} else if err != nil {
			return err
		}
		v.Uses = uses
		for _, u := range uses {
			if u.PartnerID != "" {
				v.Names[u.PartnerID] = partnerName(names, u.PartnerID)
			}
		}
	}
	if v.Advisory = strings.TrimSpace(q.Get("advisory")); v.Advisory != "" {
		var aff []renkei.Affected
		aff, err = s.cfg.Store.AffectedByAdvisory(ctx, a.OrgID, v.Advisory)
		if e := formError(err); e != nil && formErr == nil {
			formErr = e
		} else if renkei.ErrorCode(err) == renkei.ENOTFOUND && formErr == nil {
			formErr = renkei.Errorf(renkei.ENOTFOUND, "sbom_web.advisory_unknown", v.Advisory)
		} else if err != nil && renkei.ErrorCode(err) != renkei.ENOTFOUND {
			return err
		}
		if v.Affected, err = s.withVEX(ctx, a.OrgID, aff, q.Get("vex") == "all"); err != nil {
			return err
		}
	}
	for _, f := range append(append([]apiVulnFinding{}, v.Findings...), v.Affected...) {
		if f.PartnerID != "" {
			v.Names[f.PartnerID] = partnerName(names, f.PartnerID)
		}
	}
	s.render(w, r, status, "sbom", &pageData{Title: "sbom_web.title", Section: "sbom", Data: v, Error: formErr})
	return nil
}

// sbomUpload is POST /sbom: an SBOM file for a product version (the
// organization's own or a partner's), its findings shown at once.
func (s *Server) sbomUpload(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	src, name, size, done, err := readIncidentUpload(w, r)
	if err != nil {
		return s.renderSBOM(w, r, a, statusOf(renkei.ErrorCode(err)), nil, formError(err))
	}
	defer done()
	p := &renkei.Product{OrgID: a.OrgID, PartnerID: strings.TrimSpace(r.PostFormValue("partner_id")),
		Name: strings.TrimSpace(r.PostFormValue("product")), Version: strings.TrimSpace(r.PostFormValue("version"))}
	if err := p.Validate(); err != nil {
		return s.renderSBOM(w, r, a, http.StatusBadRequest, nil, formError(err))
	}
	buf := make([]byte, size)
	if _, err := src.ReadAt(buf, 0); err != nil && size > 0 {
		return err
	}
	res, err := sbomfile.Limits{}.ParseBytes(buf)
	var stored []renkei.StoredSBOM
	if err == nil {
		stored, err = s.cfg.Store.ImportSBOMs(r.Context(), p, []renkei.SBOMUpload{{FileName: name, SBOM: res.SBOM}})
	}
	if e := formError(err); e != nil {
		return s.renderSBOM(w, r, a, statusOf(e.Code), nil, e)
	}
	if err != nil {
		return err
	}
	up := &apiSBOMImported{Product: toAPIProduct(*p), Findings: []apiVulnFinding{}}
	if len(stored) > 0 {
		up.SBOM = toAPISBOM(stored[0])
		fs, err := s.cfg.Store.FindingsForSBOM(r.Context(), a.OrgID, stored[0].ID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			up.Findings = append(up.Findings, toAPIVulnFinding(renkei.Affected{ProductID: p.ID, Product: p.Name, Version: p.Version, PartnerID: p.PartnerID, VulnFinding: f}))
		}
	}
	return s.renderSBOM(w, r, a, http.StatusCreated, up, nil)
}

// sbomExportHeader names the export's columns (CSV and XLSX alike).
var sbomExportHeader = []string{"partner", "product", "version", "purl", "component_version", "advisory", "severity", "kev", "fixed", "vex_status", "vex_justification"}

// sbomFindingsRows is every finding with the page's filters, as the
// export's rows; text a spreadsheet could take for a formula is
// neutralized.
func (s *Server) sbomFindingsRows(r *http.Request, a *renkei.Actor) ([][]string, error) {
	q := r.URL.Query()
	keep, err := s.vexKeep(r.Context(), a.OrgID, q.Get("vex") == "all")
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Store.ListFindings(r.Context(), a.OrgID, renkei.FindingQuery{
		PartnerID: q.Get("partner_id"), KEVOnly: q.Get("kev") == "true", Keep: keep})
	if err != nil {
		return nil, err
	}
	names := s.partnerNames(r.Context(), a.OrgID)
	fs, err := s.withVEX(r.Context(), a.OrgID, list.Items, true)
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(fs))
	for _, f := range fs {
		kev := ""
		if f.KEV {
			kev = "yes"
		}
		row := []string{partnerName(names, f.PartnerID), f.Product, f.Version, f.PURL, f.Component, f.Advisory, f.Severity, kev, f.Fixed, f.VEXStatus, f.VEXJustification}
		for i := range row {
			row[i] = sheetcell.Neutralize(row[i])
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// sbomFindingsCSV is GET /sbom/findings.csv: every finding (with the page's
// filters) as CSV with a BOM, so that Excel opens the Japanese right.
func (s *Server) sbomFindingsCSV(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	rows, err := s.sbomFindingsRows(r, a)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	_ = cw.Write(sbomExportHeader)
	_ = cw.WriteAll(rows)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sbom-findings.csv"`)
	_, err = buf.WriteTo(w)
	return err
}

// sbomFindingsXLSX is GET /sbom/findings.xlsx: the same rows as the CSV in
// a workbook, every cell text (a version such as 1.10 stays 1.10), written
// with the spreadsheet library's stream writer.
func (s *Server) sbomFindingsXLSX(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	rows, err := s.sbomFindingsRows(r, a)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := xlsxtable.Write(&buf, "findings", sbomExportHeader, rows); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="sbom-findings.xlsx"`)
	_, err = buf.WriteTo(w)
	return err
}

// sbomVEX is POST /sbom/vex: staff record, for one finding, what the
// partner (or the organization) states — not affected and why, affected,
// fixed, or under investigation.
func (s *Server) sbomVEX(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	if err := s.parseForm(w, r); err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	st := renkei.VEXStatement{Vulnerability: v("advisory"), PURL: v("purl"), Status: v("status"), Justification: v("justification"),
		ImpactStatement: v("impact")}
	_, err := s.cfg.Store.AddVEX(r.Context(), a.OrgID, v("partner_id"), v("product_id"), []renkei.VEXStatement{st})
	if e := formError(err); e != nil {
		return s.renderSBOM(w, r, a, statusOf(e.Code), nil, e)
	}
	if err != nil {
		return err
	}
	seeOther(w, r, "/sbom?notice=saved")
	return nil
}
