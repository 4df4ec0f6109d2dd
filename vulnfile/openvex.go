package vulnfile

import (
	"encoding/json"
	"strings"

	"github.com/renkei/renkei"
)

// openVEXDoc follows the OpenVEX specification (v0.2.0; the v0.0.x shapes,
// where vulnerability and products are plain strings, are read too).
type openVEXDoc struct {
	Context    string `json:"@context"`
	ID         string `json:"@id"`
	Timestamp  string `json:"timestamp"`
	Statements []struct {
		Vulnerability   json.RawMessage   `json:"vulnerability"`
		Products        []json.RawMessage `json:"products"`
		Subcomponents   []json.RawMessage `json:"subcomponents"` // v0.0.x: at the statement
		Status          string            `json:"status"`
		Justification   string            `json:"justification"`
		ImpactStatement string            `json:"impact_statement"`
		ActionStatement string            `json:"action_statement"`
		Timestamp       string            `json:"timestamp"`
	} `json:"statements"`
}

type openVEXProduct struct {
	ID          string `json:"@id"`
	Identifiers struct {
		PURL  string `json:"purl"`
		CPE23 string `json:"cpe23"`
		CPE22 string `json:"cpe22"`
	} `json:"identifiers"`
	Subcomponents []json.RawMessage `json:"subcomponents"`
}

// ParseOpenVEX reads an OpenVEX document into VEX statements: one per
// statement, product and subcomponent. A statement about a subcomponent of
// a product carries the subcomponent's purl (what an SBOM component is) and
// the product's @id as ProductID; a statement without subcomponents carries
// the product's purl. Each statement is validated (a known status; for
// not_affected a justification or an impact statement).
func ParseOpenVEX(b []byte) ([]renkei.VEXStatement, error) {
	if len(b) > MaxDocumentBytes {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(MaxDocumentBytes))
	}
	if err := checkJSON("OpenVEX", b); err != nil {
		return nil, err
	}
	var d openVEXDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, jsonError("OpenVEX", err)
	}
	bad := func(detail string) error { return renkei.Errorf(renkei.EINVALID, KeyOpenVEXInvalid, detail) }
	if !strings.HasPrefix(d.Context, "https://openvex.dev/ns") {
		return nil, bad("@context " + d.Context)
	}
	docTime, err := parseTime(d.Timestamp)
	if err != nil {
		return nil, bad("timestamp " + d.Timestamp)
	}
	var out []renkei.VEXStatement
	for i, s := range d.Statements {
		where := "statement " + itoa(i+1)
		vuln, err := openVEXVuln(s.Vulnerability)
		if err != nil || vuln == "" {
			return nil, bad(where + ": vulnerability")
		}
		ts := docTime
		if s.Timestamp != "" {
			if ts, err = parseTime(s.Timestamp); err != nil {
				return nil, bad(where + ": timestamp " + s.Timestamp)
			}
		}
		base := renkei.VEXStatement{
			Vulnerability: vuln, Status: s.Status, Justification: s.Justification,
			ImpactStatement: s.ImpactStatement, ActionStatement: s.ActionStatement, Timestamp: ts,
		}
		if len(s.Products) == 0 {
			return nil, bad(where + ": no products")
		}
		for _, raw := range s.Products {
			p, err := openVEXProductOf(raw)
			if err != nil {
				return nil, bad(where + ": products")
			}
			st := base
			st.ProductID, st.PURL, st.CPE = p.ID, p.Identifiers.PURL, p.Identifiers.CPE23
			if st.PURL == "" && strings.HasPrefix(p.ID, "pkg:") {
				st.PURL = p.ID
			}
			if st.CPE == "" {
				st.CPE = p.Identifiers.CPE22
			}
			subs := append(p.Subcomponents, s.Subcomponents...)
			if len(subs) == 0 {
				if err := st.Validate(); err != nil {
					return nil, err
				}
				out = append(out, st)
				continue
			}
			for _, rawSub := range subs {
				sub, err := openVEXProductOf(rawSub)
				if err != nil {
					return nil, bad(where + ": subcomponents")
				}
				ss := st
				ss.PURL, ss.CPE = sub.Identifiers.PURL, sub.Identifiers.CPE23
				if ss.PURL == "" && strings.HasPrefix(sub.ID, "pkg:") {
					ss.PURL = sub.ID
				}
				if err := ss.Validate(); err != nil {
					return nil, err
				}
				out = append(out, ss)
			}
		}
	}
	return out, nil
}

// openVEXVuln reads a vulnerability given as an object ({"name": …}, v0.2)
// or a string (v0.0.x).
func openVEXVuln(raw json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var v struct {
		Name string `json:"name"`
		ID   string `json:"@id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	if v.Name == "" {
		return v.ID, nil
	}
	return v.Name, nil
}

// openVEXProductOf reads a product given as an object (v0.2) or a string.
func openVEXProductOf(raw json.RawMessage) (openVEXProduct, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return openVEXProduct{ID: s}, nil
	}
	var p openVEXProduct
	err := json.Unmarshal(raw, &p)
	return p, err
}
