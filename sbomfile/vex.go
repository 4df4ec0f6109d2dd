package sbomfile

import (
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/renkei/renkei"
)

// cdxJustifications maps CycloneDX's impact-analysis justifications to the
// VEX justifications (CISA's minimum requirements, OpenVEX and CSAF use
// these five).
var cdxJustifications = map[cdx.ImpactAnalysisJustification]string{
	cdx.IAJCodeNotPresent:               renkei.JustVulnerableCodeNotPresent,
	cdx.IAJCodeNotReachable:             renkei.JustVulnerableCodeNotInExecPath,
	cdx.IAJRequiresConfiguration:        renkei.JustCannotBeControlled,
	cdx.IAJRequiresDependency:           renkei.JustComponentNotPresent,
	cdx.IAJRequiresEnvironment:          renkei.JustCannotBeControlled,
	cdx.IAJProtectedByCompiler:          renkei.JustInlineMitigations,
	cdx.IAJProtectedAtRuntime:           renkei.JustInlineMitigations,
	cdx.IAJProtectedAtPerimeter:         renkei.JustInlineMitigations,
	cdx.IAJProtectedByMitigatingControl: renkei.JustInlineMitigations,
}

// cdxVEX reads the BOM's vulnerabilities that carry an impact analysis
// (CycloneDX VEX, inside an SBOM or standalone) as VEX statements, one per
// vulnerability and affected ref. A ref naming a component of the same BOM
// gives the statement its purl and CPE; any other ref (a BOM-Link to
// another BOM) is kept as the product ID.
func (p *parser) cdxVEX(bom *cdx.BOM) {
	if bom.Vulnerabilities == nil {
		return
	}
	for _, v := range *bom.Vulnerabilities {
		if v.Analysis == nil || v.Affects == nil || v.ID == "" {
			continue
		}
		an := v.Analysis
		st := renkei.VEXStatement{Vulnerability: v.ID, ImpactStatement: strings.TrimSpace(an.Detail)}
		switch an.State {
		case cdx.IASResolved, cdx.IASResolvedWithPedigree:
			st.Status = renkei.VEXFixed
		case cdx.IASExploitable:
			st.Status = renkei.VEXAffected
			st.ActionStatement = strings.TrimSpace(v.Recommendation)
		case cdx.IASInTriage:
			st.Status = renkei.VEXUnderInvestigation
		case cdx.IASNotAffected:
			st.Status = renkei.VEXNotAffected
			st.Justification = cdxJustifications[an.Justification]
		case cdx.IASFalsePositive:
			st.Status = renkei.VEXNotAffected
			if st.ImpactStatement == "" {
				st.ImpactStatement = "false_positive"
			}
		default:
			continue
		}
		for _, ts := range []string{an.LastUpdated, an.FirstIssued, v.Updated, v.Published} {
			if t, err := time.Parse(time.RFC3339, ts); err == nil {
				st.Timestamp = t.UTC()
				break
			}
		}
		for _, a := range *v.Affects {
			s := st
			s.ProductID = a.Ref
			if c, ok := p.sbom.ComponentByRef(a.Ref); ok {
				s.PURL = c.PURL
				if len(c.CPEs) > 0 {
					s.CPE = c.CPEs[0]
				}
			}
			p.vex = append(p.vex, s)
		}
	}
}
