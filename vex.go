package renkei

import "time"

// VEX statuses (the four of CISA's minimum requirements, shared by CycloneDX
// VEX, OpenVEX and CSAF VEX).
const (
	VEXNotAffected        = "not_affected"
	VEXAffected           = "affected"
	VEXFixed              = "fixed"
	VEXUnderInvestigation = "under_investigation"
)

// VEX justifications for not_affected (OpenVEX's and CSAF's flag labels).
const (
	JustComponentNotPresent         = "component_not_present"
	JustVulnerableCodeNotPresent    = "vulnerable_code_not_present"
	JustVulnerableCodeNotInExecPath = "vulnerable_code_not_in_execute_path"
	JustCannotBeControlled          = "vulnerable_code_cannot_be_controlled_by_adversary"
	JustInlineMitigations           = "inline_mitigations_already_exist"
)

// VEXStatement says whether one product (or component, by purl) is
// affected by one vulnerability.
type VEXStatement struct {
	Vulnerability   string // CVE or advisory ID
	ProductID       string // the source's product ID (CSAF product_id), informative
	PURL            string // the product or component, when named by purl
	CPE             string
	Status          string
	Justification   string // required for not_affected unless ImpactStatement is given
	ImpactStatement string
	ActionStatement string // for affected: what to do
	Timestamp       time.Time
}

// Validate checks the statement: a vulnerability, a product, a known status,
// and for not_affected a known justification or an impact statement.
func (v VEXStatement) Validate() error {
	fields := map[string]string{}
	if v.Vulnerability == "" {
		fields["vulnerability"] = "field.required"
	}
	if v.PURL == "" && v.CPE == "" && v.ProductID == "" {
		fields["product"] = "field.required"
	}
	switch v.Status {
	case VEXAffected, VEXFixed, VEXUnderInvestigation:
	case VEXNotAffected:
		switch v.Justification {
		case JustComponentNotPresent, JustVulnerableCodeNotPresent, JustVulnerableCodeNotInExecPath,
			JustCannotBeControlled, JustInlineMitigations:
		case "":
			if v.ImpactStatement == "" {
				fields["justification"] = "sbom.vex_justification_required"
			}
		default:
			fields["justification"] = "sbom.vex_justification_unknown"
		}
	default:
		fields["status"] = "sbom.vex_status_unknown"
	}
	if len(fields) > 0 {
		return Invalid(fields)
	}
	return nil
}
