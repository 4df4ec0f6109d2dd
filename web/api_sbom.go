package web

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sbomfile"
	"github.com/renkei/renkei/vulnfile"
)

// The SBOM API (issue: SBOM and vulnerability impact): products and their
// SBOMs, who uses a package, the advisories, which of the organization's
// products an advisory affects, and every finding now. Findings are
// computed from the stored data when read, so every replica answers the
// same at once. Advisories are global (the operator imports them); the
// products, SBOMs and findings are the organization's.

type apiProduct struct {
	ID        string    `json:"id"`
	PartnerID string    `json:"partner_id"`
	Name      string    `json:"name"`
	Version   string    `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toAPIProduct(p renkei.Product) apiProduct {
	return apiProduct{ID: p.ID, PartnerID: p.PartnerID, Name: p.Name, Version: p.Version, CreatedAt: utc(p.CreatedAt), UpdatedAt: utc(p.UpdatedAt)}
}

type apiSBOM struct {
	ID             string    `json:"id"`
	ProductID      string    `json:"product_id"`
	FileName       string    `json:"file_name"`
	Format         string    `json:"format"`
	SpecVersion    string    `json:"spec_version"`
	Name           string    `json:"name"`
	ComponentCount int       `json:"component_count"`
	UploadedAt     time.Time `json:"uploaded_at"`
	UploadedBy     string    `json:"uploaded_by"`
}

func toAPISBOM(s renkei.StoredSBOM) apiSBOM {
	return apiSBOM{ID: s.ID, ProductID: s.ProductID, FileName: s.FileName, Format: s.Format, SpecVersion: s.SpecVersion,
		Name: s.Name, ComponentCount: s.ComponentCount, UploadedAt: utc(s.UploadedAt), UploadedBy: s.UploadedBy}
}

// apiVulnFinding is one affected component of one product.
type apiVulnFinding struct {
	ProductID string `json:"product_id"`
	Product   string `json:"product"`
	Version   string `json:"version"`
	PartnerID string `json:"partner_id"`
	SBOMID    string `json:"sbom_id"`
	PURL      string `json:"purl"`
	Ecosystem string `json:"ecosystem"`
	Package   string `json:"package"`
	Component string `json:"component_version"`
	Advisory  string `json:"advisory"`
	Severity  string `json:"severity"`
	KEV       bool   `json:"kev"`
	Fixed     string `json:"fixed"`
	// The VEX statement that applies, if any: its status and
	// justification ("" when none applies).
	VEXStatus        string `json:"vex_status"`
	VEXJustification string `json:"vex_justification"`
}

func toAPIVulnFinding(a renkei.Affected) apiVulnFinding {
	return apiVulnFinding{ProductID: a.ProductID, Product: a.Product, Version: a.Version, PartnerID: a.PartnerID, SBOMID: a.SBOMID,
		PURL: a.PURL, Ecosystem: a.Ecosystem, Package: a.Package, Component: a.VulnFinding.Version, Advisory: a.AdvisoryID,
		Severity: a.Level, KEV: a.KEV, Fixed: a.Fixed}
}

func toAPIVulnFindings(as []renkei.Affected) []apiVulnFinding {
	out := make([]apiVulnFinding, 0, len(as))
	for _, a := range as {
		out = append(out, toAPIVulnFinding(a))
	}
	return out
}

// apiListProducts is GET /api/v1/products.
func (s *Server) apiListProducts(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	ps, err := s.cfg.Store.Products(r.Context(), actor(r).OrgID)
	if err != nil {
		return err
	}
	all := make([]apiProduct, 0, len(ps))
	for _, p := range ps {
		all = append(all, toAPIProduct(p))
	}
	items, next, err := apiPageSlice(all, func(p *apiProduct) string { return p.ID }, page)
	if err != nil {
		return err
	}
	writeList(w, items, next)
	return nil
}

// apiListSBOMs is GET /api/v1/sboms[?product_id=ID]: a product's SBOMs,
// or every product's.
func (s *Server) apiListSBOMs(w http.ResponseWriter, r *http.Request) error {
	ids := []string{strings.TrimSpace(r.URL.Query().Get("product_id"))}
	if ids[0] == "" {
		ps, err := s.cfg.Store.Products(r.Context(), actor(r).OrgID)
		if err != nil {
			return err
		}
		ids = ids[:0]
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	var ss []renkei.StoredSBOM
	for _, id := range ids {
		some, err := s.cfg.Store.SBOMs(r.Context(), actor(r).OrgID, id)
		if err != nil {
			return err
		}
		ss = append(ss, some...)
	}
	items := make([]apiSBOM, 0, len(ss))
	for _, sb := range ss {
		items = append(items, toAPISBOM(sb))
	}
	writeList(w, items, "")
	return nil
}

// apiSBOMImported is POST /api/v1/sboms's answer.
type apiSBOMImported struct {
	Product  apiProduct       `json:"product"`
	SBOM     apiSBOM          `json:"sbom"`
	Findings []apiVulnFinding `json:"findings"`
}

// apiUploadSBOM is POST /api/v1/sboms?product=NAME&version=V[&partner_id=ID]
// [&filename=NAME]: the body is the SBOM file (CycloneDX JSON/XML, SPDX
// JSON/tag-value). It replaces the product version's SBOMs and answers
// with its findings, which exist as soon as the SBOM does.
func (s *Server) apiUploadSBOM(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &renkei.Product{OrgID: actor(r).OrgID, PartnerID: strings.TrimSpace(q.Get("partner_id")),
		Name: strings.TrimSpace(q.Get("product")), Version: strings.TrimSpace(q.Get("version"))}
	fields := map[string]string{}
	for name, v := range map[string]string{"product": p.Name, "version": p.Version, "partner_id": p.PartnerID} {
		checkText(fields, name, v)
	}
	if err := invalid(fields); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxSBOMBytes+1)
	res, err := sbomfile.Parse(r.Body)
	if err != nil {
		return err
	}
	fileName := strings.TrimSpace(q.Get("filename"))
	stored, err := s.cfg.Store.ImportSBOMs(r.Context(), p, []renkei.SBOMUpload{{FileName: fileName, SBOM: res.SBOM}})
	if err != nil {
		return err
	}
	out := apiSBOMImported{Product: toAPIProduct(*p), Findings: []apiVulnFinding{}}
	if len(stored) > 0 {
		out.SBOM = toAPISBOM(stored[0])
		fs, err := s.cfg.Store.FindingsForSBOM(r.Context(), p.OrgID, stored[0].ID)
		if err != nil {
			return err
		}
		for _, f := range fs {
			out.Findings = append(out.Findings, toAPIVulnFinding(renkei.Affected{ProductID: p.ID, Product: p.Name, Version: p.Version,
				PartnerID: p.PartnerID, VulnFinding: f}))
		}
	}
	created(w, out)
	return nil
}

// apiComponents is GET /api/v1/components?purl=PURL: who uses the package
// (at the purl's version when it has one), in which products.
func (s *Server) apiComponents(w http.ResponseWriter, r *http.Request) error {
	purl := strings.TrimSpace(r.URL.Query().Get("purl"))
	var uses []renkei.ComponentUse
	if purl != "" { // no purl asks about nothing: an empty list
		var err error
		if uses, err = s.cfg.Store.ComponentUsage(r.Context(), actor(r).OrgID, purl); err != nil {
			return err
		}
	}
	type item struct {
		ProductID string `json:"product_id"`
		Product   string `json:"product"`
		Version   string `json:"version"`
		PartnerID string `json:"partner_id"`
		SBOMID    string `json:"sbom_id"`
		PURL      string `json:"purl"`
	}
	items := make([]item, 0, len(uses))
	for _, u := range uses {
		items = append(items, item{u.ProductID, u.Product, u.Version, u.PartnerID, u.SBOMID, u.PURL})
	}
	writeList(w, items, "")
	return nil
}

type apiAdvisorySummary struct {
	ID        string     `json:"id"`
	Source    string     `json:"source"`
	Summary   string     `json:"summary"`
	Severity  string     `json:"severity"`
	Modified  time.Time  `json:"modified"`
	Withdrawn *time.Time `json:"withdrawn"`
}

// apiListAdvisories is GET /api/v1/advisories: the known advisories (the
// same for every organization), by ID.
func (s *Server) apiListAdvisories(w http.ResponseWriter, r *http.Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	as, next, err := s.cfg.Store.ListAdvisories(r.Context(), page)
	if err != nil {
		return err
	}
	items := make([]apiAdvisorySummary, 0, len(as))
	for _, a := range as {
		items = append(items, apiAdvisorySummary{a.ID, a.Source, a.Summary, a.Severity, utc(a.Modified), utcPtr(a.Withdrawn)})
	}
	writeList(w, items, next)
	return nil
}

// apiAdvisoryAffected is GET /api/v1/advisories/{id}/affected: the
// organization's affected components, products and partners for an
// advisory ID or an alias (a CVE).
func (s *Server) apiAdvisoryAffected(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	fields := map[string]string{}
	if checkText(fields, "id", id); len(fields) > 0 {
		// An ID no advisory can have is not found, like any other.
		return renkei.Errorf(renkei.ENOTFOUND, "sbom.advisory_not_found", id)
	}
	as, err := s.cfg.Store.AffectedByAdvisory(r.Context(), actor(r).OrgID, id)
	if err != nil {
		return err
	}
	items, err := s.withVEX(r.Context(), actor(r).OrgID, as, r.URL.Query().Get("vex") == "all")
	if err != nil {
		return err
	}
	writeList(w, items, "")
	return nil
}

// Findings are listed in pages of up to findingsMaxLimit (findingsLimit
// when the request names no limit): a portfolio of thousands of products
// has millions of findings, more than one response should carry.
const (
	findingsLimit    = 1000
	findingsMaxLimit = 10000
)

// apiFindings is GET /api/v1/findings[?partner_id=&product_id=&kev=true&vex=all&limit=&cursor=]:
// the findings of the organization's products now, in pages. The cursor
// is the position after the page in the list as read then, so pages read
// while products or advisories change can repeat or skip a finding.
func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, offset := findingsLimit, 0
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > findingsMaxLimit {
			return renkei.Invalid(map[string]string{"limit": "field.limit"})
		}
		limit = n
	}
	if c := q.Get("cursor"); c != "" {
		key, err := renkei.DecodeCursor(c)
		if err != nil {
			return err
		}
		if offset, err = strconv.Atoi(key); err != nil || offset < 0 {
			return renkei.Invalid(map[string]string{"cursor": "field.cursor"})
		}
	}
	keep, _, err := s.vexKeep(r.Context(), actor(r).OrgID, q.Get("vex") == "all")
	if err != nil {
		return err
	}
	list, err := s.cfg.Store.ListFindings(r.Context(), actor(r).OrgID, renkei.FindingQuery{
		PartnerID: q.Get("partner_id"), ProductID: q.Get("product_id"), KEVOnly: q.Get("kev") == "true", Keep: keep,
		Offset: offset, Limit: limit})
	if err != nil {
		return err
	}
	out, err := s.withVEX(r.Context(), actor(r).OrgID, list.Items, true)
	if err != nil {
		return err
	}
	next := ""
	if list.Listed > offset+limit {
		next = renkei.EncodeCursor(strconv.Itoa(offset + limit))
	}
	writeList(w, out, next)
	return nil
}

// vexKeep is a FindingQuery's Keep that leaves out findings stated
// not_affected or fixed, unless all are asked for (nil when it would leave
// out nothing), and the organization's statements it reads.
func (s *Server) vexKeep(ctx context.Context, orgID string, all bool) (func(*renkei.Affected, []string) bool, []renkei.StoredVEX, error) {
	stmts, err := s.cfg.Store.VEXStatements(ctx, orgID)
	if err != nil || all || len(stmts) == 0 {
		return nil, stmts, err
	}
	return func(f *renkei.Affected, aliases []string) bool {
		return !renkei.VEXHides(renkei.VEXFor(*f, aliases, stmts))
	}, stmts, nil
}

// withVEX applies the organization's VEX statements to findings; with all
// false it leaves out those stated not_affected or fixed.
func (s *Server) withVEX(ctx context.Context, orgID string, fs []renkei.Affected, all bool) ([]apiVulnFinding, error) {
	out := make([]apiVulnFinding, 0, len(fs))
	if len(fs) == 0 {
		return out, nil
	}
	stmts, err := s.cfg.Store.VEXStatements(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var aliases map[string][]string
	if len(stmts) > 0 {
		ids := map[string]bool{}
		var list []string
		for _, f := range fs {
			if !ids[f.AdvisoryID] {
				ids[f.AdvisoryID] = true
				list = append(list, f.AdvisoryID)
			}
		}
		if aliases, err = s.cfg.Store.AdvisoryAliases(ctx, list); err != nil {
			return nil, err
		}
	}
	for _, f := range fs {
		v := renkei.VEXFor(f, aliases[f.AdvisoryID], stmts)
		if !all && renkei.VEXHides(v) {
			continue
		}
		af := toAPIVulnFinding(f)
		if v != nil {
			af.VEXStatus, af.VEXJustification = v.Status, v.Justification
		}
		out = append(out, af)
	}
	return out, nil
}

// apiAddVEX is POST /api/v1/vex[?partner_id=ID][&product_id=ID]: the body
// is a VEX document — OpenVEX, CSAF VEX or CycloneDX VEX — about the
// partner's products (or the organization's own). Its statements take
// findings stated not_affected or fixed out of the views.
func (s *Server) apiAddVEX(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	r.Body = http.MaxBytesReader(w, r.Body, renkei.MaxSBOMBytes+1)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return renkei.Errorf(renkei.ETOOLARGE, "error.too_large", humanBytes(renkei.MaxSBOMBytes))
	}
	stmts, err := parseVEX(b)
	if err != nil {
		return err
	}
	n, err := s.cfg.Store.AddVEX(r.Context(), actor(r).OrgID, strings.TrimSpace(q.Get("partner_id")), strings.TrimSpace(q.Get("product_id")), stmts)
	if err != nil {
		return err
	}
	created(w, map[string]int{"stored": n})
	return nil
}

// parseVEX reads the statements of an OpenVEX, CSAF VEX or CycloneDX VEX
// document (the parsers of vulnfile and sbomfile).
func parseVEX(b []byte) ([]renkei.VEXStatement, error) {
	switch kind, _ := vulnfile.Detect(b); kind {
	case vulnfile.KindOpenVEX:
		return vulnfile.ParseOpenVEX(b)
	case vulnfile.KindCSAF:
		res, err := vulnfile.ParseCSAF(b)
		if err != nil {
			return nil, err
		}
		return res.VEX, nil
	}
	res, err := sbomfile.Limits{}.ParseBytes(b)
	if err != nil {
		return nil, err
	}
	return res.VEX, nil
}
