package vulnfile

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/package-url/packageurl-go"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/cpename"
)

// csafDoc follows the CSAF 2.0 JSON schema (OASIS CSAF v2.0, csaf_json_schema
// 2.0), keeping what Renkei uses.
type csafDoc struct {
	Document struct {
		Category          string `json:"category"`
		CSAFVersion       string `json:"csaf_version"`
		Title             string `json:"title"`
		AggregateSeverity *struct {
			Text string `json:"text"`
		} `json:"aggregate_severity"`
		Tracking struct {
			ID                 string `json:"id"`
			Status             string `json:"status"`
			Version            string `json:"version"`
			InitialReleaseDate string `json:"initial_release_date"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
		References []csafRef `json:"references"`
	} `json:"document"`
	ProductTree *struct {
		Branches         []csafBranch      `json:"branches"`
		FullProductNames []csafProductName `json:"full_product_names"`
		Relationships    []struct {
			Category                  string          `json:"category"`
			ProductReference          string          `json:"product_reference"`
			RelatesToProductReference string          `json:"relates_to_product_reference"`
			FullProductName           csafProductName `json:"full_product_name"`
		} `json:"relationships"`
	} `json:"product_tree"`
	Vulnerabilities []struct {
		CVE   string `json:"cve"`
		Title string `json:"title"`
		IDs   []struct {
			SystemName string `json:"system_name"`
			Text       string `json:"text"`
		} `json:"ids"`
		Notes []struct {
			Category string `json:"category"`
			Text     string `json:"text"`
		} `json:"notes"`
		ProductStatus struct {
			FirstAffected      []string `json:"first_affected"`
			FirstFixed         []string `json:"first_fixed"`
			Fixed              []string `json:"fixed"`
			KnownAffected      []string `json:"known_affected"`
			KnownNotAffected   []string `json:"known_not_affected"`
			LastAffected       []string `json:"last_affected"`
			Recommended        []string `json:"recommended"`
			UnderInvestigation []string `json:"under_investigation"`
		} `json:"product_status"`
		Remediations []struct {
			Category   string   `json:"category"`
			Details    string   `json:"details"`
			URL        string   `json:"url"`
			ProductIDs []string `json:"product_ids"`
		} `json:"remediations"`
		Scores []struct {
			Products []string `json:"products"`
			CVSSv3   *struct {
				VectorString string  `json:"vectorString"`
				BaseScore    float64 `json:"baseScore"`
				BaseSeverity string  `json:"baseSeverity"`
			} `json:"cvss_v3"`
			CVSSv2 *struct {
				VectorString string  `json:"vectorString"`
				BaseScore    float64 `json:"baseScore"`
			} `json:"cvss_v2"`
		} `json:"scores"`
		Flags []struct {
			Label      string   `json:"label"`
			ProductIDs []string `json:"product_ids"`
		} `json:"flags"`
		Threats []struct {
			Category   string   `json:"category"`
			Details    string   `json:"details"`
			ProductIDs []string `json:"product_ids"`
		} `json:"threats"`
		References  []csafRef `json:"references"`
		ReleaseDate string    `json:"release_date"`
	} `json:"vulnerabilities"`
}

type csafRef struct {
	URL string `json:"url"`
}

type csafBranch struct {
	Category string           `json:"category"`
	Name     string           `json:"name"`
	Branches []csafBranch     `json:"branches"`
	Product  *csafProductName `json:"product"`
}

type csafProductName struct {
	ProductID string `json:"product_id"`
	Name      string `json:"name"`
	Helper    *struct {
		PURL string `json:"purl"`
		CPE  string `json:"cpe"`
	} `json:"product_identification_helper"`
}

// CSAFResult is what one CSAF document says: an advisory per vulnerability,
// the VEX statements when the document is of the VEX profile, and the
// products that could not be matched by package (no purl, a vers range we
// cannot express) with why.
type CSAFResult struct {
	Advisories []renkei.Advisory
	VEX        []renkei.VEXStatement
	Unmatched  []Unmatched
}

// Unmatched names a product that Renkei keeps but cannot match by package.
type Unmatched struct {
	ProductID string
	Name      string
	CPE       string
	Reason    string // a message key
}

// product is a product ID resolved to what identifies it.
type product struct {
	id, name, purl, cpe string
	vers                string // "vers:npm/>=1.0.0|<1.2.3" for product_version_range branches
}

// ParseCSAF reads a CSAF 2.0 document. Products are resolved through the
// product tree: branches (a product_version_range branch's name is a vers
// range), full_product_names and relationships (a relationship's product is
// its product_reference: the component is what an SBOM holds). A product
// with a purl helper becomes an affected package — with its version as an
// explicit version, or with the vers range as OSV events.
func ParseCSAF(b []byte) (*CSAFResult, error) {
	if len(b) > MaxDocumentBytes {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(MaxDocumentBytes))
	}
	if err := checkJSON("CSAF", b); err != nil {
		return nil, err
	}
	var d csafDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, jsonError("CSAF", err)
	}
	bad := func(detail string) error { return renkei.Errorf(renkei.EINVALID, KeyCSAFInvalid, detail) }
	if d.Document.CSAFVersion != "2.0" {
		return nil, renkei.Errorf(renkei.EINVALID, KeyCSAFVersion, d.Document.CSAFVersion)
	}
	if d.Document.Tracking.ID == "" {
		return nil, bad("document.tracking.id")
	}
	modified, err := parseTime(d.Document.Tracking.CurrentReleaseDate)
	if err != nil || modified.IsZero() {
		return nil, bad("document.tracking.current_release_date")
	}
	published, err := parseTime(d.Document.Tracking.InitialReleaseDate)
	if err != nil {
		return nil, bad("document.tracking.initial_release_date")
	}

	products := map[string]product{}
	var walk func(bs []csafBranch, depth int) error
	walk = func(bs []csafBranch, depth int) error {
		if depth > MaxJSONDepth {
			return renkei.Errorf(renkei.EINVALID, KeyTooDeep, "CSAF", MaxJSONDepth)
		}
		for _, br := range bs {
			if br.Product != nil {
				p := fromName(*br.Product)
				if br.Category == "product_version_range" && strings.HasPrefix(br.Name, "vers:") {
					p.vers = br.Name
				}
				products[p.id] = p
			}
			if err := walk(br.Branches, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if pt := d.ProductTree; pt != nil {
		if err := walk(pt.Branches, 1); err != nil {
			return nil, err
		}
		for _, fp := range pt.FullProductNames {
			products[fp.ProductID] = fromName(fp)
		}
		for _, r := range pt.Relationships {
			p := fromName(r.FullProductName)
			if comp, ok := products[r.ProductReference]; ok {
				p.purl, p.cpe, p.vers = comp.purl, comp.cpe, comp.vers
			}
			products[p.id] = p
		}
	}

	res := &CSAFResult{}
	unmatched := map[string]bool{}
	isVEX := d.Document.Category == "csaf_vex"
	docLevel := ""
	if d.Document.AggregateSeverity != nil {
		docLevel = renkei.NormalizeLevel(d.Document.AggregateSeverity.Text)
	}
	for i, v := range d.Vulnerabilities {
		a := renkei.Advisory{
			ID:        d.Document.Tracking.ID,
			Modified:  modified,
			Published: published,
			Summary:   v.Title,
			Source:    renkei.SourceCSAF,
		}
		if a.Summary == "" {
			a.Summary = d.Document.Title
		}
		if len(d.Vulnerabilities) > 1 {
			switch {
			case v.CVE != "":
				a.ID += "/" + v.CVE
			case len(v.IDs) > 0 && v.IDs[0].Text != "":
				a.ID += "/" + v.IDs[0].Text
			default:
				a.ID += "/" + itoa(i+1)
			}
		}
		if v.CVE != "" {
			a.Aliases = append(a.Aliases, v.CVE)
		}
		for _, id := range v.IDs {
			if id.Text != "" && !slices.Contains(a.Aliases, id.Text) {
				a.Aliases = append(a.Aliases, id.Text)
			}
		}
		for _, s := range v.Scores {
			if s.CVSSv3 != nil {
				lvl := renkei.NormalizeLevel(s.CVSSv3.BaseSeverity)
				if lvl == "" {
					lvl = renkei.LevelForScore(s.CVSSv3.BaseScore)
				}
				typ := "CVSS_V3"
				a.Severity = append(a.Severity, renkei.Severity{Type: typ, Vector: s.CVSSv3.VectorString, Score: s.CVSSv3.BaseScore, Level: lvl})
			} else if s.CVSSv2 != nil {
				a.Severity = append(a.Severity, renkei.Severity{Type: "CVSS_V2", Vector: s.CVSSv2.VectorString, Score: s.CVSSv2.BaseScore})
			}
		}
		if len(a.Severity) == 0 && docLevel != "" {
			a.Severity = []renkei.Severity{{Type: "aggregate_severity", Level: docLevel}}
		}
		for _, r := range append(slices.Clone(d.Document.References), v.References...) {
			if r.URL != "" && !slices.Contains(a.References, r.URL) {
				a.References = append(a.References, r.URL)
			}
		}
		for _, rem := range v.Remediations {
			vr := renkei.VendorRemediation{Category: rem.Category, Details: rem.Details, URL: rem.URL}
			for _, id := range rem.ProductIDs {
				if p := products[id]; p.purl != "" {
					vr.PURLs = append(vr.PURLs, p.purl)
				}
			}
			a.Remediations = append(a.Remediations, vr)
		}
		ps := v.ProductStatus
		affectedIDs := slices.Concat(ps.KnownAffected, ps.FirstAffected, ps.LastAffected)
		for _, id := range affectedIDs {
			p, ok := products[id]
			if !ok {
				return nil, bad("product_status names " + id + ", which the product tree does not define")
			}
			ap, reason := affectedPackage(p)
			if reason != "" {
				if !unmatched[p.id] {
					unmatched[p.id] = true
					res.Unmatched = append(res.Unmatched, Unmatched{ProductID: p.id, Name: p.name, CPE: p.cpe, Reason: reason})
				}
				continue
			}
			a.Affected = mergeAffected(a.Affected, ap)
		}
		res.Advisories = append(res.Advisories, a)

		if !isVEX {
			continue
		}
		vulnID := v.CVE
		if vulnID == "" {
			vulnID = a.ID
		}
		statement := func(id, status string) {
			p := products[id]
			st := renkei.VEXStatement{
				Vulnerability: vulnID, ProductID: id, PURL: p.purl, CPE: p.cpe, Status: status, Timestamp: modified,
			}
			if status == renkei.VEXNotAffected {
				for _, f := range v.Flags {
					if slices.Contains(f.ProductIDs, id) {
						st.Justification = f.Label
						break
					}
				}
				for _, t := range v.Threats {
					if t.Category == "impact" && slices.Contains(t.ProductIDs, id) {
						st.ImpactStatement = t.Details
						break
					}
				}
			}
			if status == renkei.VEXAffected {
				for _, rem := range v.Remediations {
					if slices.Contains(rem.ProductIDs, id) {
						st.ActionStatement = rem.Details
						break
					}
				}
			}
			res.VEX = append(res.VEX, st)
		}
		for _, id := range ps.KnownNotAffected {
			statement(id, renkei.VEXNotAffected)
		}
		for _, id := range affectedIDs {
			statement(id, renkei.VEXAffected)
		}
		for _, id := range slices.Concat(ps.Fixed, ps.FirstFixed) {
			statement(id, renkei.VEXFixed)
		}
		for _, id := range ps.UnderInvestigation {
			statement(id, renkei.VEXUnderInvestigation)
		}
	}
	return res, nil
}

func fromName(n csafProductName) product {
	p := product{id: n.ProductID, name: n.Name}
	if n.Helper != nil {
		p.purl, p.cpe = strings.TrimSpace(n.Helper.PURL), strings.TrimSpace(n.Helper.CPE)
	}
	return p
}

// affectedPackage is what matching reads of an affected product: its
// package from its purl when the purl names one of an OSV ecosystem, else
// its product from its CPE (renkei.EcoCPE); the versions from its vers
// range, else from the purl's or CPE's version. reason is a message key
// when the product cannot be matched.
func affectedPackage(p product) (renkei.AffectedPackage, string) {
	ap, reason := purlAffected(p)
	if reason != "" && p.cpe != "" {
		return cpeAffected(p)
	}
	return ap, reason
}

func purlAffected(p product) (renkei.AffectedPackage, string) {
	if p.purl == "" {
		return renkei.AffectedPackage{}, "vulnfile.csaf_no_purl"
	}
	pu, err := packageurl.FromString(p.purl)
	if err != nil {
		return renkei.AffectedPackage{}, "vulnfile.csaf_bad_purl"
	}
	eco := renkei.EcosystemForPURL(pu.Type, pu.Namespace, pu.Qualifiers.Map()["distro"])
	if eco == "" {
		return renkei.AffectedPackage{}, "vulnfile.csaf_no_ecosystem"
	}
	ap := renkei.AffectedPackage{
		Ecosystem: eco,
		Name:      renkei.PackageNameForPURL(pu.Type, pu.Namespace, pu.Name),
		PURL:      p.purl,
	}
	return withVersions(ap, p.vers, renkei.NormalizeVersion(eco, pu.Version))
}

// cpeAffected reads a product named by its CPE. A CPE that says more than
// a product at a version (a target platform, an edition, …) is not
// matched: components' CPEs are compared by product and version only.
func cpeAffected(p product) (renkei.AffectedPackage, string) {
	n, err := cpename.Parse(p.cpe)
	if err != nil {
		return renkei.AffectedPackage{}, "vulnfile.csaf_bad_cpe"
	}
	if n.Qualified {
		return renkei.AffectedPackage{}, "vulnfile.csaf_cpe_qualified"
	}
	return withVersions(renkei.AffectedPackage{Ecosystem: renkei.EcoCPE, Name: n.Key()}, p.vers, n.Version)
}

// withVersions gives ap the versions of a product_version_range's vers
// range, else the one version its purl or CPE names.
func withVersions(ap renkei.AffectedPackage, vers, version string) (renkei.AffectedPackage, string) {
	if vers != "" {
		r, err := ParseVers(vers)
		if err != nil {
			return renkei.AffectedPackage{}, KeyVersUnsupported
		}
		ap.Ranges, ap.Versions = r.Ranges, r.Versions
		return ap, ""
	}
	if version == "" {
		return renkei.AffectedPackage{}, "vulnfile.csaf_no_version"
	}
	ap.Versions = []string{version}
	return ap, ""
}

// mergeAffected adds ap to list, joining the versions and ranges of the
// same package.
func mergeAffected(list []renkei.AffectedPackage, ap renkei.AffectedPackage) []renkei.AffectedPackage {
	for i := range list {
		if list[i].Ecosystem == ap.Ecosystem && list[i].Name == ap.Name {
			for _, v := range ap.Versions {
				if !slices.Contains(list[i].Versions, v) {
					list[i].Versions = append(list[i].Versions, v)
				}
			}
			list[i].Ranges = append(list[i].Ranges, ap.Ranges...)
			return list
		}
	}
	return append(list, ap)
}

// VersRange is a vers range as OSV events.
type VersRange struct {
	Scheme   string
	Ranges   []renkei.Range // ECOSYSTEM ranges, one per lower bound
	Versions []string       // "=" constraints
}

// ParseVers reads a vers range ("vers:npm/>=1.0.0|<1.2.3", the package-url
// VERS specification) into OSV ranges: each ">=" starts a range (introduced),
// "<" ends it (fixed), "<=" ends it inclusively (last_affected), "=" is an
// explicit version, "*" is every version. A range with no lower bound starts
// at "0". ">" and "!=" have no OSV event and are refused, as is a
// constraint order that does not alternate lower and upper bounds.
func ParseVers(s string) (VersRange, error) {
	rest, ok := strings.CutPrefix(s, "vers:")
	scheme, constraints, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || scheme == "" || constraints == "" {
		return VersRange{}, renkei.Errorf(renkei.EINVALID, KeyVersInvalid, s)
	}
	vr := VersRange{Scheme: strings.ToLower(scheme)}
	constraints = strings.TrimSpace(constraints)
	if constraints == "*" {
		vr.Ranges = []renkei.Range{{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: "0"}}}}
		return vr, nil
	}
	var cur *renkei.Range
	for _, c := range strings.Split(constraints, "|") {
		c = strings.TrimSpace(c)
		op := ""
		for _, o := range []string{">=", "<=", "!=", "<", ">", "="} {
			if strings.HasPrefix(c, o) {
				op = o
				break
			}
		}
		v, err := url.PathUnescape(strings.TrimSpace(c[len(op):]))
		if err != nil || v == "" {
			return VersRange{}, renkei.Errorf(renkei.EINVALID, KeyVersInvalid, s)
		}
		if op == "" {
			op = "="
		}
		switch op {
		case "=":
			vr.Versions = append(vr.Versions, v)
		case ">=":
			if cur != nil {
				return VersRange{}, renkei.Errorf(renkei.EINVALID, KeyVersUnsupported, s)
			}
			vr.Ranges = append(vr.Ranges, renkei.Range{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: v}}})
			cur = &vr.Ranges[len(vr.Ranges)-1]
		case "<", "<=":
			if cur == nil {
				vr.Ranges = append(vr.Ranges, renkei.Range{Type: renkei.RangeEcosystem, Events: []renkei.Event{{Introduced: "0"}}})
				cur = &vr.Ranges[len(vr.Ranges)-1]
			}
			if op == "<" {
				cur.Events = append(cur.Events, renkei.Event{Fixed: v})
			} else {
				cur.Events = append(cur.Events, renkei.Event{LastAffected: v})
			}
			cur = nil
		default: // ">", "!="
			return VersRange{}, renkei.Errorf(renkei.EINVALID, KeyVersUnsupported, s)
		}
	}
	return vr, nil
}
