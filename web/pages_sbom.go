package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"os"
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
	keep, _, err := s.vexKeep(ctx, a.OrgID, q.Get("vex") == "all")
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

// spoolFindings writes every finding the page's filters select as CSV
// rows (no header) into a temporary file, and returns it rewound. The
// rows are written as the store walks the findings and sent only after,
// so that an export of millions of findings neither sits in memory nor
// holds the store while a client downloads it. The caller closes the
// file, which removes it.
func (s *Server) spoolFindings(r *http.Request, a *renkei.Actor) (*spool, error) {
	ctx, q := r.Context(), r.URL.Query()
	keep, stmts, err := s.vexKeep(ctx, a.OrgID, q.Get("vex") == "all")
	if err != nil {
		return nil, err
	}
	names := s.partnerNames(ctx, a.OrgID)
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	cw := csv.NewWriter(sp.w)
	_, err = s.cfg.Store.ListFindings(ctx, a.OrgID, renkei.FindingQuery{
		PartnerID: q.Get("partner_id"), KEVOnly: q.Get("kev") == "true", Keep: keep,
		Visit: func(f *renkei.Affected, aliases []string) {
			af := toAPIVulnFinding(*f)
			if v := renkei.VEXFor(*f, aliases, stmts); v != nil {
				af.VEXStatus, af.VEXJustification = v.Status, v.Justification
			}
			kev := ""
			if af.KEV {
				kev = "yes"
			}
			row := []string{partnerName(names, af.PartnerID), af.Product, af.Version, af.PURL, af.Component, af.Advisory, af.Severity, kev, af.Fixed, af.VEXStatus, af.VEXJustification}
			for i := range row {
				row[i] = sheetcell.Neutralize(row[i])
			}
			_ = cw.Write(row) // a write error stays in cw, read below
			sp.rows++
		}})
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		err = sp.rewind()
	}
	if err != nil {
		sp.Close()
		return nil, err
	}
	return sp, nil
}

// sbomFindingsCSV is GET /sbom/findings.csv: every finding (with the page's
// filters) as CSV with a BOM, so that Excel opens the Japanese right.
func (s *Server) sbomFindingsCSV(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	sp, err := s.spoolFindings(r, a)
	if err != nil {
		return err
	}
	defer sp.Close()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sbom-findings.csv"`)
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	_ = cw.Write(sbomExportHeader)
	cw.Flush()
	if _, err := io.Copy(bw, sp.f); err != nil {
		return err
	}
	return bw.Flush()
}

// sbomFindingsXLSX is GET /sbom/findings.xlsx: the same rows as the CSV in
// a workbook, every cell text (a version such as 1.10 stays 1.10). More
// rows than a sheet holds are refused with a message pointing at the CSV
// and the filters.
func (s *Server) sbomFindingsXLSX(w http.ResponseWriter, r *http.Request, a *renkei.Actor) error {
	sp, err := s.spoolFindings(r, a)
	if err != nil {
		return err
	}
	defer sp.Close()
	if sp.rows > xlsxtable.MaxRows {
		return renkei.Errorf(renkei.ETOOLARGE, "sbom_web.xlsx_too_many", sp.rows, xlsxtable.MaxRows)
	}
	cr := csv.NewReader(bufio.NewReader(sp.f))
	cr.ReuseRecord = false
	var buf bytes.Buffer
	err = xlsxtable.Write(&buf, "findings", sbomExportHeader, func() ([]string, error) {
		row, err := cr.Read()
		if err == io.EOF {
			return nil, nil
		}
		return row, err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="sbom-findings.xlsx"`)
	_, err = buf.WriteTo(w)
	return err
}

// spool is a temporary file written through a buffer, then read back.
type spool struct {
	f    *os.File
	w    *bufio.Writer
	rows int
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "renkei-export-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriter(f)}, nil
}

func (sp *spool) rewind() error {
	if err := sp.w.Flush(); err != nil {
		return err
	}
	_, err := sp.f.Seek(0, io.SeekStart)
	return err
}

// Close closes and removes the file.
func (sp *spool) Close() {
	sp.f.Close()
	os.Remove(sp.f.Name())
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
